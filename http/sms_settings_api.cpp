// GET|PUT /api/v1/sms/settings.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <climits>

#include "domain/sms_settings.hpp"
#include "http/auth.hpp"
#include "http/json_fields.hpp"
#include "http/sms_config_api.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

constexpr std::array<domain::sms_trigger, 6> automated{
    domain::sms_trigger::scheduled,   domain::sms_trigger::reminder, domain::sms_trigger::enroute,
    domain::sms_trigger::fifteen_min, domain::sms_trigger::arrived,  domain::sms_trigger::complete};

json optional_text(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

json settings_json(const domain::sms_settings& s) {
  json triggers = json::object();
  for (auto t : automated) triggers[std::string(to_string(t))] = switched_on(s.triggers, t);
  return {{"enabled", s.enabled},
          {"triggers", triggers},
          {"reminder_hour", s.reminder_hour},
          {"opt_out_message", s.opt_out_message},
          {"quiet_hours_start", optional_text(s.quiet_hours_start)},
          {"quiet_hours_end", optional_text(s.quiet_hours_end)},
          {"geofence_radius_m", s.geofence_radius_m}};
}

// The fields a PUT gave; those left out keep their value.
struct settings_patch {
  std::optional<bool> enabled;
  std::array<std::optional<bool>, automated.size()> triggers;
  std::optional<int> reminder_hour;
  std::optional<std::string> opt_out_message;
  std::optional<std::optional<std::string>> quiet_hours_start;
  std::optional<std::optional<std::string>> quiet_hours_end;
  std::optional<int> geofence_radius_m;

  void apply_to(domain::sms_settings& s) const {
    if (enabled) s.enabled = *enabled;
    for (std::size_t i = 0; i < automated.size(); ++i)
      if (triggers[i]) set_switch(s.triggers, automated[i], *triggers[i]);
    if (reminder_hour) s.reminder_hour = *reminder_hour;
    if (opt_out_message) s.opt_out_message = *opt_out_message;
    if (quiet_hours_start) s.quiet_hours_start = *quiet_hours_start;
    if (quiet_hours_end) s.quiet_hours_end = *quiet_hours_end;
    if (geofence_radius_m) s.geofence_radius_m = *geofence_radius_m;
  }
};

answer type_error(std::string_view field, std::string_view what) {
  return field_error(400, "invalid_field", field,
                     std::string(field) + " must be " + std::string(what));
}

expected<bool, answer> read_bool(const json& v, std::string_view field) {
  if (!v.is_boolean()) return unexpected{type_error(field, "true or false")};
  return v.get<bool>();
}

expected<int, answer> read_int(const json& v, std::string_view field) {
  if (!v.is_number_integer()) return unexpected{type_error(field, "an integer")};
  bool fits = v.is_number_unsigned()
                  ? v.get<std::uint64_t>() <= INT_MAX
                  : v.get<std::int64_t>() >= INT_MIN && v.get<std::int64_t>() <= INT_MAX;
  if (!fits)
    return unexpected{
        field_error(400, "invalid_field", field, std::string(field) + " is out of range")};
  return static_cast<int>(v.get<std::int64_t>());
}

expected<std::optional<std::string>, answer> read_clock(const json& v, std::string_view field) {
  if (v.is_null()) return std::optional<std::string>{};
  if (!v.is_string()) return unexpected{type_error(field, "\"HH:MM\" or null")};
  return std::optional<std::string>{v.get<std::string>()};
}

expected<settings_patch, answer> read_patch(const json& body) {
  if (auto unknown =
          unknown_field(body, {"enabled", "triggers", "reminder_hour", "opt_out_message",
                               "quiet_hours_start", "quiet_hours_end", "geofence_radius_m"}))
    return unexpected{unknown_field_error(*unknown)};
  settings_patch p;
  for (const auto& [key, value] : body.items()) {
    if (key == "enabled") {
      auto b = read_bool(value, key);
      if (!b) return unexpected{b.error()};
      p.enabled = *b;
    } else if (key == "triggers") {
      if (!value.is_object()) return unexpected{type_error(key, "an object of true or false")};
      for (const auto& [name, on] : value.items()) {
        auto t = domain::parse_sms_trigger(name);
        auto at = t ? std::find(automated.begin(), automated.end(), *t) : automated.end();
        if (at == automated.end()) return unexpected{unknown_field_error("triggers." + name)};
        auto b = read_bool(on, "triggers." + name);
        if (!b) return unexpected{b.error()};
        p.triggers[static_cast<std::size_t>(at - automated.begin())] = *b;
      }
    } else if (key == "reminder_hour" || key == "geofence_radius_m") {
      auto n = read_int(value, key);
      if (!n) return unexpected{n.error()};
      (key == "reminder_hour" ? p.reminder_hour : p.geofence_radius_m) = *n;
    } else if (key == "opt_out_message") {
      if (!value.is_string()) return unexpected{type_error(key, "a string")};
      p.opt_out_message = value.get<std::string>();
    } else {
      auto clock = read_clock(value, key);
      if (!clock) return unexpected{clock.error()};
      (key == "quiet_hours_start" ? p.quiet_hours_start : p.quiet_hours_end) = *clock;
    }
  }
  return p;
}

}  // namespace

void handle_get_sms_settings(const sms_config_api_deps& deps, const request_view& req,
                             respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  if (!deps.service)
    return respond(error_answer(503, "unavailable", "SMS settings are not available"));
  respond(json_answer(200, dump_json(settings_json(deps.service->settings_of(tenant->id)))));
}

void handle_put_sms_settings(const sms_config_api_deps& deps, const request_view& req,
                             respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  if (!deps.service)
    return respond(error_answer(503, "unavailable", "SMS settings are not available"));
  auto body = object_body(req, respond);
  if (!body) return;
  auto patch = read_patch(*body);
  if (!patch) return respond(std::move(patch).error());
  auto changed = deps.service->change_settings(tenant->id, [&](domain::sms_settings s) {
    patch->apply_to(s);
    return s;
  });
  if (!changed) {
    const auto& e = changed.error();
    if (e.code == notifications::change_errc::rejected)
      return respond(field_error(400, "invalid_field", e.rejection.field, e.rejection.message));
    return respond(
        error_answer(503, "unavailable", "the settings were not recorded: " + e.message));
  }
  json out = settings_json(changed->settings);
  out["position"] = changed->position;
  respond(json_answer(200, dump_json(out)));
}

}  // namespace fl::http
