#include "domain/job_state.hpp"

#include <algorithm>

namespace fl::domain {

namespace {

constexpr std::array all_statuses{job_status::unassigned, job_status::scheduled,
                                  job_status::enroute,    job_status::on_site,
                                  job_status::complete,   job_status::cancelled};

std::optional<geo_point> point_of(const std::optional<double>& lat,
                                  const std::optional<double>& lon) {
  if (!lat || !lon) return std::nullopt;
  return geo_point{*lat, *lon};
}

void take_off_pending(job_state& s, std::string_view trigger) {
  auto t = parse_sms_trigger(trigger);
  if (!t) return;
  std::erase_if(s.pending, [&](const pending_notification& n) { return n.trigger == *t; });
}

void apply_triggered(job_state& s, const events::notification_triggered& e) {
  auto t = parse_sms_trigger(e.trigger);
  if (!t) return;  // `decide` never emits one; a hand-written log might
  const auto scheduled_at = from_micros(e.scheduled_at_us);
  s.fired.record(*t, scheduled_at);
  pending_notification n;
  n.trigger = *t;
  n.scheduled_at = scheduled_at;
  n.technician_id = e.technician_id;
  if (e.eta_minutes) n.eta_minutes = static_cast<int>(*e.eta_minutes);
  if (e.held_until_us) n.held_until = from_micros(*e.held_until_us);
  n.by_hand = e.by_hand;
  std::erase_if(s.pending, [&](const pending_notification& p) { return p.trigger == *t; });
  s.pending.push_back(std::move(n));
}

// fired_notifications indexes its array by the automated triggers' values.
static_assert(static_cast<int>(sms_trigger::scheduled) == 0 &&
              static_cast<int>(sms_trigger::complete) == 5);

}  // namespace

std::string_view to_string(job_status s) {
  switch (s) {
    case job_status::unassigned:
      return "unassigned";
    case job_status::scheduled:
      return "scheduled";
    case job_status::enroute:
      return "enroute";
    case job_status::on_site:
      return "on_site";
    case job_status::complete:
      return "complete";
    case job_status::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<job_status> parse_job_status(std::string_view name) {
  for (auto s : all_statuses)
    if (to_string(s) == name) return s;
  return std::nullopt;
}

std::optional<fl::timestamp> fired_notifications::fired_for(sms_trigger t) const {
  if (!is_automated(t)) return std::nullopt;
  return fired_for_[static_cast<std::size_t>(t)];
}

void fired_notifications::record(sms_trigger t, fl::timestamp scheduled_at) {
  if (is_automated(t)) fired_for_[static_cast<std::size_t>(t)] = scheduled_at;
}

void evolve(job_state& state, const events::event& event) {
  std::visit(events::overloaded{
                 [&](const events::job_created& e) {
                   state.id = e.job_id;
                   state.customer_id = e.customer_id;
                   state.address = e.address;
                   state.location = point_of(e.lat, e.lon);
                   state.scheduled_at = from_micros(e.scheduled_at_us);
                   state.invoice_link = e.invoice_link;
                 },
                 [&](const events::job_updated& e) {
                   state.address = e.address;
                   state.location = point_of(e.lat, e.lon);
                   state.invoice_link = e.invoice_link;
                 },
                 [&](const events::job_rescheduled& e) {
                   state.scheduled_at = from_micros(e.scheduled_at_us);
                 },
                 [&](const events::job_assigned& e) {
                   state.technician_id = e.technician_id;
                   if (state.status == job_status::unassigned) state.status = job_status::scheduled;
                 },
                 [&](const events::job_status_changed& e) {
                   if (auto status = parse_job_status(e.status)) state.status = *status;
                 },
                 [&](const events::notification_triggered& e) { apply_triggered(state, e); },
                 [&](const events::notification_queued& e) { take_off_pending(state, e.trigger); },
                 [&](const events::notification_skipped& e) { take_off_pending(state, e.trigger); },
                 [](const auto&) {},
             },
             event);
  ++state.version;
}

std::vector<pending_notification> due_notifications(const job_state& state, fl::timestamp now) {
  std::vector<pending_notification> out;
  for (const auto& n : state.pending)
    if (!n.held_until || *n.held_until <= now) out.push_back(n);
  return out;
}

std::optional<fl::timestamp> next_release_at(const job_state& state) {
  std::optional<fl::timestamp> next;
  for (const auto& n : state.pending)
    if (n.held_until && (!next || *n.held_until < *next)) next = n.held_until;
  return next;
}

std::optional<std::string_view> stale_reason(const job_state& state,
                                             const pending_notification& n) {
  if (state.status == job_status::cancelled) return "cancelled";
  if (n.trigger == sms_trigger::reminder && n.scheduled_at != state.scheduled_at)
    return "rescheduled";
  return std::nullopt;
}

}  // namespace fl::domain
