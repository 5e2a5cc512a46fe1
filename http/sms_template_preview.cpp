// POST /api/v1/sms/templates/preview: a template body (given, or a stored
// template's) rendered with sample values and counted in SMS segments.

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/sms_segments.hpp"
#include "domain/sms_template.hpp"
#include "http/auth.hpp"
#include "http/json_fields.hpp"
#include "http/sms_config_api.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

answer template_error_answer(const domain::template_error& e) {
  bool about_variable = e.code == domain::template_errc::unknown_variable ||
                        e.code == domain::template_errc::unavailable_variable;
  json error{{"code", about_variable ? std::string(to_string(e.code)) : "invalid_field"},
             {"message", e.message},
             {"field", "body"}};
  if (!e.variable.empty()) error["variable"] = e.variable;
  return json_answer(400, dump_json({{"error", error}}));
}

// `variables`: an object of known variable names to strings (or integers,
// for `eta_minutes: 12`).
expected<domain::template_variables, answer> read_variables(const json& v) {
  domain::template_variables out;
  if (v.is_null()) return out;
  if (!v.is_object())
    return unexpected{field_error(400, "invalid_field", "variables",
                                  "variables must be an object of names to values")};
  for (const auto& [name, value] : v.items()) {
    std::string field = "variables." + name.substr(0, 64);
    if (!domain::is_known_template_variable(name)) {
      json error{{"code", "unknown_variable"},
                 {"message", "unknown variable \"" + name.substr(0, 64) + "\""},
                 {"field", field},
                 {"variable", name.substr(0, 64)}};
      return unexpected{json_answer(400, dump_json({{"error", error}}))};
    }
    if (value.is_string())
      out.insert_or_assign(name, value.get<std::string>());
    else if (value.is_number_integer())
      out.insert_or_assign(name, value.dump());
    else
      return unexpected{
          field_error(400, "invalid_field", field, field + " must be a string or an integer")};
  }
  return out;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

void handle_preview_sms_template(const sms_config_api_deps& deps, const request_view& req,
                                 respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  if (!deps.service)
    return respond(error_answer(503, "unavailable", "SMS templates are not available"));
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown = unknown_field(*body, {"body", "template_id", "variables"}))
    return respond(unknown_field_error(*unknown));
  auto text = body->find("body");
  auto id = body->find("template_id");
  bool has_text = text != body->end() && !text->is_null();
  bool has_id = id != body->end() && !id->is_null();
  if (has_text == has_id)
    return respond(field_error(400, "invalid_field", has_text ? "template_id" : "body",
                               "give exactly one of body (a template text) and template_id"));
  if (has_text && !text->is_string())
    return respond(field_error(400, "invalid_field", "body", "body must be a string"));
  if (has_id && !id->is_string())
    return respond(
        field_error(400, "invalid_field", "template_id", "template_id must be a string"));
  auto variables = read_variables(body->value("variables", json()));
  if (!variables) return respond(std::move(variables).error());

  std::string source;
  if (has_text) {
    source = text->get<std::string>();
  } else {
    auto library = deps.service->templates_of(tenant->id);
    const auto* t = library->state.find(id->get_ref<const std::string&>());
    if (!t) return respond(error_answer(404, "not_found", "no such template"));
    source = t->body;
  }
  auto parsed = domain::parse_template(source);
  if (!parsed) return respond(template_error_answer(parsed.error()));
  auto preview = domain::preview_template(source, *variables);
  if (!preview) return respond(template_error_answer(preview.error()));
  respond(json_answer(200, dump_json({{"text", preview->text},
                                      {"segments", preview->segments.segments},
                                      {"encoding", to_string(preview->segments.encoding)},
                                      {"characters", code_points(preview->text)},
                                      {"units", preview->segments.units},
                                      {"variables", parsed->variables}})));
}

}  // namespace fl::http
