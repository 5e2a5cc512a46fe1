#pragma once

// The frozen stored format of the consent events, v1. Keys in ascending order.

#include "events/consent_events.hpp"
#include "events/field_table.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<opted_out>) {
  return std::tuple{field("keyword", &opted_out::keyword), field("phone", &opted_out::phone),
                    field("reason", &opted_out::reason)};
}

constexpr auto fields(std::type_identity<opted_in>) {
  return std::tuple{field("keyword", &opted_in::keyword), field("phone", &opted_in::phone)};
}

static_assert(canonical_order(fields(std::type_identity<opted_out>{})));
static_assert(canonical_order(fields(std::type_identity<opted_in>{})));

}  // namespace fl::events
