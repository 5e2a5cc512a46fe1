#pragma once

// The Claude interpreter's wire format as pure functions: the Anthropic
// Messages API request that asks Claude to read one crew text, and the
// reading of its answer into an `interpretation`, every field validated.
// No network here (that is `claude_interpreter`); docs/interpretation.md,
// "The Claude path".

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "domain/interpretation.hpp"
#include "domain/interpreter.hpp"

namespace fl::interpret {

/// The system prompt: the task, the output schema (intent, equipment,
/// bulk_salt, bag_salt, calcium_chloride, notes, work times, property hint,
/// confidence) and "one JSON object, nothing else". The same for every text:
/// nothing a crew writes ends up in it.
std::string_view claude_system_prompt();

/// The body of `POST /v1/messages` for one text: `model`, `max_tokens`,
/// `temperature` 0, the system prompt, and one user message whose content is
/// a JSON object `{"sms": text, "properties": [...],
/// "awaiting_property_choice": bool}` — the text travels as a JSON string, so
/// no text can close it and pose as instructions. Invalid UTF-8 in the text
/// or the names is replaced by U+FFFD.
std::string build_claude_request(std::string_view text, const domain::interpret_context& context,
                                 std::string_view model, int max_tokens);

/// Reads a Messages API answer body (HTTP 200) into an interpretation by
/// Claude. Errors, as a reason for the fallback: the body is not a message
/// object; Claude refused (`stop_reason` "refusal") or was cut off
/// ("max_tokens"); there is no text content; or the text is not a valid
/// reading (see `parse_claude_reading`).
expected<domain::interpretation, std::string> parse_claude_response(std::string_view body);

/// Reads the model's text into an interpretation by Claude. Accepted: one
/// JSON object, alone or inside one Markdown code fence (```json … ```),
/// with white space around. Rejected as malformed: prose before or after the
/// object, two objects, any JSON that breaks the schema — an unknown or
/// missing key, an unknown intent or confidence, a quantity that is not a
/// positive finite number (at most 10000), a unit other than yards/tons, a
/// time not "HH:MM", equipment that is not a short lowercase name. Text
/// fields are trimmed, notes cut to 500 bytes and property hints lowercased.
expected<domain::interpretation, std::string> parse_claude_reading(std::string_view text);

/// The error body Anthropic sends with a non-2xx status
/// (`{"type":"error","error":{"type":..., "message":...}}`) as one line,
/// "overloaded_error: Overloaded"; an excerpt of the body when it has
/// another shape.
std::string describe_claude_error(std::string_view body);

}  // namespace fl::interpret
