#include "domain/job_notifications.hpp"

#include "domain/quiet_hours.hpp"
#include "domain/reminder_schedule.hpp"

namespace fl::domain {

std::string_view to_string(notification_skip s) {
  switch (s) {
    case notification_skip::none:
      return "none";
    case notification_skip::no_trigger:
      return "no_trigger";
    case notification_skip::not_applicable:
      return "not_applicable";
    case notification_skip::already_sent:
      return "already_sent";
    case notification_skip::superseded:
      return "superseded";
    case notification_skip::switched_off:
      return "switched_off";
    case notification_skip::opted_out:
      return "opted_out";
    case notification_skip::job_closed:
      return "job_closed";
    case notification_skip::too_late:
      return "too_late";
  }
  return "unknown";
}

namespace {

notification_decision skip(std::optional<sms_trigger> t, notification_skip why) {
  return {t, std::nullopt, why};
}

// The visit's stages, in the order the customer hears of them; -1 for the
// others.
int stage_of(sms_trigger t) {
  switch (t) {
    case sms_trigger::enroute:
      return 0;
    case sms_trigger::fifteen_min:
      return 1;
    case sms_trigger::arrived:
      return 2;
    case sms_trigger::complete:
      return 3;
    default:
      return -1;
  }
}

bool later_stage_fired(const job_state& job, sms_trigger t) {
  const int stage = stage_of(t);
  if (stage < 0) return false;
  for (auto later : {sms_trigger::fifteen_min, sms_trigger::arrived, sms_trigger::complete})
    if (stage_of(later) > stage && job.fired.fired(later)) return true;
  return false;
}

bool already_fired(const job_state& job, sms_trigger t) {
  auto fired_for = job.fired.fired_for(t);
  if (t == sms_trigger::reminder) return fired_for == job.scheduled_at;
  return fired_for.has_value();
}

std::optional<int> eta_to_job(const job_state& job, const notification_context& ctx) {
  if (!ctx.technician || !job.location) return std::nullopt;
  return ctx.technician->track.eta_minutes_to(*job.location, ctx.eta);
}

bool latest_fix_inside_geofence(const job_state& job, const notification_context& ctx) {
  if (!ctx.technician || !job.location) return false;
  const auto* fix = ctx.technician->track.latest();
  return fix && inside_geofence(fix->at, *job.location, ctx.settings.geofence_radius_m);
}

events::notification_triggered triggered(const job_state& job, sms_trigger t,
                                         std::optional<int> eta, bool by_hand) {
  events::notification_triggered e;
  e.job_id = job.id;
  e.trigger = std::string(to_string(t));
  e.scheduled_at_us = to_micros(job.scheduled_at);
  e.technician_id = job.technician_id;
  if (eta) e.eta_minutes = *eta;
  e.by_hand = by_hand;
  return e;
}

// The checks every automated trigger passes, then the quiet-hours hold.
notification_decision fire_automated(const job_state& job, sms_trigger t, std::optional<int> eta,
                                     const notification_context& ctx) {
  if (job.status == job_status::cancelled ||
      (job.status == job_status::complete && t != sms_trigger::complete))
    return skip(t, notification_skip::job_closed);
  if (already_fired(job, t)) return skip(t, notification_skip::already_sent);
  if (later_stage_fired(job, t)) return skip(t, notification_skip::superseded);
  if (!sends_automatically(ctx.settings, t)) return skip(t, notification_skip::switched_off);
  if (ctx.customer_opted_out) return skip(t, notification_skip::opted_out);

  auto e = triggered(job, t, eta, false);
  const auto not_before = send_not_before(t, ctx.now, ctx.zone, ctx.settings);
  if (t == sms_trigger::reminder &&
      not_before >=
          reminder_window_for(job.scheduled_at, ctx.zone, ctx.settings.reminder_hour).closes_at)
    return skip(t, notification_skip::too_late);
  if (not_before > ctx.now) e.held_until_us = to_micros(not_before);
  return {t, std::move(e), notification_skip::none};
}

notification_decision on_status(const job_state& job, technician_status status,
                                const notification_context& ctx) {
  switch (status) {
    case technician_status::enroute:
      return fire_automated(job, sms_trigger::enroute, eta_to_job(job, ctx), ctx);
    case technician_status::on_site:
      return fire_automated(job, sms_trigger::arrived, std::nullopt, ctx);
    case technician_status::complete:
      return fire_automated(job, sms_trigger::complete, std::nullopt, ctx);
    case technician_status::available:
      break;
  }
  return skip(std::nullopt, notification_skip::no_trigger);
}

notification_decision on_moved(const job_state& job, const notification_context& ctx) {
  const auto* tech = ctx.technician;
  const bool en_route = tech && tech->en_route_to(job.id);
  const bool on_site = tech && tech->status == technician_status::on_site && tech->job_id == job.id;
  if (!en_route && !on_site) return skip(std::nullopt, notification_skip::not_applicable);
  if (latest_fix_inside_geofence(job, ctx))
    return fire_automated(job, sms_trigger::arrived, std::nullopt, ctx);
  if (!en_route) return skip(std::nullopt, notification_skip::not_applicable);
  auto eta = eta_to_job(job, ctx);
  if (!eta || *eta > fifteen_minutes)
    return skip(sms_trigger::fifteen_min, notification_skip::not_applicable);
  return fire_automated(job, sms_trigger::fifteen_min, eta, ctx);
}

notification_decision on_sweep(const job_state& job, const notification_context& ctx) {
  const reminder_job timing{job.scheduled_at, job.fired.fired_for(sms_trigger::reminder)};
  if (!reminder_due(timing, ctx.now, ctx.zone, ctx.settings.reminder_hour)) {
    auto why = already_fired(job, sms_trigger::reminder) ? notification_skip::already_sent
                                                         : notification_skip::not_applicable;
    return skip(sms_trigger::reminder, why);
  }
  return fire_automated(job, sms_trigger::reminder, std::nullopt, ctx);
}

notification_decision on_hand(const job_state& job, sms_trigger t,
                              const notification_context& ctx) {
  if (!is_automated(t)) return skip(std::nullopt, notification_skip::no_trigger);
  if (job.status == job_status::cancelled) return skip(t, notification_skip::job_closed);
  if (already_fired(job, t)) return skip(t, notification_skip::already_sent);
  if (ctx.customer_opted_out) return skip(t, notification_skip::opted_out);
  std::optional<int> eta;
  if (t == sms_trigger::enroute || t == sms_trigger::fifteen_min) eta = eta_to_job(job, ctx);
  return {t, triggered(job, t, eta, true), notification_skip::none};
}

}  // namespace

notification_decision decide_notification(const job_state& job, const notification_cause& cause,
                                          const notification_context& context) {
  return std::visit(
      events::overloaded{
          [&](const job_was_assigned&) {
            if (!job.technician_id) return skip(std::nullopt, notification_skip::no_trigger);
            return fire_automated(job, sms_trigger::scheduled, std::nullopt, context);
          },
          [&](const technician_reported_status& c) { return on_status(job, c.status, context); },
          [&](const technician_moved&) { return on_moved(job, context); },
          [&](const reminder_sweep&) { return on_sweep(job, context); },
          [&](const trigger_by_hand& c) { return on_hand(job, c.trigger, context); },
      },
      cause);
}

}  // namespace fl::domain
