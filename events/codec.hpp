#pragma once

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "events/decode_error.hpp"
#include "events/event.hpp"

namespace fl::events {

/// Canonical JSON of an event's data object (the stored form, frozen per
/// schema version; see docs/event-log.md).
std::string encode_data(const event& e);

/// Decodes the data object of an event stored under `type` at
/// `schema_version`. Older versions are upcast here, so the rest of fieldline
/// only ever sees the latest. Never throws.
expected<event, decode_error> decode_data(std::string_view type, int schema_version,
                                          std::string_view json);

}  // namespace fl::events
