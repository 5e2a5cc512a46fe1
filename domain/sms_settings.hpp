#pragma once

// A tenant's SMS settings, as `GET|PUT /sms/settings` carries them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "domain/sms_trigger.hpp"

namespace fl::domain {

/// Which automated notifications are on. Each defaults to on.
struct sms_trigger_switches {
  bool scheduled = true;    // Default: true.
  bool reminder = true;     // Default: true.
  bool enroute = true;      // Default: true.
  bool fifteen_min = true;  // Default: true. "15_min" on the wire.
  bool arrived = true;      // Default: true.
  bool complete = true;     // Default: true.
  friend bool operator==(const sms_trigger_switches&, const sms_trigger_switches&) = default;
};

/// The switch for `t`; `manual` and `reply` have none and answer true.
bool switched_on(const sms_trigger_switches& switches, sms_trigger t);
void set_switch(sms_trigger_switches& switches, sms_trigger t, bool on);  // no-op for manual, reply

inline constexpr int min_geofence_radius_m = 10;
inline constexpr int max_geofence_radius_m = 5000;
/// The longest opt-out reply, in code points: two GSM-7 segments' worth.
inline constexpr std::size_t max_opt_out_message_code_points = 320;

/// A tenant's SMS settings. Only a value that validate_sms_settings accepts
/// should be stored.
struct sms_settings {
  // Default: true. The master switch for automated texts; manual texts and
  // replies are not affected (a person sends them on purpose).
  bool enabled = true;
  sms_trigger_switches triggers;
  // Default: 18 (6 PM). The tenant-local hour, 0..23, the day-before
  // reminder goes out at.
  int reminder_hour = 18;
  // Default: empty here; default_sms_settings fills the tenant's STOP
  // confirmation. The reply to STOP; 1..320 code points, not blank.
  std::string opt_out_message;
  // Default: none. "HH:MM" tenant-local, both set or both none; the window
  // [start, end) may cross midnight ("21:00" to "08:00") and must not be
  // empty (start == end).
  std::optional<std::string> quiet_hours_start;
  std::optional<std::string> quiet_hours_end;
  // Default: 150. Metres from the job within which a technician has arrived;
  // 10..5000.
  int geofence_radius_m = 150;
  friend bool operator==(const sms_settings&, const sms_settings&) = default;
};

/// The settings a tenant named `company_name` starts with: the defaults
/// above, with the same STOP confirmation the tenant's conversations use.
sms_settings default_sms_settings(std::string_view company_name);

/// Whether texts of trigger `t` go out automatically under `s`: the master
/// switch and the trigger's own switch are both on. Always true for `manual`
/// and `reply`.
bool sends_automatically(const sms_settings& s, sms_trigger t);

/// Why settings were refused. Numbers are pinned.
enum class settings_errc : std::uint8_t {
  out_of_range = 1,             // reminder_hour, geofence_radius_m
  bad_clock_time = 2,           // a quiet-hours bound that is not "HH:MM"
  incomplete_quiet_hours = 3,   // one bound set, the other null
  empty_quiet_hours = 4,        // start == end
  blank_text = 5,               // opt_out_message empty or whitespace
  too_long = 6,                 // opt_out_message over the limit
  invalid_utf8 = 7,             // opt_out_message
  reminder_in_quiet_hours = 8,  // reminders would be held to the appointment day
};

std::string_view to_string(settings_errc code);

struct settings_error {
  settings_errc code = settings_errc::out_of_range;
  std::string field;    // the api.md field name, e.g. "quiet_hours_end"
  std::string message;  // for people
};

/// Checks every field; the first fault, in the order of api.md's fields, is
/// the answer. Besides each field's own range, a reminder hour inside the
/// quiet hours is refused (field "reminder_hour"): every reminder would be
/// held until the morning of the appointment it announces for "tomorrow".
expected<void, settings_error> validate_sms_settings(const sms_settings& s);

}  // namespace fl::domain
