#include "domain/reminder_schedule.hpp"

#include <algorithm>

#include "domain/wall_clock.hpp"

namespace fl::domain {

reminder_window reminder_window_for(fl::timestamp scheduled_at, const date::time_zone* zone,
                                    int reminder_hour) {
  const auto appointment_day = std::chrono::floor<date::days>(wall_clock_at(scheduled_at, zone));
  const auto hour = std::chrono::hours{std::clamp(reminder_hour, 0, 23)};
  const local_instant opens = appointment_day - date::days{1} + hour;
  const local_instant closes = appointment_day;
  reminder_window w;
  w.opens_at = instant_at(opens, zone);
  w.closes_at = std::min(instant_at(closes, zone), scheduled_at);
  return w;
}

bool reminder_due(const reminder_job& job, fl::timestamp as_of, const date::time_zone* zone,
                  int reminder_hour) {
  if (job.reminded_for == job.scheduled_at) return false;
  const auto w = reminder_window_for(job.scheduled_at, zone, reminder_hour);
  return as_of >= w.opens_at && as_of < w.closes_at;
}

}  // namespace fl::domain
