#include "domain/sms_settings_state.hpp"

namespace fl::domain {

sms_settings effective_settings(const sms_settings_state& state, std::string_view company_name) {
  return state.saved ? *state.saved : default_sms_settings(company_name);
}

expected<std::vector<events::event>, settings_error> decide(const sms_settings_state& state,
                                                            const change_sms_settings& command,
                                                            std::string_view company_name) {
  if (auto valid = validate_sms_settings(command.settings); !valid)
    return unexpected{valid.error()};
  if (command.settings == effective_settings(state, company_name))
    return std::vector<events::event>{};
  return std::vector<events::event>{to_event(command.settings)};
}

void evolve(sms_settings_state& state, const events::event& event) {
  if (const auto* e = std::get_if<events::sms_settings_changed>(&event))
    state.saved = settings_of(*e);
  ++state.version;
}

events::sms_settings_changed to_event(const sms_settings& s) {
  events::sms_settings_changed e;
  e.enabled = s.enabled;
  e.triggers = {s.triggers.scheduled,   s.triggers.reminder, s.triggers.enroute,
                s.triggers.fifteen_min, s.triggers.arrived,  s.triggers.complete};
  e.reminder_hour = s.reminder_hour;
  e.opt_out_message = s.opt_out_message;
  e.quiet_hours_start = s.quiet_hours_start;
  e.quiet_hours_end = s.quiet_hours_end;
  e.geofence_radius_m = s.geofence_radius_m;
  return e;
}

sms_settings settings_of(const events::sms_settings_changed& e) {
  sms_settings s;
  s.enabled = e.enabled;
  s.triggers = {e.triggers.scheduled,   e.triggers.reminder, e.triggers.enroute,
                e.triggers.fifteen_min, e.triggers.arrived,  e.triggers.complete};
  s.reminder_hour = static_cast<int>(e.reminder_hour);
  s.opt_out_message = e.opt_out_message;
  s.quiet_hours_start = e.quiet_hours_start;
  s.quiet_hours_end = e.quiet_hours_end;
  s.geofence_radius_m = static_cast<int>(e.geofence_radius_m);
  return s;
}

}  // namespace fl::domain
