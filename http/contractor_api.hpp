#pragma once

// The contractor directory's write routes (tenant token): contractors and
// their preferences, properties, assignments and the assignment text by
// hand. Each is a command to the entity's actor (actors::dispatch_runtime);
// the answer comes once what it caused is durable and carries `position`.
// The GET routes on the same paths are answered from the directory
// projection (directory_read_api.hpp).

#include <string>

#include "http/dispatch_api.hpp"

namespace fl::http {

/// `POST /api/v1/contractors` `{id?, name, phone, sms_notifications_enabled?}`
/// → 201. A phone already another contractor's or a customer's: 409
/// `phone_taken`. The same POST again: 201 with the same contractor, nothing
/// recorded; another contractor under the id: 409 `already_registered`.
void handle_create_contractor(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond);
/// `PUT /api/v1/contractors/{id}` `{name, phone, sms_notifications_enabled?}`.
void handle_put_contractor(const dispatch_api_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond);
/// `PUT /api/v1/contractors/{id}/preferences` `{notify_on_assignment?,
/// notify_on_route_assignment?, notify_on_weather_alert?, quiet_hours_start?,
/// quiet_hours_end?}`: a PUT, so what it leaves out is the default (on, no
/// quiet hours).
void handle_put_contractor_preferences(const dispatch_api_deps& deps, const request_view& req,
                                       const std::string& id, respond_fn respond);
/// `POST /api/v1/properties` `{id?, name, address}` → 201.
void handle_create_property(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond);
/// `POST /api/v1/properties/{id}/assignments` `{contractor_id, notify?}` →
/// 201 when assigned now, 200 when it was already (no text then).
void handle_assign_contractor(const dispatch_api_deps& deps, const request_view& req,
                              const std::string& id, respond_fn respond);
/// `DELETE /api/v1/properties/{id}/assignments/{contractor_id}` → 200
/// `{property_id, contractor_id, removed, position}`; `removed` false when
/// the contractor was not assigned (a retried DELETE). No text is sent.
void handle_unassign_contractor(const dispatch_api_deps& deps, const request_view& req,
                                const std::string& id, const std::string& contractor_id,
                                respond_fn respond);
/// `POST /api/v1/sms/notify-assignment` `{property_id, contractor_id}`.
void handle_notify_assignment(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond);

}  // namespace fl::http
