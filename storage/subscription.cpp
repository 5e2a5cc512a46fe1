#include "storage/subscription.hpp"

#include "storage/store_impl.hpp"

namespace fl::storage {

namespace {
constexpr std::size_t batch_size = 1024;
}

subscription::subscription(std::shared_ptr<store_impl> store, std::uint64_t after_position,
                           batch_handler on_events, error_handler on_error)
    : store_(std::move(store)),
      on_events_(std::move(on_events)),
      on_error_(std::move(on_error)),
      delivered_(after_position) {
  thread_ = std::thread([this] { run(); });
}

subscription::~subscription() {
  stop_ = true;
  { std::lock_guard lk(store_->commit_mu); }
  store_->commit_cv.notify_all();
  if (thread_.joinable()) thread_.join();
}

void subscription::run() {
  while (!stop_) {
    std::uint64_t next = delivered_.load() + 1;
    std::uint64_t end = store_->committed.load();
    if (next + batch_size <= end) {
      // Far behind (catching up): read ahead on a second thread.
      auto done = store_->replay(
          next, end,
          [&](std::span<const events::recorded_event> batch) {
            on_events_(batch);
            delivered_ = batch.back().position;
            return !stop_;
          },
          batch_size);
      if (!done) {
        if (on_error_) on_error_(done.error());
        return;
      }
      continue;
    }
    if (next <= end) {
      auto batch = store_->read_range(next, batch_size);
      if (!batch) {
        if (on_error_) on_error_(batch.error());
        return;
      }
      if (batch->empty()) {
        if (on_error_)
          on_error_({store_errc::corruption,
                     "the log has no event at acknowledged position " + std::to_string(next)});
        return;
      }
      on_events_(std::span<const events::recorded_event>(*batch));
      delivered_ = batch->back().position;
      continue;
    }
    std::unique_lock lk(store_->commit_mu);
    store_->commit_cv.wait(
        lk, [&] { return stop_ || store_->closed || store_->committed.load() >= next; });
    if (store_->closed && store_->committed.load() < next) return;
  }
}

}  // namespace fl::storage
