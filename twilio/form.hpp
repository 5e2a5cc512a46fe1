#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/expected.hpp"

namespace fl::twilio {

/// The fields of a form body, in body order; a repeated name appears once per
/// occurrence.
using form_fields = std::vector<std::pair<std::string, std::string>>;

/// Why a form body was refused.
enum class form_errc : std::uint8_t {
  malformed_escape = 1,  ///< `%` not followed by two hex digits
  invalid_utf8 = 2,      ///< the decoded bytes are not valid UTF-8
};

std::string_view to_string(form_errc code);

/// A refused form body: the code, and a message naming the offending field.
struct form_error {
  form_errc code;
  std::string message;
};

/// Decodes an `application/x-www-form-urlencoded` body: `&`-separated
/// `name=value` pairs, `+` is a space, `%XX` (either case) a byte. Empty
/// segments (`a=1&&b=2`) are skipped; a segment without `=` has an empty value.
/// Errors: a malformed escape or decoded bytes that are not valid UTF-8, as a
/// value, never an exception. Thread-safe (pure).
[[nodiscard]] expected<form_fields, form_error> parse_form(std::string_view body);

/// The value of the first field called `name`, if any. The view points into
/// `fields`.
std::optional<std::string_view> first(const form_fields& fields, std::string_view name);

/// Encodes `fields` for an outbound form body, in order. Everything except the
/// unreserved `A-Za-z0-9-_.~` is percent-encoded (upper-case hex), a space
/// included as `%20`: RFC 3986 escaping, which Twilio's REST API (any form
/// decoder) reads the same as `+`.
std::string encode_form(const form_fields& fields);

}  // namespace fl::twilio
