#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/expected.hpp"
#include "projections/projection.hpp"
#include "projections/projection_db.hpp"
#include "storage/event_store.hpp"

namespace fl::projections {

/// Feeds the log to the projections, in order, and commits each batch's
/// state with the checkpoints in one write. On `start` a projection whose
/// stored version differs from its code is dropped and rebuilt from 0; the
/// others continue from their checkpoints.
///
/// Readers wait for a position with `await` (read-your-writes) without
/// holding a thread: the callback runs on the projector's thread once the
/// position is applied, or on its timer thread at the deadline.
class projector {
 public:
  projector(projection_db& db, std::vector<projection*> projections);
  ~projector();  // stops: joins the subscription and the timer
  projector(const projector&) = delete;
  projector& operator=(const projector&) = delete;

  /// Resets projections whose version changed, then follows the log live.
  expected<void, std::string> start(storage::event_store& store);

  /// Applies the log up to `up_to` (default: its current end) on the calling
  /// thread, on the fast read-ahead path (no live following): start-up,
  /// `fieldline rebuild`, the rebuild that `verify` compares with. Writes
  /// accumulate in memory up to `bulk_budget` bytes and are then ingested as
  /// table files, checkpoints included, in one atomic step.
  expected<void, std::string> catch_up(const storage::event_store& store,
                                       std::optional<std::uint64_t> up_to = std::nullopt);

  void set_bulk_budget(std::size_t bytes) { bulk_budget_ = bytes; }

  /// Drops every projection's state (checkpoint 0).
  expected<void, std::string> reset_all();

  /// The position every projection has applied.
  std::uint64_t position() const { return position_.load(); }
  /// The log's last position when `start` ran: ready once `position()` reached it.
  std::uint64_t start_target() const { return start_target_; }

  /// Calls `done(true)` once `position()` >= `position`, `done(false)` after `timeout`.
  void await(std::uint64_t position, std::chrono::milliseconds timeout,
             std::function<void(bool)> done);

  /// The last error (a failed commit stops the projector); "" if none.
  std::string failure() const;

  /// Applies one batch (the subscription's handler; public for benchmarks).
  expected<void, std::string> apply(std::span<const events::recorded_event> batch);

 private:
  struct waiter {
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool)> done;
  };
  expected<void, std::string> prepare();
  // Reads projection `i`'s stored state (for `projection::from_checkpoint`).
  projection::stored_scan stored_scan(std::size_t i) const;
  // Applies `batch` to the write sets; large batches on two threads.
  void fold(std::span<const events::recorded_event> batch);
  // Applies `batch` to projections [first, last), then ends their batch.
  void fold_range(std::size_t first, std::size_t last,
                  std::span<const events::recorded_event> batch);
  // Before a bulk write-out: writes projection `i`'s kept records to its
  // write set and puts its writes in key order (each lane does its own as
  // soon as it applied its last batch).
  void prepare_ingest(std::size_t i, bool two_threads);
  // Commits (or, `bulk`, ingests) the write sets with checkpoints at `last`.
  expected<void, std::string> write_out(std::uint64_t last, bool bulk);
  void release_reached();
  void timer_loop();

  projection_db& db_;
  std::vector<projection*> projections_;
  std::vector<std::size_t> families_;
  std::vector<std::uint64_t> checkpoints_;
  std::vector<std::unique_ptr<write_set>> writes_;
  // Per projection, set by `prepare_ingest`: its writes in key order.
  std::vector<std::optional<std::vector<const write_set::entry*>>> in_order_;
  // Per projection: nothing stored yet, so reads need not ask RocksDB.
  std::vector<std::uint8_t> known_empty_;
  std::size_t bulk_budget_ = std::size_t{1} << 30;
  std::atomic<std::uint64_t> position_{0};
  std::uint64_t start_target_ = 0;

  mutable std::mutex mu_;
  std::condition_variable timer_cv_;
  std::multimap<std::uint64_t, waiter> waiters_;  // by position awaited
  std::string failure_;
  bool stopping_ = false;
  std::thread timer_;
  std::unique_ptr<storage::subscription> subscription_;
};

}  // namespace fl::projections
