#pragma once

// JSON of the contractor directory (contractors, their preferences,
// properties, assignments), for its write routes (from the actors' states)
// and its read routes (from the directory projection). The same shapes.

#include <nlohmann/json.hpp>

#include "actors/dispatch_runtime.hpp"
#include "domain/contractor.hpp"
#include "domain/property.hpp"
#include "projections/contractor_record.hpp"

namespace fl::http {

/// `{notify_on_assignment, notify_on_route_assignment,
/// notify_on_weather_alert, quiet_hours_start, quiet_hours_end}`; quiet
/// hours null when none.
nlohmann::json preferences_json(const domain::contractor_preferences& p);
nlohmann::json preferences_json(const projections::contractor_record& c);

/// `{id, name, phone, sms_notifications_enabled, preferences}`, and
/// `property_ids` from the read side.
nlohmann::json contractor_json(const domain::contractor_state& c);
nlohmann::json contractor_json(const projections::contractor_record& c);

/// `{id, name, address, contractor_ids}`.
nlohmann::json property_json(const domain::property_state& p);
nlohmann::json property_json(const projections::property_record& p);

/// What an assignment did: `{property_id, contractor_id, assigned, sms,
/// reason?, message_id?, held_until?, position}`; `sms` is "queued", "held",
/// "skipped" or "not_requested".
nlohmann::json assignment_json(const actors::assignment_reply& r, const std::string& contractor_id);

}  // namespace fl::http
