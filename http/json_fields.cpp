#include "http/json_fields.hpp"

#include <algorithm>

namespace fl::http {

using json = nlohmann::json;

std::string dump_json(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

answer field_error(int status, std::string_view code, std::string_view field,
                   std::string_view message) {
  json body{{"error", {{"code", code}, {"message", message}, {"field", field}}}};
  return json_answer(status, dump_json(body));
}

std::optional<json> object_body(const request_view& req, const respond_fn& respond) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    respond(error_answer(400, "invalid_json", "the body must be a JSON object"));
    return std::nullopt;
  }
  return body;
}

std::optional<std::string> unknown_field(const json& object,
                                         std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items())
    if (std::find(known.begin(), known.end(), key) == known.end()) return key;
  return std::nullopt;
}

answer unknown_field_error(std::string_view field) {
  // A client's key may be huge; the message quotes at most its start.
  std::string shown(field.substr(0, 64));
  if (field.size() > 64) shown += "...";
  return field_error(400, "unknown_field", shown, "unknown field \"" + shown + "\"");
}

}  // namespace fl::http
