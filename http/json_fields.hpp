#pragma once

// Reading JSON request bodies field by field, and answering a faulty field
// by name: `{"error": {"code", "message", "field"}}`.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"

namespace fl::http {

/// api.md's error shape with the offending field added.
answer field_error(int status, std::string_view code, std::string_view field,
                   std::string_view message);

/// The body as a JSON object; otherwise answers 400 `invalid_json` itself.
/// (Ill-formed UTF-8 inside a string is malformed JSON.)
std::optional<nlohmann::json> object_body(const request_view& req, const respond_fn& respond);

/// The first member of `object` not in `known`, if any.
std::optional<std::string> unknown_field(const nlohmann::json& object,
                                         std::initializer_list<std::string_view> known);

/// 400 `unknown_field` naming it.
answer unknown_field_error(std::string_view field);

/// `j` printed, with any invalid UTF-8 replaced (never throws).
std::string dump_json(const nlohmann::json& j);

}  // namespace fl::http
