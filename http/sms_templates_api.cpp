// GET|POST /api/v1/sms/templates, GET|PUT|DELETE /api/v1/sms/templates/{id},
// POST /api/v1/sms/templates/seed.

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/sms_template.hpp"
#include "domain/template_library.hpp"
#include "http/auth.hpp"
#include "http/json_fields.hpp"
#include "http/sms_config_api.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;
using domain::template_library_errc;

bool is_default(const domain::stored_template& t) {
  auto defaults = domain::default_templates();
  return std::any_of(defaults.begin(), defaults.end(), [&](const domain::default_template& d) {
    return t.trigger == d.trigger && t.name == d.name && t.body == d.body;
  });
}

json template_json(const domain::stored_template& t) {
  json variables = json::array();
  if (auto parsed = domain::parse_template(t.body))
    for (const auto& v : parsed->variables) variables.push_back(v);
  return {{"id", t.id},
          {"name", t.name},
          {"trigger", t.trigger ? json(std::string(to_string(*t.trigger))) : json(nullptr)},
          {"body", t.body},
          {"enabled", t.enabled},
          {"variables", variables},
          {"is_default", is_default(t)}};
}

// An id from the URL, quoted in a message without quoting all of it.
std::string shown_id(std::string_view id) {
  return id.size() > 64 ? std::string(id.substr(0, 64)) + "..." : std::string(id);
}

answer not_found(std::string_view id) {
  return error_answer(404, "not_found", "no template \"" + shown_id(id) + "\"");
}

answer change_error_answer(const notifications::template_change_error& e, std::string_view id) {
  if (e.code == notifications::change_errc::unavailable)
    return error_answer(503, "unavailable", "the templates were not changed: " + e.message);
  const auto& r = e.rejection;
  if (r.code == template_library_errc::not_found || r.code == template_library_errc::invalid_id)
    return not_found(id);
  std::string code = "invalid_field";
  if (r.body_fault == domain::template_errc::unknown_variable ||
      r.body_fault == domain::template_errc::unavailable_variable)
    code = to_string(*r.body_fault);
  json error{{"code", code}, {"message", r.message}, {"field", r.field}};
  if (!r.variable.empty()) error["variable"] = r.variable;
  return json_answer(400, dump_json({{"error", error}}));
}

// The fields a POST or PUT gave; a PUT keeps the others.
struct template_fields {
  std::optional<std::string> name;
  std::optional<std::string> body;
  std::optional<std::optional<std::string>> trigger;  // null: for manual use
  std::optional<bool> enabled;
};

expected<template_fields, answer> read_fields(const json& body) {
  if (auto unknown = unknown_field(body, {"name", "body", "trigger", "enabled"}))
    return unexpected{unknown_field_error(*unknown)};
  template_fields f;
  for (const auto& [key, value] : body.items()) {
    if (key == "enabled") {
      if (!value.is_boolean())
        return unexpected{field_error(400, "invalid_field", key, "enabled must be true or false")};
      f.enabled = value.get<bool>();
    } else if (key == "trigger") {
      if (!value.is_null() && !value.is_string())
        return unexpected{
            field_error(400, "invalid_field", key, "trigger must be a trigger's name or null")};
      f.trigger = value.is_null() ? std::nullopt : std::optional(value.get<std::string>());
    } else {
      if (!value.is_string())
        return unexpected{field_error(400, "invalid_field", key, key + " must be a string")};
      (key == "name" ? f.name : f.body) = value.get<std::string>();
    }
  }
  return f;
}

