#pragma once

// The job state machine: one job of a tenant (`job:<tenant>:<id>`). Its own
// facts (booking, place, time, technician, status) and the customer
// notifications they fire (job_notifications.hpp) are decided together, so
// one append records both. Pure decide and evolve (job_state.hpp); the job
// actor holds the state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/job_notifications.hpp"
#include "domain/job_state.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// Book a job under `id` (chosen by the caller) for customer `customer_id`.
/// A technician named in the request is assigned by a following
/// `assign_job`.
struct create_job {
  std::string id;
  std::string customer_id;
  std::string address;
  std::optional<double> lat;  // both or neither
  std::optional<double> lon;
  fl::timestamp scheduled_at;
  std::optional<std::string> invoice_link;
};

/// Replace a job's place and invoice link (all of them: a PUT).
struct update_job {
  std::string address;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> invoice_link;
};

/// Move the appointment.
struct reschedule_job {
  fl::timestamp scheduled_at;
};

/// Assign, or reassign, the job to a technician (`POST /jobs/{id}/assign`).
struct assign_job {
  std::string technician_id;
};

/// Cancel the job: no more notifications fire for it.
struct cancel_job {};

/// The job's technician's status changed for this job (after the
/// technician's actor recorded it); the context carries the technician.
struct follow_technician_status {
  std::string technician_id;
  technician_status status = technician_status::available;
};

/// The job's technician recorded a new fix; the context carries the
/// technician with it.
struct follow_technician_location {
  std::string technician_id;
};

/// The day-before reminder sweep, at the context's `now`.
struct send_reminder {};

/// `POST /sms/trigger/{type}`: fire one notification by hand.
struct trigger_notification {
  std::string trigger;  // wire name: "scheduled", "15_min", ...
};

/// A triggered notification's text was queued in the customer's conversation.
struct record_notification_queued {
  sms_trigger trigger = sms_trigger::scheduled;
  std::string message_id;
};

/// A triggered notification will not be texted (see `notification_skipped`).
struct record_notification_skipped {
  sms_trigger trigger = sms_trigger::scheduled;
  std::string reason;
};

/// Every command a job takes: a closed set.
using job_command =
    std::variant<create_job, update_job, reschedule_job, assign_job, cancel_job,
                 follow_technician_status, follow_technician_location, send_reminder,
                 trigger_notification, record_notification_queued, record_notification_skipped>;

/// Why `decide` refused a command. Numbers are pinned.
enum class job_errc : std::uint8_t {
  invalid_id = 1,        // a job, customer or technician id that is_valid_entity_id refuses
  invalid_text = 2,      // address not UTF-8, with a control character, or too long
  invalid_position = 3,  // lat/lon not finite, out of range, or only one of them
  invalid_link = 4,      // invoice_link not an http(s) URL of at most 2000 bytes
  already_created = 5,   // create for an id that holds another job
  not_created = 6,       // anything else for an id never created
  job_closed = 7,        // a complete or cancelled job: no assignment, new time or status
  not_assigned = 8,      // a technician status for a job with no technician
  wrong_technician = 9,  // a status or fix from a technician the job is not assigned to
  unknown_trigger = 10,  // by hand: not scheduled, reminder, enroute, 15_min, arrived, complete
  already_sent = 11,     // by hand: that notification went for this job already
  opted_out = 12,        // by hand: the customer opted out of texts
};

std::string_view to_string(job_errc code);

struct job_error {
  job_errc code = job_errc::invalid_id;
  std::string field;  // the api.md field concerned, "" when none
  std::string message;
};

/// The events `command` produces, the job's own first and then the
/// `notification_triggered` it fires, if any (decide_notification, over
/// the state those first events make); empty when it changes nothing.
/// - `create_job`: `job_created`; the same again is nothing (a retried POST).
/// - `update_job`: `job_updated` when anything differs.
/// - `reschedule_job`: `job_rescheduled` when the time differs (re-arms the
///   reminder). `job_closed` for a closed job.
/// - `assign_job`: `job_assigned` when the technician differs, then the
///   scheduled notification (only ever the first assignment's).
///   `job_closed` for a closed job.
/// - `cancel_job`: `job_status_changed{cancelled}`; complete is `job_closed`.
/// - `follow_technician_status`: `job_status_changed` to enroute, on_site or
///   complete when it differs (available changes nothing), then enroute,
///   arrived or complete. Errors: `not_assigned`, `wrong_technician`, and
///   `job_closed` for a cancelled job, or a complete one told anything but
///   complete.
/// - `follow_technician_location`: 15_min or arrived. `wrong_technician`.
/// - `send_reminder`: the reminder when due.
/// - `trigger_notification`: the notification, by hand; `unknown_trigger`,
///   `already_sent`, `opted_out`, `job_closed` when it cannot fire.
/// - `record_notification_queued` / `_skipped`: `notification_queued` /
///   `notification_skipped` while the trigger is pending; nothing after.
/// Everything but create is `not_created` before it.
[[nodiscard]] expected<std::vector<events::event>, job_error> decide(
    const job_state& state, const job_command& command, const notification_context& context);

}  // namespace fl::domain
