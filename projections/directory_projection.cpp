#include "projections/directory_projection.hpp"

#include <algorithm>

#include "domain/dispatch_streams.hpp"
#include "domain/job_state.hpp"
#include "domain/sms_trigger.hpp"
#include "projections/contractor_directory.hpp"
#include "projections/directory_record.hpp"
#include "projections/keys.hpp"

namespace fl::projections {

namespace {

using P = directory_projection;

// The record at `key` as `out` holds it now, if any.
template <class Decode>
auto load(const write_set& out, const std::string& key, Decode decode) -> decltype(decode("")) {
  auto bytes = out.get(key);
  if (!bytes) return std::nullopt;
  return decode(*bytes);
}

bool phone_opted_out(const write_set& out, std::string_view tenant, std::string_view phone) {
  return out.get(keys::key(tenant, P::opted_out_tag, phone)).has_value();
}

// Adds `id` to (or removes it from) the customers with `phone`.
void index_phone(write_set& out, std::string_view tenant, std::string_view phone,
                 std::string_view id, bool add) {
  auto key = keys::key(tenant, P::phone_tag, phone);
  std::vector<std::string> ids;
  if (auto bytes = out.get(key)) ids = decode_ids(*bytes);
  auto at = std::lower_bound(ids.begin(), ids.end(), id);
  bool present = at != ids.end() && *at == id;
  if (add == present) return;
  if (add)
    ids.insert(at, std::string(id));
  else
    ids.erase(at);
  if (ids.empty())
    out.erase(std::move(key));
  else
    out.put(std::move(key), encode_ids(ids));
}

struct customer_details {
  const std::string& first_name;
  const std::string& last_name;
  const std::string& phone;
  const std::string& address;
};

std::optional<customer_details> details_of(const events::event& data) {
  if (const auto* r = std::get_if<events::customer_registered>(&data))
    return customer_details{r->first_name, r->last_name, r->phone, r->address};
  if (const auto* u = std::get_if<events::customer_updated>(&data))
    return customer_details{u->first_name, u->last_name, u->phone, u->address};
  return std::nullopt;
}

void on_customer(write_set& out, const events::recorded_event& e, std::string_view id) {
  auto details = details_of(e.data);
  if (!details) return;
  auto key = keys::key(e.tenant, P::customer_tag, id);
  auto current = load(out, key, decode_customer);
  // An update of a customer never registered has nothing to show.
  if (!current && std::holds_alternative<events::customer_updated>(e.data)) return;
  customer_record c = current.value_or(customer_record{});
  auto now = to_micros(e.recorded_at);
  if (!current) {
    c.id = std::string(id);
    c.created_at_us = now;
  }
  if (!current || current->phone != details->phone) {
    if (current) index_phone(out, e.tenant, current->phone, id, false);
    index_phone(out, e.tenant, details->phone, id, true);
  }
  c.first_name = details->first_name;
  c.last_name = details->last_name;
  c.phone = details->phone;
  c.address = details->address;
  c.opted_out = phone_opted_out(out, e.tenant, c.phone);
  c.updated_at_us = now;
  out.put(std::move(key), encode(c));
}

// The conversation with a phone opted out or back in: every customer with
// that phone follows, and so will one that takes the phone later.
void on_consent(write_set& out, const events::recorded_event& e, bool opted_out) {
  auto phone = keys::party_of(e.stream);
  auto consent_key = keys::key(e.tenant, P::opted_out_tag, phone);
  bool was = out.get(consent_key).has_value();
  if (opted_out && !was) out.put(std::move(consent_key), "1");
  if (!opted_out && was) out.erase(std::move(consent_key));
  auto ids = out.get(keys::key(e.tenant, P::phone_tag, phone));
  if (!ids) return;
  for (const auto& id : decode_ids(*ids)) {
    auto key = keys::key(e.tenant, P::customer_tag, id);
    auto c = load(out, key, decode_customer);
    if (!c || c->opted_out == opted_out) continue;
    c->opted_out = opted_out;
    c->updated_at_us = to_micros(e.recorded_at);
    out.put(std::move(key), encode(*c));
  }
}

// One event of a technician's stream applied to its record (none before
// it was registered); false when it changes nothing.
struct technician_change {
  std::optional<technician_record>& t;
  std::string_view id;
  std::int64_t now;

