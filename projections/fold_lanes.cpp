#include "projections/fold_lanes.hpp"

#include <algorithm>

namespace fl::projections {

fold_lanes::fold_lanes(std::size_t lanes, work_fn work, std::size_t depth)
    : work_(std::move(work)), depth_(std::max<std::size_t>(depth, 1)), lanes_(lanes) {
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    lanes_[i].thread = std::thread([this, i] { run(i); });
}

fold_lanes::~fold_lanes() {
  drain();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& l : lanes_) l.thread.join();
}

void fold_lanes::push(batch b) {
  auto shared = std::make_shared<const batch>(std::move(b));
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] {
    return std::all_of(lanes_.begin(), lanes_.end(),
                       [&](const lane& l) { return l.waiting.size() < depth_; });
  });
  for (auto& l : lanes_) l.waiting.push_back(shared);
  changed_.notify_all();
}

void fold_lanes::drain() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] {
    return std::all_of(lanes_.begin(), lanes_.end(),
                       [](const lane& l) { return l.waiting.empty() && !l.busy; });
  });
}

void fold_lanes::run(std::size_t index) {
  auto& self = lanes_[index];
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !self.waiting.empty() || stopping_; });
    if (self.waiting.empty()) return;
    auto next = std::move(self.waiting.front());
    self.waiting.pop_front();
    self.busy = true;
    changed_.notify_all();  // room in the queue: a push may go on
    lock.unlock();
    work_(index, *next);
    next.reset();  // the last lane done with a batch frees it here, not under the lock
    lock.lock();
    self.busy = false;
    changed_.notify_all();
  }
}

}  // namespace fl::projections
