#pragma once

// Quiet hours: a tenant-local window in which automated texts that can wait
// are held until the window ends — held, never dropped.

#include <optional>
#include <string>
#include <string_view>

#include "base/timestamp.hpp"
#include "domain/sms_settings.hpp"
#include "domain/sms_trigger.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// A time of day on a wall clock, to the minute.
struct clock_time {
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  int minutes_of_day() const { return hour * 60 + minute; }
  friend auto operator<=>(const clock_time&, const clock_time&) = default;
};

/// Parses "HH:MM" exactly: two digits each, 00:00 to 23:59 ("9:00",
/// "24:00", "09:00:00" and " 09:00" are refused).
std::optional<clock_time> parse_clock_time(std::string_view hh_mm);

/// "HH:MM".
std::string to_string(clock_time t);

/// The quiet window [start, end) on the wall clock; when start > end it
/// crosses midnight (21:00 to 08:00 holds from 21:00 to 08:00 the next day).
struct quiet_window {
  clock_time start;
  clock_time end;
  /// Whether a wall-clock time of day, minute precision, is in the window.
  bool contains(clock_time t) const;
};

/// The settings' window, or nullopt when they have none — or an unusable
/// one (a bound missing or not "HH:MM", start == end), which validation
/// refuses before it is stored.
std::optional<quiet_window> quiet_window_of(const sms_settings& s);

/// Whether the wall clock in `zone` (UTC when null) reads inside the window
/// at `t`. It is the wall clock that counts: in the repeated hour of a
/// fall-back day, a time that reads inside the window is quiet again.
bool is_quiet(fl::timestamp t, const date::time_zone* zone, const quiet_window& w);
bool is_quiet(fl::timestamp t, const date::time_zone* zone, const sms_settings& s);

/// The first instant at or after `t` that is not quiet: `t` itself when it
/// is not quiet, otherwise when the wall clock next reads the window's end.
/// On a day whose end time falls in a DST gap (02:30 on a spring-forward
/// day), the window ends with the gap (03:00 new time); on a day it repeats,
/// at its next occurrence.
fl::timestamp quiet_ends_at(fl::timestamp t, const date::time_zone* zone, const quiet_window& w);
fl::timestamp quiet_ends_at(fl::timestamp t, const date::time_zone* zone, const sms_settings& s);

/// Whether quiet hours hold texts of trigger `t`: `scheduled`, `reminder`
/// and `complete` can wait and are held. `enroute`, `15_min` and `arrived`
/// are useful only now, `manual` texts are sent by a person on purpose and
/// `reply` answers a text the customer just sent: those go at once.
bool held_by_quiet_hours(sms_trigger t);

/// When a text of trigger `t` created at `t_created` may go out: at once,
/// unless the trigger is held and it is quiet then, in which case when the
/// quiet hours end.
fl::timestamp send_not_before(sms_trigger t, fl::timestamp t_created, const date::time_zone* zone,
                              const sms_settings& s);

}  // namespace fl::domain
