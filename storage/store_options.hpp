#pragma once

#include <cstdint>
#include <functional>

#include "base/timestamp.hpp"

namespace fl::storage {

/// How to open an event store.
struct store_options {
  /// Create an empty store if the directory has none. Default: true.
  bool create_if_missing = true;
  /// Open without taking the lock and refuse appends (replay, verify, audits
  /// beside a running server). Default: false.
  bool read_only = false;
  /// Stamps `recorded_at`. Default: the system clock.
  clock_fn clock = system_now;
  /// Test hook, called before each group commit's write with the round's
  /// number (from 1); returning true makes that write fail as an I/O error
  /// would. Default: none.
  std::function<bool(std::uint64_t round)> inject_write_failure;
};

}  // namespace fl::storage
