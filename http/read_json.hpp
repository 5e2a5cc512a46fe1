#pragma once

// The read routes' answers, written straight from the stored records into
// the body (no JSON tree, no string per field: a page of 50 messages is
// ~1,000 fields). Keys in ascending order, as nlohmann::json writes them, so
// answers are the same bytes as before.

#include <string>

#include "projections/read_model.hpp"

namespace fl::http {

/// `{"items": [messages...], "next_cursor": ...}`
std::string messages_json(const projections::stored_page& page);
/// `{"items": [conversations...], "next_cursor": ...}`
std::string conversations_json(const projections::stored_page& page);
/// A conversation with `messages` and `messages_next_cursor`.
std::string conversation_detail_json(const projections::stored_conversation_detail& detail);

}  // namespace fl::http
