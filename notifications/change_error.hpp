#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fl::notifications {

/// Why a change to the SMS settings or templates was not recorded. Numbers
/// are pinned.
enum class change_errc : std::uint8_t {
  rejected = 1,     // the domain refused the command: see `rejection`
  unavailable = 2,  // the log did not take the events (disk, shutdown, a conflict twice)
};

std::string_view to_string(change_errc code);

/// A refused change: the domain's reason (`Rejection`) or the log's.
template <class Rejection>
struct change_error {
  change_errc code = change_errc::rejected;
  Rejection rejection;  // set when `code` is `rejected`
  std::string message;  // set when `code` is `unavailable`
};

}  // namespace fl::notifications
