#pragma once

// An outbox that only remembers what the actors handed it, for tests of the
// actor runtimes without a transport.

#include <mutex>
#include <vector>

#include "actors/outbox.hpp"

namespace fl::testing {

class recording_outbox : public actors::outbox {
 public:
  void enqueue(actors::outbound_job job) override {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  std::vector<actors::outbound_job> jobs() const {
    std::lock_guard lock(mutex_);
    return jobs_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<actors::outbound_job> jobs_;
};

}  // namespace fl::testing
