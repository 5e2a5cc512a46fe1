#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <thread>

#include "events/record.hpp"
#include "storage/store_error.hpp"

namespace fl::storage {

struct store_impl;

/// A live reader of the log (see `event_store::subscribe`). Destroying it
/// stops delivery and joins its thread; no handler runs after that.
class subscription {
 public:
  using batch_handler = std::function<void(std::span<const events::recorded_event>)>;
  using error_handler = std::function<void(const store_error&)>;

  subscription(std::shared_ptr<store_impl> store, std::uint64_t after_position,
               batch_handler on_events, error_handler on_error);
  ~subscription();
  subscription(const subscription&) = delete;
  subscription& operator=(const subscription&) = delete;

  /// The position of the last event delivered.
  std::uint64_t position() const { return delivered_.load(); }

 private:
  void run();

  std::shared_ptr<store_impl> store_;
  batch_handler on_events_;
  error_handler on_error_;
  std::atomic<std::uint64_t> delivered_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace fl::storage
