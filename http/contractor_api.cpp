#include "http/contractor_api.hpp"

#include "domain/dispatch_streams.hpp"
#include "http/auth.hpp"
#include "http/contractor_json.hpp"
#include "http/dispatch_json.hpp"
#include "http/json_fields.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

// The request's JSON object after the tenant check; nullopt when answered.
std::optional<json> body_of(const dispatch_api_deps& deps, const request_view& req,
                            const respond_fn& respond, domain::tenant_directory::tenant_ptr& t) {
  t = tenant_of(*deps.tenants, req, respond);
  if (!t || !dispatch_ready(deps.dispatch, respond)) return std::nullopt;
  return object_body(req, respond);
}

bool known_fields(const json& body, std::initializer_list<std::string_view> known,
                  const respond_fn& respond) {
  if (auto unknown = unknown_field(body, known)) {
    respond(unknown_field_error(*unknown));
    return false;
  }
  return true;
}

bool read_ok(body_reader& in, const respond_fn& respond) {
  if (!in.error) return true;
  respond(std::move(*in.error));
  return false;
}

std::optional<domain::contractor_details> read_contractor(body_reader& in) {
  in.require("name");
  in.require("phone");
  domain::contractor_details d;
  d.name = in.text("name").value_or("");
  d.phone = in.text("phone").value_or("");
  d.sms_notifications_enabled = in.flag("sms_notifications_enabled").value_or(true);
  if (in.error) return std::nullopt;
  return d;
}

auto contractor_answer(respond_fn respond, int status) {
  return answer_with<domain::contractor_state>(
      std::move(respond), status,
      [](const domain::contractor_state& c) { return contractor_json(c); });
}

std::function<void(actors::assignment_result)> assignment_answer(respond_fn respond,
                                                                 std::string contractor_id,
                                                                 int status_if_new) {
  return [respond = std::move(respond), contractor_id = std::move(contractor_id),
          status_if_new](const actors::assignment_result& r) {
    if (!r) return respond(dispatch_failure_answer(r.error()));
    respond(json_answer(r->assigned ? status_if_new : 200,
                        dump_json(assignment_json(*r, contractor_id))));
  };
}

}  // namespace

void handle_create_contractor(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body, {"id", "name", "phone", "sms_notifications_enabled"}, respond))
    return;
  body_reader in(*body);
  auto id = in.text("id");
  auto details = read_contractor(in);
  if (!read_ok(in, respond)) return;
  auto chosen = id.value_or(new_entity_id("con_"));
  deps.dispatch->contractor(t->id, chosen, domain::register_contractor{chosen, std::move(*details)},
                            contractor_answer(std::move(respond), 201));
}

void handle_put_contractor(const dispatch_api_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body, {"name", "phone", "sms_notifications_enabled"}, respond))
    return;
  body_reader in(*body);
  auto details = read_contractor(in);
  if (!read_ok(in, respond)) return;
  deps.dispatch->contractor(t->id, id, domain::update_contractor{std::move(*details)},
                            contractor_answer(std::move(respond), 200));
}

void handle_put_contractor_preferences(const dispatch_api_deps& deps, const request_view& req,
                                       const std::string& id, respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body,
                             {"notify_on_assignment", "notify_on_route_assignment",
                              "notify_on_weather_alert", "quiet_hours_start", "quiet_hours_end"},
                             respond))
    return;
  body_reader in(*body);
  domain::set_contractor_preferences p;
  p.notify_on_assignment = in.flag("notify_on_assignment").value_or(true);
  p.notify_on_route_assignment = in.flag("notify_on_route_assignment").value_or(true);
  p.notify_on_weather_alert = in.flag("notify_on_weather_alert").value_or(true);
  p.quiet_hours_start = in.text("quiet_hours_start");
  p.quiet_hours_end = in.text("quiet_hours_end");
  if (!read_ok(in, respond)) return;
  deps.dispatch->contractor(t->id, id, std::move(p),
                            answer_with<domain::contractor_state>(
                                std::move(respond), 200, [](const domain::contractor_state& c) {
                                  return preferences_json(c.preferences);
                                }));
}

void handle_create_property(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body, {"id", "name", "address"}, respond)) return;
  body_reader in(*body);
  auto id = in.text("id");
  in.require("name");
  in.require("address");
  domain::property_details d{in.text("name").value_or(""), in.text("address").value_or("")};
  if (!read_ok(in, respond)) return;
  auto chosen = id.value_or(new_entity_id("prop_"));
  deps.dispatch->property(t->id, chosen, domain::register_property{chosen, std::move(d)},
                          answer_with<domain::property_state>(
                              std::move(respond), 201,
                              [](const domain::property_state& p) { return property_json(p); }));
}

void handle_assign_contractor(const dispatch_api_deps& deps, const request_view& req,
                              const std::string& id, respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body, {"contractor_id", "notify"}, respond)) return;
  body_reader in(*body);
  in.require("contractor_id");
  auto contractor_id = in.text("contractor_id").value_or("");
  bool notify = in.flag("notify").value_or(true);
  if (!read_ok(in, respond)) return;
  deps.dispatch->assign_contractor(t->id, id, contractor_id, notify,
                                   assignment_answer(std::move(respond), contractor_id, 201));
}

void handle_unassign_contractor(const dispatch_api_deps& deps, const request_view& req,
                                const std::string& id, const std::string& contractor_id,
                                respond_fn respond) {
  auto t = tenant_of(*deps.tenants, req, respond);
  if (!t || !dispatch_ready(deps.dispatch, respond)) return;
  deps.dispatch->property(t->id, id, domain::unassign_contractor{contractor_id},
                          [respond = std::move(respond), id, contractor_id](
                              const actors::dispatch_result<domain::property_state>& r) {
                            if (!r) return respond(dispatch_failure_answer(r.error()));
                            json out{{"property_id", id},
                                     {"contractor_id", contractor_id},
                                     {"removed", !r->events.empty()},
                                     {"position", r->position}};
                            respond(json_answer(200, dump_json(out)));
                          });
}

void handle_notify_assignment(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond) {
  domain::tenant_directory::tenant_ptr t;
  auto body = body_of(deps, req, respond, t);
  if (!body || !known_fields(*body, {"property_id", "contractor_id"}, respond)) return;
  body_reader in(*body);
  in.require("property_id");
  in.require("contractor_id");
  auto property_id = in.text("property_id").value_or("");
  auto contractor_id = in.text("contractor_id").value_or("");
  if (!read_ok(in, respond)) return;
  for (const auto& [field, value] :
       {std::pair{"property_id", &property_id}, std::pair{"contractor_id", &contractor_id}})
    if (!domain::is_valid_entity_id(*value))
      return respond(field_error(400, "invalid_field", field,
                                 std::string(field) + " must be 1-64 of A-Z a-z 0-9 _ -"));
  deps.dispatch->notify_assignment(t->id, property_id, contractor_id,
                                   assignment_answer(std::move(respond), contractor_id, 200));
}

}  // namespace fl::http
