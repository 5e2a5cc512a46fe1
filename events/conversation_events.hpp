#pragma once

#include <cstdint>
#include <string_view>

namespace fl::events {

/// Someone at the tenant read the conversation: every inbound message before
/// this event counts as read.
/// v1: first version.
struct conversation_read {
  static constexpr std::string_view type_name = "conversation_read";
  static constexpr int schema_version = 1;

  std::int64_t messages_read = 0;  // inbound messages that were unread
  friend bool operator==(const conversation_read&, const conversation_read&) = default;
};

}  // namespace fl::events
