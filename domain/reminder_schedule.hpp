#pragma once

// When a job's day-before reminder goes out, on the tenant's clock.

#include <optional>

#include "base/timestamp.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// The span in which a job's day-before reminder may go out: from
/// `reminder_hour`:00 on the local day before the appointment's local date
/// until the local midnight that starts the appointment's day (or the
/// appointment itself, if earlier). After that the reminder's "tomorrow"
/// would be wrong, so a missed reminder is skipped rather than sent late.
struct reminder_window {
  fl::timestamp opens_at;
  fl::timestamp closes_at;  // exclusive
};

/// The reminder window of an appointment at `scheduled_at` in `zone` (UTC
/// when null). `reminder_hour` is clamped to 0..23. DST: an opening hour
/// skipped by a spring-forward gap opens when the gap ends (02:00 that does
/// not exist → 03:00 new time); an hour repeated by a fall-back overlap
/// opens at its first occurrence. The same holds for the closing midnight in
/// zones that shift at midnight.
reminder_window reminder_window_for(fl::timestamp scheduled_at, const date::time_zone* zone,
                                    int reminder_hour);

/// The timing facts of one job that the reminder sweep needs.
struct reminder_job {
  fl::timestamp scheduled_at;
  // The scheduled_at the last reminder was sent for, if one was: a job
  // rescheduled since then is due a new reminder; one not rescheduled never
  // gets a second.
  std::optional<fl::timestamp> reminded_for;
};

/// Whether the sweep at `as_of` should send `job`'s reminder: none was sent
/// for its current scheduled_at and `as_of` is inside its reminder window.
/// Whether the job still wants one (not cancelled, customer not opted out,
/// reminders switched on) is the caller's to check.
bool reminder_due(const reminder_job& job, fl::timestamp as_of, const date::time_zone* zone,
                  int reminder_hour);

}  // namespace fl::domain
