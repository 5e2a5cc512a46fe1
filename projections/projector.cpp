#include "projections/projector.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "projections/fold_lanes.hpp"
#include "projections/sorted_writes.hpp"

namespace fl::projections {

projector::projector(projection_db& db, std::vector<projection*> projections)
    : db_(db), projections_(std::move(projections)) {
  for (std::size_t i = 0; i < projections_.size(); ++i) {
    families_.push_back(db_.family(projections_[i]->name()));
    checkpoints_.push_back(0);
    known_empty_.push_back(0);
    in_order_.emplace_back();
    writes_.push_back(
        std::make_unique<write_set>([this, i](std::string_view key) -> std::optional<std::string> {
          if (known_empty_[i]) return std::nullopt;
          return db_.get(families_[i], key);
        }));
  }
}

projector::~projector() {
  subscription_.reset();  // no batch after this
  std::multimap<std::uint64_t, waiter> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    left.swap(waiters_);
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  for (auto& [position, w] : left) w.done(false);
}

projection::stored_scan projector::stored_scan(std::size_t i) const {
  return [this, i](const auto& fn) { db_.snapshot().scan(families_[i], {}, {}, false, fn); };
}

expected<void, std::string> projector::prepare() {
  std::uint64_t lowest = UINT64_MAX;
  for (std::size_t i = 0; i < projections_.size(); ++i) {
    auto* p = projections_[i];
    auto stored = db_.stored_version(families_[i]);
    if (stored != p->version()) {
      if (stored)
        spdlog::info("projection {} changed (version {} → {}): rebuilding it from the log",
                     p->name(), *stored, p->version());
      if (auto r = db_.reset(families_[i], p->version()); !r) return r;
      p->reset_caches();
    }
    checkpoints_[i] = db_.checkpoint(families_[i]);
    // Every write carries a checkpoint past 0.
    known_empty_[i] = checkpoints_[i] == 0;
    p->from_checkpoint(checkpoints_[i], stored_scan(i));
    lowest = std::min(lowest, checkpoints_[i]);
  }
  position_ = projections_.empty() ? 0 : lowest;
  return {};
}

expected<void, std::string> projector::reset_all() {
  std::vector<int> versions;
  for (auto* p : projections_) versions.push_back(p->version());
  if (auto r = db_.reset(families_, versions); !r) return r;
  for (std::size_t i = 0; i < projections_.size(); ++i) {
    projections_[i]->reset_caches();
    projections_[i]->from_checkpoint(0, stored_scan(i));
    checkpoints_[i] = 0;
    known_empty_[i] = 1;
  }
  position_ = 0;
  return {};
}

void projector::fold_range(std::size_t first, std::size_t last,
                           std::span<const events::recorded_event> batch) {
  for (const auto& e : batch)
    for (std::size_t i = first; i < last; ++i)
      if (e.position > checkpoints_[i]) projections_[i]->apply(e, *writes_[i]);
  for (std::size_t i = first; i < last; ++i) projections_[i]->end_batch(*writes_[i]);
}

void projector::fold(std::span<const events::recorded_event> batch) {
  constexpr std::size_t parallel_from = 2048;
  if (batch.size() < parallel_from || projections_.size() < 2)
    return fold_range(0, projections_.size(), batch);
  // The projections share nothing, so they can apply side by side. The set
  // lists the costliest (messages) first: it gets a thread of its own.
  std::thread first([&] { fold_range(0, 1, batch); });
  fold_range(1, projections_.size(), batch);
  first.join();
}

void projector::prepare_ingest(std::size_t i, bool two_threads) {
  projections_[i]->before_commit(*writes_[i]);
  in_order_[i] = in_key_order(*writes_[i], known_empty_[i] != 0, two_threads);
}

expected<void, std::string> projector::write_out(std::uint64_t last, bool bulk) {
  for (std::size_t i = 0; i < projections_.size(); ++i)
    if (!in_order_[i]) projections_[i]->before_commit(*writes_[i]);
  std::vector<projection_db::family_writes> commit;
  for (std::size_t i = 0; i < projections_.size(); ++i)
    commit.push_back({families_[i], writes_[i].get(), std::max(checkpoints_[i], last),
                      known_empty_[i] != 0, in_order_[i] ? &*in_order_[i] : nullptr});
  auto committed = bulk ? db_.ingest(commit) : db_.commit(commit);
  for (std::size_t i = 0; i < projections_.size(); ++i) {
    if (committed && !writes_[i]->empty()) known_empty_[i] = 0;
    in_order_[i].reset();
    writes_[i]->clear();
  }
  if (!committed) {
    // The caches may hold what was not committed: forget them.
    for (auto* p : projections_) p->reset_caches();
    return committed;
  }
  for (auto& c : checkpoints_) c = std::max(c, last);
  position_ = *std::min_element(checkpoints_.begin(), checkpoints_.end());
  release_reached();
  return {};
}

expected<void, std::string> projector::apply(std::span<const events::recorded_event> batch) {
  if (batch.empty()) return {};
  fold(batch);
  return write_out(batch.back().position, false);
}

expected<void, std::string> projector::catch_up(const storage::event_store& store,
                                                std::optional<std::uint64_t> up_to) {
  if (auto r = prepare(); !r) return r;
  std::uint64_t end = up_to.value_or(store.last_position());
  if (end <= position_) return {};
  // State kept in memory across batches: what many events change (a
  // conversation, a message and its callbacks) is written once. The batches
  // are applied on three lanes (messages, conversations, the rest: the
  // costliest first) while the next ones are decoded. Batches of 8K events
  // (10 MB decoded) keep the lanes' pipeline fine-grained and its memory
  // warm; 32K ones were 3-6 % slower, 4K ones no faster.
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t i = 0; i < projections_.size(); ++i)
    if (i < 2 || ranges.empty())
      ranges.emplace_back(i, i + 1);
    else
      ranges.back().second = i + 1;
  std::vector<std::atomic<std::size_t>> lane_bytes(ranges.size());
  std::uint64_t pushed = position_;
  std::string failed;
  auto replayed = [&] {
    fold_lanes lanes(ranges.size(), [&](std::size_t lane, const fold_lanes::batch& batch) {
      auto [first, last] = ranges[lane];
      fold_range(first, last, batch);
      std::size_t bytes = 0;
      for (std::size_t i = first; i < last; ++i) bytes += writes_[i]->bytes();
      lane_bytes[lane] = bytes;
    });
    // A lane done with its last batch sorts its writes while the others
    // still apply theirs; the first lane's (messages) sort on two threads.
    auto prepare_lanes = [&] {
      lanes.finish([&](std::size_t lane) {
        for (std::size_t i = ranges[lane].first; i < ranges[lane].second; ++i)
          prepare_ingest(i, lane == 0);
      });
    };
    auto read = store.replay_owned(
        position_ + 1, end,
        [&](std::vector<events::recorded_event>&& batch) {
          std::size_t bytes = 0;
          for (const auto& b : lane_bytes) bytes += b;
          if (bytes >= bulk_budget_) {
            prepare_lanes();
            if (auto r = write_out(pushed, true); !r) {
              failed = r.error();
              return false;
            }
            for (auto& b : lane_bytes) b = 0;
          }
          pushed = batch.back().position;
          lanes.push(std::move(batch));
          return true;
        },
        8192, [&] { return lanes.spare(); });
    if (read && failed.empty() && pushed > position_) prepare_lanes();
    return read;
  }();  // the lanes have applied everything pushed
  if (!replayed || !failed.empty()) {
    for (auto& sorted : in_order_) sorted.reset();
    for (auto& w : writes_) w->clear();
    for (auto* p : projections_) p->reset_caches();
    if (!replayed) return unexpected{"cannot read the log: " + replayed.error().message};
    return unexpected{failed};
  }
  if (pushed > position_) return write_out(pushed, true);
  return {};
}

