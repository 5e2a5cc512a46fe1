#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "events/record.hpp"

namespace fl::projections {

/// Applies batches of a catch-up on several threads ("lanes", each a group of
/// projections), every lane at its own pace: a lane that finished a batch
/// goes on with the next one instead of waiting for the slowest lane, so two
/// cores stay busy. Each lane sees every batch, in order.
class fold_lanes {
 public:
  using batch = std::vector<events::recorded_event>;
  using work_fn = std::function<void(std::size_t lane, const batch&)>;

  /// `work(lane, b)` runs on the lane's own thread. A lane falls at most
  /// `depth` batches behind the one pushed last.
  fold_lanes(std::size_t lanes, work_fn work, std::size_t depth = 2);
  /// Applies what was pushed, then stops the lanes.
  ~fold_lanes();
  fold_lanes(const fold_lanes&) = delete;
  fold_lanes& operator=(const fold_lanes&) = delete;

  /// Hands `b` to every lane; waits while a lane is `depth` batches behind.
  void push(batch b);
  /// Returns once every lane applied every batch pushed.
  void drain();
  /// Runs `last(lane)` on each lane's thread as soon as that lane applied
  /// every batch pushed (a lane done early starts early); returns once every
  /// lane ran it.
  void finish(const std::function<void(std::size_t lane)>& last);
  /// A batch every lane is done with (to decode the next one into, reusing
  /// its memory), or an empty one.
  batch spare();

 private:
  struct lane {
    std::deque<std::shared_ptr<const batch>> waiting;
    bool busy = false;
    bool finishing = false;  // `finish`'s work is due once `waiting` is empty
    std::thread thread;
  };
  void run(std::size_t index);

  work_fn work_;
  std::size_t depth_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<lane> lanes_;
  std::vector<batch> spares_;
  const std::function<void(std::size_t)>* last_ = nullptr;  // while `finish` runs
  bool stopping_ = false;
};

}  // namespace fl::projections
