#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fl::storage {

/// Why the event store refused or failed. Numbers are pinned.
enum class store_errc : std::uint8_t {
  version_conflict = 1,  // expected_version did not match; nothing was written
  io_error = 2,          // the disk failed; the store takes no more writes
  corruption = 3,        // stored bytes are not what fieldline wrote
  locked = 4,            // another process (or handle) has the data dir open
  newer_format = 5,      // written by a newer fieldline; left untouched
  not_a_store = 6,       // the directory holds something else
  closed = 7,            // the store is shutting down
  invalid_argument = 8,  // the request itself is wrong (empty stream name, ...)
  not_found = 9,         // no store at that path (read-only open)
};

std::string_view to_string(store_errc code);

struct store_error {
  store_errc code = store_errc::io_error;
  std::string message;
};

}  // namespace fl::storage