expected<void, std::string> projector::start(storage::event_store& store) {
  if (auto r = prepare(); !r) return r;
  start_target_ = store.last_position();
  timer_ = std::thread([this] { timer_loop(); });
  subscription_ = store.subscribe(
      position_,
      [this](std::span<const events::recorded_event> batch) {
        {
          std::lock_guard lock(mu_);
          if (!failure_.empty()) return;  // never apply past a gap
        }
        if (auto r = apply(batch); !r) {
          spdlog::error("projections stopped at position {}: {}", position_.load(), r.error());
          std::lock_guard lock(mu_);
          failure_ = r.error();
        }
      },
      [this](const storage::store_error& e) {
        spdlog::error("projections cannot read the log: {}", e.message);
        std::lock_guard lock(mu_);
        failure_ = e.message;
      });
  return {};
}

std::string projector::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void projector::await(std::uint64_t position, std::chrono::milliseconds timeout,
                      std::function<void(bool)> done) {
  if (position_.load() >= position) return done(true);
  {
    std::lock_guard lock(mu_);
    // Checked again under the lock: `release_reached` may have just run.
    if (position_.load() < position && !stopping_) {
      waiters_.emplace(position,
                       waiter{std::chrono::steady_clock::now() + timeout, std::move(done)});
      timer_cv_.notify_all();
      return;
    }
  }
  done(position_.load() >= position);
}

void projector::release_reached() {
  std::vector<std::function<void(bool)>> ready;
  {
    std::lock_guard lock(mu_);
    auto end = waiters_.upper_bound(position_.load());
    for (auto it = waiters_.begin(); it != end; ++it) ready.push_back(std::move(it->second.done));
    waiters_.erase(waiters_.begin(), end);
  }
  for (auto& done : ready) done(true);
}

void projector::timer_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = std::chrono::steady_clock::time_point::max();
    std::vector<std::function<void(bool)>> expired;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.deadline <= now) {
        expired.push_back(std::move(it->second.done));
        it = waiters_.erase(it);
      } else {
        next = std::min(next, it->second.deadline);
        ++it;
      }
    }
    if (!expired.empty()) {
      lock.unlock();
      for (auto& done : expired) done(false);
      lock.lock();
      continue;
    }
    if (next == std::chrono::steady_clock::time_point::max())
      timer_cv_.wait(lock);
    else
      timer_cv_.wait_until(lock, next);
  }
}

}  // namespace fl::projections