// The template's fields as they are to be: `f` over `current` (a PUT), or
// `f` alone (a POST, where name and body are required).
expected<domain::save_template, answer> save_command(const template_fields& f,
                                                     const domain::stored_template* current) {
  domain::save_template cmd;
  if (current) {
    cmd.id = current->id;
    if (current->trigger) cmd.trigger = std::string(to_string(*current->trigger));
    cmd.name = current->name;
    cmd.body = current->body;
    cmd.enabled = current->enabled;
  } else {
    if (!f.name) return unexpected{field_error(400, "invalid_field", "name", "name is required")};
    if (!f.body) return unexpected{field_error(400, "invalid_field", "body", "body is required")};
  }
  if (f.name) cmd.name = *f.name;
  if (f.body) cmd.body = *f.body;
  if (f.trigger) cmd.trigger = *f.trigger;
  if (f.enabled) cmd.enabled = *f.enabled;
  return cmd;
}

// The template `id` of the change's library, with the change's position.
json saved_json(const notifications::template_change& change, std::string_view id) {
  const auto* t = change.library->state.find(id);
  json out = t ? template_json(*t) : json::object();
  out["position"] = change.position;
  return out;
}

bool service_ready(const sms_config_api_deps& deps, const respond_fn& respond) {
  if (deps.service) return true;
  respond(error_answer(503, "unavailable", "SMS templates are not available"));
  return false;
}

}  // namespace

void handle_list_sms_templates(const sms_config_api_deps& deps, const request_view& req,
                               respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  json items = json::array();
  for (const auto& t : deps.service->templates_of(tenant->id)->state.templates)
    items.push_back(template_json(t));
  respond(json_answer(200, dump_json({{"items", items}, {"next_cursor", nullptr}})));
}

void handle_get_sms_template(const sms_config_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  auto library = deps.service->templates_of(tenant->id);
  const auto* t = library->state.find(id);
  if (!t) return respond(not_found(id));
  respond(json_answer(200, dump_json(template_json(*t))));
}

void handle_create_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto fields = read_fields(*body);
  if (!fields) return respond(std::move(fields).error());
  auto cmd = save_command(*fields, nullptr);
  if (!cmd) return respond(std::move(cmd).error());
  auto changed = deps.service->change_templates(tenant->id, *cmd);
  if (!changed) return respond(change_error_answer(changed.error(), ""));
  if (changed->recorded.empty())
    return respond(error_answer(503, "unavailable", "the template was not recorded"));
  const auto& saved = std::get<events::sms_template_saved>(changed->recorded.front());
  respond(json_answer(201, dump_json(saved_json(*changed, saved.template_id))));
}

void handle_put_sms_template(const sms_config_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto fields = read_fields(*body);
  if (!fields) return respond(std::move(fields).error());
  auto changed = deps.service->change_templates(
      tenant->id,
      [&](const domain::template_library_state& state)
          -> expected<domain::template_command, domain::template_library_error> {
        const auto* current = state.find(id);
        if (!current)
          return unexpected{domain::template_library_error{
              template_library_errc::not_found, "id", "no such template", {}, {}}};
        auto cmd = save_command(*fields, current);
        return domain::template_command{std::move(*cmd)};
      });
  if (!changed) return respond(change_error_answer(changed.error(), id));
  respond(json_answer(200, dump_json(saved_json(*changed, id))));
}

void handle_delete_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  auto changed = deps.service->change_templates(tenant->id, domain::delete_template{id});
  if (!changed) return respond(change_error_answer(changed.error(), id));
  respond(json_answer(200,
                      dump_json({{"id", id}, {"deleted", true}, {"position", changed->position}})));
}

void handle_seed_sms_templates(const sms_config_api_deps& deps, const request_view& req,
                               respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !service_ready(deps, respond)) return;
  auto changed = deps.service->change_templates(tenant->id, domain::seed_default_templates{});
  if (!changed) return respond(change_error_answer(changed.error(), ""));
  json added = json::array();
  for (const auto& e : changed->recorded)
    if (const auto* saved = std::get_if<events::sms_template_saved>(&e))
      if (const auto* t = changed->library->state.find(saved->template_id))
        added.push_back(template_json(*t));
  respond(json_answer(200, dump_json({{"added", added}, {"position", changed->position}})));
}

}  // namespace fl::http
