#pragma once

// An interpreter's result as the JSON shown on an inbound message
// (`ai_interpretation` in the API).

#include <string>

#include "domain/interpreter.hpp"

namespace fl::interpret {

/// `{"intent", "equipment", "bulk_salt": {quantity, unit}|null, "bag_salt",
/// "calcium_chloride", "notes", "work_started_at": "HH:MM"|null,
/// "work_finished_at", "property_hint", "confidence", "interpreter":
/// "rules"|"claude", "model": string|null, "fallback_reason": string|null,
/// "attempts"}`; every key always present, absent values null. Pure.
std::string ai_interpretation_json(const domain::interpreter_result& result);

}  // namespace fl::interpret
