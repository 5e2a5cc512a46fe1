#pragma once

// The read routes' answers, written straight into a string (no JSON tree:
// a page of 50 messages is ~1,000 fields). Keys in ascending order, as
// nlohmann::json writes them, so answers are the same bytes as before.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "events/json_writer.hpp"
#include "projections/conversation_record.hpp"
#include "projections/message_record.hpp"

namespace fl::http {

void write_message(events::json_writer& w, const projections::message_record& m);

/// The conversation's fields; `messages`, when given, writes the fields that
/// sort between `message_count` and `opted_out` (the detail's messages).
void write_conversation(events::json_writer& w, const projections::conversation_record& c,
                        const std::function<void(events::json_writer&)>& messages = {});

/// `{"items": [...], "next_cursor": ...}` with `item` writing each one.
template <class T, class WriteItem>
std::string list_json(const std::vector<T>& items, const std::optional<std::string>& next_cursor,
                      WriteItem write_item) {
  std::string out;
  out.reserve(256 + items.size() * 600);
  events::json_writer w(out);
  w.begin_object().key("items").begin_array();
  for (const auto& item : items) write_item(w, item);
  w.end_array().key("next_cursor");
  if (next_cursor)
    w.string(*next_cursor);
  else
    w.null();
  w.end_object();
  return out;
}

}  // namespace fl::http
