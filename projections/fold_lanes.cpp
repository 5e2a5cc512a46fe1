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

namespace {

// Spare batches kept: one being decoded into while another waits.
constexpr std::size_t max_spares = 2;

}  // namespace

void fold_lanes::push(batch b) {
  // The last lane done with the batch hands it back as a spare.
  std::shared_ptr<const batch> shared(new batch(std::move(b)), [this](batch* done) {
    std::unique_ptr<batch> owned(done);
    std::lock_guard lock(mu_);
    if (spares_.size() < max_spares) spares_.push_back(std::move(*owned));
  });
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

void fold_lanes::finish(const std::function<void(std::size_t lane)>& last) {
  std::unique_lock lock(mu_);
  last_ = &last;
  for (auto& l : lanes_) l.finishing = true;
  changed_.notify_all();
  changed_.wait(lock, [&] {
    return std::none_of(lanes_.begin(), lanes_.end(),
                        [](const lane& l) { return l.finishing || l.busy; });
  });
  last_ = nullptr;
}

fold_lanes::batch fold_lanes::spare() {
  std::lock_guard lock(mu_);
  if (spares_.empty()) return {};
  batch b = std::move(spares_.back());
  spares_.pop_back();
  return b;
}

void fold_lanes::run(std::size_t index) {
  auto& self = lanes_[index];
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !self.waiting.empty() || self.finishing || stopping_; });
    if (self.waiting.empty() && self.finishing) {
      self.busy = true;
      lock.unlock();
      (*last_)(index);
      lock.lock();
      self.busy = false;
      self.finishing = false;
      changed_.notify_all();
      continue;
    }
    if (self.waiting.empty()) return;
    auto next = std::move(self.waiting.front());
    self.waiting.pop_front();
    self.busy = true;
    changed_.notify_all();  // room in the queue: a push may go on
    lock.unlock();
    work_(index, *next);
    next.reset();  // the last lane done with a batch gives it back here
    lock.lock();
    self.busy = false;
    changed_.notify_all();
  }
}

}  // namespace fl::projections
