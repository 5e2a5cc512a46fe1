#include "domain/sms_settings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/utf8.hpp"
#include "domain/quiet_hours.hpp"
#include "domain/tenant_directory.hpp"

namespace fl::domain {

namespace {

// The member holding `t`'s switch (const or not, as `s` is), or null.
template <class Switches>
auto switch_of(Switches& s, sms_trigger t) -> decltype(&s.scheduled) {
  switch (t) {
    case sms_trigger::scheduled:
      return &s.scheduled;
    case sms_trigger::reminder:
      return &s.reminder;
    case sms_trigger::enroute:
      return &s.enroute;
    case sms_trigger::fifteen_min:
      return &s.fifteen_min;
    case sms_trigger::arrived:
      return &s.arrived;
    case sms_trigger::complete:
      return &s.complete;
    case sms_trigger::manual:
    case sms_trigger::reply:
      return nullptr;
  }
  return nullptr;
}

unexpected<settings_error> fail(settings_errc code, std::string field, std::string message) {
  return unexpected{settings_error{code, std::move(field), std::move(message)}};
}

}  // namespace

bool switched_on(const sms_trigger_switches& switches, sms_trigger t) {
  const bool* on = switch_of(switches, t);
  return on ? *on : true;
}

void set_switch(sms_trigger_switches& switches, sms_trigger t, bool on) {
  if (auto* s = switch_of(switches, t)) *s = on;
}

sms_settings default_sms_settings(std::string_view company_name) {
  tenant t;
  t.name = std::string(company_name);
  set_default_compliance_texts(t);
  sms_settings s;
  s.opt_out_message = std::move(t.opt_out_message);
  return s;
}

bool sends_automatically(const sms_settings& s, sms_trigger t) {
  if (!is_automated(t)) return true;
  return s.enabled && switched_on(s.triggers, t);
}

std::string_view to_string(settings_errc code) {
  switch (code) {
    case settings_errc::out_of_range:
      return "out_of_range";
    case settings_errc::bad_clock_time:
      return "bad_clock_time";
    case settings_errc::incomplete_quiet_hours:
      return "incomplete_quiet_hours";
    case settings_errc::empty_quiet_hours:
      return "empty_quiet_hours";
    case settings_errc::blank_text:
      return "blank_text";
    case settings_errc::too_long:
      return "too_long";
    case settings_errc::invalid_utf8:
      return "invalid_utf8";
    case settings_errc::reminder_in_quiet_hours:
      return "reminder_in_quiet_hours";
  }
  return "unknown";
}

expected<void, settings_error> validate_sms_settings(const sms_settings& s) {
  if (s.reminder_hour < 0 || s.reminder_hour > 23)
    return fail(settings_errc::out_of_range, "reminder_hour",
                fmt::format("reminder_hour must be 0..23, not {}", s.reminder_hour));

  const auto& text = s.opt_out_message;
  if (!fl::is_valid_utf8(text))
    return fail(settings_errc::invalid_utf8, "opt_out_message", "opt_out_message is not UTF-8");
  if (text.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
    return fail(settings_errc::blank_text, "opt_out_message", "opt_out_message is empty");
  auto length = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(length) > max_opt_out_message_code_points)
    return fail(settings_errc::too_long, "opt_out_message",
                fmt::format("opt_out_message is longer than {} characters",
                            max_opt_out_message_code_points));

  for (const auto* field : {&s.quiet_hours_start, &s.quiet_hours_end}) {
    const char* name = field == &s.quiet_hours_start ? "quiet_hours_start" : "quiet_hours_end";
    if (*field && !parse_clock_time(**field))
      return fail(settings_errc::bad_clock_time, name,
                  fmt::format("{} must be \"HH:MM\" (00:00 to 23:59)", name));
  }
  if (s.quiet_hours_start.has_value() != s.quiet_hours_end.has_value()) {
    const char* missing = s.quiet_hours_start ? "quiet_hours_end" : "quiet_hours_start";
    return fail(settings_errc::incomplete_quiet_hours, missing,
                fmt::format("{} is needed too: quiet hours take both ends, or neither", missing));
  }
  auto window = quiet_window_of(s);
  if (s.quiet_hours_start && !window)
    return fail(settings_errc::empty_quiet_hours, "quiet_hours_end",
                "quiet_hours_end must differ from quiet_hours_start");

  if (s.geofence_radius_m < min_geofence_radius_m || s.geofence_radius_m > max_geofence_radius_m)
    return fail(settings_errc::out_of_range, "geofence_radius_m",
                fmt::format("geofence_radius_m must be {}..{}, not {}", min_geofence_radius_m,
                            max_geofence_radius_m, s.geofence_radius_m));

  if (window && window->contains(clock_time{s.reminder_hour, 0}))
    return fail(settings_errc::reminder_in_quiet_hours, "reminder_hour",
                fmt::format("reminder_hour {}:00 falls in the quiet hours {} to {}: reminders "
                            "would be held until the day of the appointment",
                            s.reminder_hour, *s.quiet_hours_start, *s.quiet_hours_end));
  return {};
}

}  // namespace fl::domain
