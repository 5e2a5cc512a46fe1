#pragma once

// The frozen stored format of the conversation events, v1. Keys in ascending order.

#include "events/conversation_events.hpp"
#include "events/field_table.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<conversation_read>) {
  return std::tuple{field("messages_read", &conversation_read::messages_read)};
}

static_assert(canonical_order(fields(std::type_identity<conversation_read>{})));

}  // namespace fl::events
