#include "domain/job.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/dispatch_streams.hpp"
#include "domain/person_details.hpp"
#include "domain/text_checks.hpp"

namespace fl::domain {

std::string_view to_string(job_errc code) {
  switch (code) {
    case job_errc::invalid_id:
      return "invalid_id";
    case job_errc::invalid_text:
      return "invalid_text";
    case job_errc::invalid_position:
      return "invalid_position";
    case job_errc::invalid_link:
      return "invalid_link";
    case job_errc::already_created:
      return "already_created";
    case job_errc::not_created:
      return "not_created";
    case job_errc::job_closed:
      return "job_closed";
    case job_errc::not_assigned:
      return "not_assigned";
    case job_errc::wrong_technician:
      return "wrong_technician";
    case job_errc::unknown_trigger:
      return "unknown_trigger";
    case job_errc::already_sent:
      return "already_sent";
    case job_errc::opted_out:
      return "opted_out";
  }
  return "unknown";
}

namespace {

using event_list = std::vector<events::event>;
using decision = expected<event_list, job_error>;

inline constexpr std::size_t max_link_bytes = 2000;

unexpected<job_error> fail(job_errc code, std::string field, std::string message) {
  return unexpected{job_error{code, std::move(field), std::move(message)}};
}

std::optional<job_error> check_id(std::string_view id, std::string_view field) {
  if (is_valid_entity_id(id)) return std::nullopt;
  return job_error{job_errc::invalid_id, std::string(field),
                   fmt::format("{} must be 1..64 of A-Z a-z 0-9 _ -", field)};
}

// A job's place, checked: the address trimmed, the link trimmed (empty: none).
struct checked_place {
  std::string address;
  std::optional<double> lat, lon;
  std::optional<std::string> invoice_link;
};

expected<checked_place, job_error> check_place(std::string_view address, std::optional<double> lat,
                                               std::optional<double> lon,
                                               const std::optional<std::string>& link) {
  checked_place out;
  out.address = std::string(trim_whitespace(address));
  if (check_text(out.address, max_address_code_points, true) != text_fault::none)
    return fail(job_errc::invalid_text, "address",
                fmt::format("address must be UTF-8 text of at most {} characters",
                            max_address_code_points));
  if (lat.has_value() != lon.has_value())
    return fail(job_errc::invalid_position, lat ? "lon" : "lat",
                "lat and lon go together: both or neither");
  if (lat && !is_valid_position({*lat, *lon}))
    return fail(job_errc::invalid_position, is_valid_position({*lat, 0}) ? "lon" : "lat",
                "lat must be -90..90 and lon -180..180, both finite");
  out.lat = lat;
  out.lon = lon;
  if (link) {
    auto trimmed = trim_whitespace(*link);
    bool http = trimmed.starts_with("https://") || trimmed.starts_with("http://");
    bool clean = std::none_of(trimmed.begin(), trimmed.end(), [](char c) {
      return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (!trimmed.empty() && (!http || !clean || trimmed.size() > max_link_bytes))
      return fail(
          job_errc::invalid_link, "invoice_link",
          fmt::format("invoice_link must be an http(s) URL of at most {} bytes", max_link_bytes));
    if (!trimmed.empty()) out.invoice_link = std::string(trimmed);
  }
  return out;
}

bool same_place(const job_state& s, const checked_place& p) {
  std::optional<geo_point> at;
  if (p.lat) at = geo_point{*p.lat, *p.lon};
  return s.address == p.address && s.location == at && s.invoice_link == p.invoice_link;
}

// `own` followed by what `cause` fires once `own` is applied.
event_list with_notification(const job_state& s, event_list own, const notification_cause& cause,
                             const notification_context& ctx,
                             notification_decision* seen = nullptr) {
  job_state after = s;
  for (const auto& e : own) evolve(after, e);
  auto d = decide_notification(after, cause, ctx);
  if (d.fire) own.emplace_back(std::move(*d.fire));
  if (seen) *seen = std::move(d);
  return own;
}

decision decide_create(const job_state& s, const create_job& c) {
  if (auto e = check_id(c.id, "id")) return unexpected{*e};
  if (auto e = check_id(c.customer_id, "customer_id")) return unexpected{*e};
  auto place = check_place(c.address, c.lat, c.lon, c.invoice_link);
  if (!place) return unexpected{place.error()};
  if (s.created()) {
    if (s.id == c.id && s.customer_id == c.customer_id && s.scheduled_at == c.scheduled_at &&
        same_place(s, *place))
      return event_list{};
    return fail(job_errc::already_created, "id", "job " + c.id + " exists already");
  }
  return event_list{events::job_created{c.id, c.customer_id, place->address, place->lat, place->lon,
                                        to_micros(c.scheduled_at), place->invoice_link}};
}

decision decide_update(const job_state& s, const update_job& c) {
  auto place = check_place(c.address, c.lat, c.lon, c.invoice_link);
  if (!place) return unexpected{place.error()};
  if (same_place(s, *place)) return event_list{};
  return event_list{
      events::job_updated{place->address, place->lat, place->lon, place->invoice_link}};
}

decision closed(const job_state& s) {
  return fail(job_errc::job_closed, "", fmt::format("the job is {}", to_string(s.status)));
}

decision decide_reschedule(const job_state& s, const reschedule_job& c) {
  if (s.closed()) return closed(s);
  if (c.scheduled_at == s.scheduled_at) return event_list{};
  return event_list{events::job_rescheduled{to_micros(c.scheduled_at)}};
}

decision decide_assign(const job_state& s, const assign_job& c, const notification_context& ctx) {
  if (auto e = check_id(c.technician_id, "technician_id")) return unexpected{*e};
  if (s.closed()) return closed(s);
  if (s.technician_id == c.technician_id) return event_list{};
  return with_notification(s, {events::job_assigned{c.technician_id}}, job_was_assigned{}, ctx);
}

std::optional<job_error> check_technician(const job_state& s, std::string_view technician_id) {
  if (!s.technician_id)
    return job_error{job_errc::not_assigned, "job_id", "the job has no technician assigned"};
  if (*s.technician_id != technician_id)
    return job_error{job_errc::wrong_technician, "job_id",
                     "the job is assigned to another technician"};
  return std::nullopt;
}

std::optional<job_status> job_status_for(technician_status t) {
  switch (t) {
    case technician_status::enroute:
      return job_status::enroute;
    case technician_status::on_site:
      return job_status::on_site;
    case technician_status::complete:
      return job_status::complete;
    case technician_status::available:
      break;
  }
  return std::nullopt;
}

decision decide_follow_status(const job_state& s, const follow_technician_status& c,
                              const notification_context& ctx) {
  if (auto e = check_technician(s, c.technician_id)) return unexpected{*e};
  const auto status = job_status_for(c.status);
  if (!status) return event_list{};  // available: the technician is free, the job unchanged
  if (s.status == job_status::cancelled ||
      (s.status == job_status::complete && *status != job_status::complete))
    return closed(s);
  event_list own;
  if (*status != s.status)
    own.emplace_back(events::job_status_changed{std::string(to_string(*status)), c.technician_id});
  return with_notification(s, std::move(own), technician_reported_status{c.status}, ctx);
}

decision decide_follow_location(const job_state& s, const follow_technician_location& c,
                                const notification_context& ctx) {
  // A fix from a technician no longer on the job (reassigned meanwhile) is
  // no error: the technician's stream has it, the job has nothing to do.
  if (!s.technician_id || *s.technician_id != c.technician_id) return event_list{};
  return with_notification(s, {}, technician_moved{}, ctx);
}

decision decide_by_hand(const job_state& s, const trigger_notification& c,
                        const notification_context& ctx) {
  auto t = parse_sms_trigger(c.trigger);
  if (!t || !is_automated(*t))
    return fail(job_errc::unknown_trigger, "type",
                "type must be scheduled, reminder, enroute, 15_min, arrived or complete");
  notification_decision d;
  auto out = with_notification(s, {}, trigger_by_hand{*t}, ctx, &d);
  switch (d.skipped) {
    case notification_skip::none:
      return out;
    case notification_skip::already_sent:
      return fail(job_errc::already_sent, "type",
                  fmt::format("the {} text went for this job already", c.trigger));
    case notification_skip::opted_out:
      return fail(job_errc::opted_out, "customer_id", "the customer opted out of texts");
    case notification_skip::job_closed:
      return closed(s);
    default:
      break;
  }
  return fail(job_errc::unknown_trigger, "type", "nothing to send");
}

bool is_pending(const job_state& s, sms_trigger t) {
  return std::any_of(s.pending.begin(), s.pending.end(),
                     [&](const pending_notification& n) { return n.trigger == t; });
}

}  // namespace

decision decide(const job_state& state, const job_command& command,
                const notification_context& context) {
  if (!state.created() && !std::holds_alternative<create_job>(command))
    return fail(job_errc::not_created, "", "no such job");
  const auto& s = state;
  const auto& ctx = context;
  return std::visit(
      events::overloaded{
          [&](const create_job& c) { return decide_create(s, c); },
          [&](const update_job& c) { return decide_update(s, c); },
          [&](const reschedule_job& c) { return decide_reschedule(s, c); },
          [&](const assign_job& c) { return decide_assign(s, c, ctx); },
          [&](const cancel_job&) -> decision {
            if (s.status == job_status::cancelled) return event_list{};
            if (s.status == job_status::complete) return closed(s);
            return event_list{events::job_status_changed{"cancelled", std::nullopt}};
          },
          [&](const follow_technician_status& c) { return decide_follow_status(s, c, ctx); },
          [&](const follow_technician_location& c) { return decide_follow_location(s, c, ctx); },
          [&](const send_reminder&) -> decision {
            return with_notification(s, {}, reminder_sweep{}, ctx);
          },
          [&](const trigger_notification& c) { return decide_by_hand(s, c, ctx); },
          [&](const record_notification_queued& c) -> decision {
            if (!is_pending(s, c.trigger)) return event_list{};
            return event_list{
                events::notification_queued{s.id, std::string(to_string(c.trigger)), c.message_id}};
          },
          [&](const record_notification_skipped& c) -> decision {
            if (!is_pending(s, c.trigger)) return event_list{};
            return event_list{
                events::notification_skipped{s.id, std::string(to_string(c.trigger)), c.reason}};
          },
      },
      command);
}

}  // namespace fl::domain
