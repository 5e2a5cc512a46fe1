#pragma once

// Which customer notification a job fires, if any, on each thing that
// happens to it: the pure decider behind the scheduled, reminder, enroute,
// 15_min, arrived and complete texts. Each fires at most once per job (the
// reminder at most once per appointment time), and every one that fires is
// recorded as a `notification_triggered` event on the job's stream.

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "base/timestamp.hpp"
#include "domain/geo.hpp"
#include "domain/job_state.hpp"
#include "domain/sms_settings.hpp"
#include "domain/sms_trigger.hpp"
#include "domain/technician.hpp"
#include "events/notification_events.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// The job was just assigned to a technician.
struct job_was_assigned {};
/// The job's technician reported (or the geofence set) a status for it.
struct technician_reported_status {
  technician_status status = technician_status::available;
};
/// The job's technician recorded a new location fix.
struct technician_moved {};
/// The day-before reminder sweep ran at the context's `now`.
struct reminder_sweep {};
/// A person asked for `trigger` (`POST /sms/trigger/{type}`): sent if it has
/// not been, whatever the switches and quiet hours (a person sends it on
/// purpose), and whatever the technician is doing.
struct trigger_by_hand {
  sms_trigger trigger = sms_trigger::scheduled;
};

/// What may fire a notification: a closed set.
using notification_cause = std::variant<job_was_assigned, technician_reported_status,
                                        technician_moved, reminder_sweep, trigger_by_hand>;

/// What the decider reads besides the job. Nothing here is owned.
struct notification_context {
  fl::timestamp now;
  const date::time_zone* zone = nullptr;  // the tenant's; UTC when null
  sms_settings settings;                  // the tenant's effective settings
  bool customer_opted_out = false;        // as the customer's conversation knows it
  // The job's technician, when the cause concerns it (status, location);
  // it supplies the fixes behind the ETA and the geofence.
  const technician_state* technician = nullptr;
  eta_options eta;
};

/// Why no notification fired. Numbers are pinned.
enum class notification_skip : std::uint8_t {
  none = 0,            // one fired
  no_trigger = 1,      // the cause calls for no notification (status available, ...)
  not_applicable = 2,  // not now: ETA over 15 min, outside the geofence, not en route
                       // to this job, no fix or no place for the job, reminder not due
  already_sent = 3,    // this trigger fired for this job (reminder: for this time)
  superseded = 4,      // a later one fired already: no "on the way" after "arrived"
  switched_off = 5,    // the master switch or the trigger's own is off
  opted_out = 6,       // the customer opted out of texts
  job_closed = 7,      // the job is cancelled (or complete, for all but by hand)
  too_late = 8,        // a reminder quiet hours would hold past its day-before window
};

std::string_view to_string(notification_skip s);

/// The decider's answer: the event to record, or why there is none.
struct notification_decision {
  std::optional<sms_trigger> trigger;  // the trigger considered, if the cause calls for one
  std::optional<events::notification_triggered> fire;
  notification_skip skipped = notification_skip::no_trigger;
};

/// Decides whether `cause` fires a notification for `job` (its state after
/// the job's own events for the same command, e.g. with the technician the
/// assignment set). Pure.
///
/// Automated triggers, each when the master switch and its own are on
/// (`sends_automatically`), the customer has not opted out, it has not
/// fired, no later one of enroute → 15_min → arrived → complete has fired,
/// and the job is not closed:
/// - `job_was_assigned` → scheduled.
/// - `technician_reported_status`: enroute → enroute, with `eta_minutes`
///   from the technician's latest fix to the job (`recent_track`: reported
///   speed, else recent average, else the default); on_site → arrived;
///   complete → complete (the job is complete by then: complete is the one
///   trigger a complete job fires); available → nothing.
/// - `technician_moved`, while the technician is en route to this job (or
///   on site at it): arrived when its latest fix is inside the geofence
///   (`settings.geofence_radius_m` around the job's place); otherwise,
///   while en route, 15_min with `eta_minutes` when the ETA is ≤ 15 minutes.
/// - `reminder_sweep` → reminder when `reminder_due` at `now` (none sent
///   for the current appointment time, inside its day-before window) — but
///   `too_late` when quiet hours would hold it past the window's end.
/// Quiet hours hold scheduled, reminder and complete: `held_until_us` is
/// when they end (`send_not_before`); enroute, 15_min and arrived go at once.
///
/// `trigger_by_hand` fires any of the six when it has not fired (reminder:
/// for the current time), the customer has not opted out and the job is not
/// cancelled: never switched off, held or superseded. `manual` and `reply`
/// are `no_trigger`.
notification_decision decide_notification(const job_state& job, const notification_cause& cause,
                                          const notification_context& context);

/// The 15_min threshold: an ETA at or under this many minutes.
inline constexpr int fifteen_minutes = 15;

}  // namespace fl::domain