  bool operator()(const events::technician_registered& r) const {
    if (!t) {
      t.emplace();
      t->id = std::string(id);
      t->created_at_us = now;
    }
    t->first_name = r.first_name;
    t->last_name = r.last_name;
    t->phone = r.phone;
    return true;
  }
  bool operator()(const events::technician_updated& u) const {
    if (!t) return false;
    t->first_name = u.first_name;
    t->last_name = u.last_name;
    t->phone = u.phone;
    return true;
  }
  bool operator()(const events::technician_status_changed& s) const {
    if (!t) return false;
    t->status = s.status;
    t->job_id = s.job_id;
    return true;
  }
  bool operator()(const events::technician_located& l) const {
    // A fix older than the latest is in the log, not on the map.
    if (!t || (t->location && l.recorded_at_us <= t->location->recorded_at_us)) return false;
    t->location = technician_fix{l.lat, l.lon, l.recorded_at_us, l.speed_mps};
    return true;
  }
  template <class Other>
  bool operator()(const Other&) const {
    return false;
  }
};

void on_technician(write_set& out, const events::recorded_event& e, std::string_view id) {
  auto key = keys::key(e.tenant, P::technician_tag, id);
  auto t = load(out, key, decode_technician);
  auto now = to_micros(e.recorded_at);
  if (!std::visit(technician_change{t, id, now}, e.data)) return;
  t->updated_at_us = now;
  out.put(std::move(key), encode(*t));
}

// The notification of `trigger` still pending, if any (at most one).
job_notification* pending_of(job_record& j, std::string_view trigger) {
  for (auto it = j.notifications.rbegin(); it != j.notifications.rend(); ++it)
    if (it->trigger == trigger && it->status == "pending") return &*it;
  return nullptr;
}

void on_triggered(job_record& j, const events::notification_triggered& n, std::int64_t now) {
  // As domain::evolve: one pending notification per trigger, the latest.
  for (auto& older : j.notifications)
    if (older.trigger == n.trigger && older.status == "pending") older.status = "superseded";
  job_notification entry;
  entry.trigger = n.trigger;
  entry.scheduled_at_us = n.scheduled_at_us;
  entry.fired_at_us = now;
  entry.held_until_us = n.held_until_us;
  entry.eta_minutes = n.eta_minutes;
  entry.technician_id = n.technician_id;
  entry.by_hand = n.by_hand;
  // The same trigger for the same appointment is the same notification.
  auto same = std::find_if(j.notifications.begin(), j.notifications.end(), [&](const auto& x) {
    return x.trigger == n.trigger && x.scheduled_at_us == n.scheduled_at_us;
  });
  if (same != j.notifications.end())
    *same = std::move(entry);
  else
    j.notifications.push_back(std::move(entry));
}

// One event of a job's stream applied to its record (none before it was
// created); false when it changes nothing.
struct job_change {
  std::optional<job_record>& j;
  std::string_view id;
  std::int64_t now;

  bool operator()(const events::job_created& c) const {
    if (!j) {
      j.emplace();
      j->id = std::string(id);
      j->created_at_us = now;
    }
    j->customer_id = c.customer_id;
    j->address = c.address;
    j->lat = c.lat;
    j->lon = c.lon;
    j->scheduled_at_us = c.scheduled_at_us;
    j->invoice_link = c.invoice_link;
    return true;
  }
  bool operator()(const events::job_updated& u) const {
    if (!j) return false;
    j->address = u.address;
    j->lat = u.lat;
    j->lon = u.lon;
    j->invoice_link = u.invoice_link;
    return true;
  }
  bool operator()(const events::job_rescheduled& r) const {
    if (!j) return false;
    j->scheduled_at_us = r.scheduled_at_us;
    return true;
  }
  bool operator()(const events::job_assigned& a) const {
    if (!j) return false;
    j->technician_id = a.technician_id;
    // As domain::evolve: assignment schedules a job, never moves it back.
    if (j->status == to_string(domain::job_status::unassigned))
      j->status = std::string(to_string(domain::job_status::scheduled));
    return true;
  }
  bool operator()(const events::job_status_changed& s) const {
    if (!j || !domain::parse_job_status(s.status)) return false;
    j->status = s.status;
    return true;
  }
  bool operator()(const events::notification_triggered& n) const {
    if (!j || !domain::parse_sms_trigger(n.trigger)) return false;
    on_triggered(*j, n, now);
    return true;
  }
  bool operator()(const events::notification_queued& q) const {
    auto* n = j ? pending_of(*j, q.trigger) : nullptr;
    if (!n) return false;
    n->status = "queued";
    n->message_id = q.message_id;
    return true;
  }
  bool operator()(const events::notification_skipped& s) const {
    auto* n = j ? pending_of(*j, s.trigger) : nullptr;
    if (!n) return false;
    n->status = "skipped";
    n->reason = s.reason;
    return true;
  }
  template <class Other>
  bool operator()(const Other&) const {
    return false;
  }
};

void on_job(write_set& out, const events::recorded_event& e, std::string_view id) {
  auto key = keys::key(e.tenant, P::job_tag, id);
  auto j = load(out, key, decode_job);
  auto now = to_micros(e.recorded_at);
  if (!std::visit(job_change{j, id, now}, e.data)) return;
  j->updated_at_us = now;
  out.put(std::move(key), encode(*j));
}

}  // namespace

void directory_projection::apply(const events::recorded_event& e, write_set& out) {
  if (keys::is_conversation_stream(e.stream)) {
    if (std::holds_alternative<events::opted_out>(e.data))
      on_consent(out, e, true);
    else if (std::holds_alternative<events::opted_in>(e.data))
      on_consent(out, e, false);
    return;
  }
  auto stream = domain::parse_dispatch_stream(e.stream);
  if (!stream) return;
  switch (stream->kind) {
    case domain::dispatch_stream_kind::customer:
      return on_customer(out, e, stream->id);
    case domain::dispatch_stream_kind::technician:
      return on_technician(out, e, stream->id);
    case domain::dispatch_stream_kind::job:
      return on_job(out, e, stream->id);
    case domain::dispatch_stream_kind::sms_settings:
    case domain::dispatch_stream_kind::sms_templates:
      return;
    case domain::dispatch_stream_kind::contractor:
      return apply_contractor_event(out, e, stream->id);
    case domain::dispatch_stream_kind::property:
      return apply_property_event(out, e, stream->id);
  }
}

}  // namespace fl::projections
