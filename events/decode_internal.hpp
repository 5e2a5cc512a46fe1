#pragma once

// Shared by the data and record decoders; internal to the events library.

#include <simdjson.h>

#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "events/decode_error.hpp"
#include "events/event.hpp"

namespace fl::events::detail {

/// Decodes one event's data object into `out`; throws `decode_failure` or
/// simdjson errors.
void decode_event_value(std::string_view type, std::int64_t schema_version,
                        simdjson::ondemand::value data, event& out);

/// A thread-local buffer with simdjson's padding after `json`.
simdjson::padded_string_view padded_copy(std::string_view json);

/// True once the whole document was consumed (simdjson 3.0 has no at_end()).
inline bool consumed(simdjson::ondemand::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

/// The `decode_error` for a simdjson error code.
decode_error from_simdjson(simdjson::error_code code);

}  // namespace fl::events::detail
