#include "http/contractor_json.hpp"

#include "base/timestamp.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

json optional_text(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

}  // namespace

json preferences_json(const domain::contractor_preferences& p) {
  auto text = [](const std::optional<domain::clock_time>& t) {
    return t ? json(domain::to_string(*t)) : json(nullptr);
  };
  return {{"notify_on_assignment", p.notify_on_assignment},
          {"notify_on_route_assignment", p.notify_on_route_assignment},
          {"notify_on_weather_alert", p.notify_on_weather_alert},
          {"quiet_hours_start", text(p.quiet_hours_start)},
          {"quiet_hours_end", text(p.quiet_hours_end)}};
}

json preferences_json(const projections::contractor_record& c) {
  return {{"notify_on_assignment", c.notify_on_assignment},
          {"notify_on_route_assignment", c.notify_on_route_assignment},
          {"notify_on_weather_alert", c.notify_on_weather_alert},
          {"quiet_hours_start", optional_text(c.quiet_hours_start)},
          {"quiet_hours_end", optional_text(c.quiet_hours_end)}};
}

json contractor_json(const domain::contractor_state& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"phone", c.phone},
          {"sms_notifications_enabled", c.sms_notifications_enabled},
          {"preferences", preferences_json(c.preferences)}};
}

json contractor_json(const projections::contractor_record& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"phone", c.phone},
          {"sms_notifications_enabled", c.sms_notifications_enabled},
          {"preferences", preferences_json(c)},
          {"property_ids", c.property_ids},
          {"held_texts", c.held_texts},
          {"created_at", format_rfc3339_utc(from_micros(c.created_at_us))},
          {"updated_at", format_rfc3339_utc(from_micros(c.updated_at_us))}};
}

json property_json(const domain::property_state& p) {
  return {
      {"id", p.id}, {"name", p.name}, {"address", p.address}, {"contractor_ids", p.contractor_ids}};
}

json property_json(const projections::property_record& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"address", p.address},
          {"contractor_ids", p.contractor_ids},
          {"created_at", format_rfc3339_utc(from_micros(p.created_at_us))},
          {"updated_at", format_rfc3339_utc(from_micros(p.updated_at_us))}};
}

json assignment_json(const actors::assignment_reply& r, const std::string& contractor_id) {
  json out{{"property_id", r.property.id},
           {"contractor_id", contractor_id},
           {"assigned", r.assigned},
           {"sms", r.text ? r.text->sms : "not_requested"},
           {"position", r.position}};
  if (!r.text) return out;
  if (!r.text->reason.empty()) out["reason"] = r.text->reason;
  if (r.text->message_id) out["message_id"] = *r.text->message_id;
  if (r.text->held_until) out["held_until"] = format_rfc3339_utc(*r.text->held_until);
  return out;
}

}  // namespace fl::http
