#pragma once

// The event store's internals, shared by its files (open, write, read,
// verify, subscription). Only storage/ includes this.

#include <rocksdb/db.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/sha256.hpp"
#include "events/record.hpp"
#include "storage/append.hpp"
#include "storage/store_error.hpp"
#include "storage/store_options.hpp"

namespace fl::storage {

/// Converts a RocksDB status to a store error (rocksdb::Status stays here).
store_error from_status(const rocksdb::Status& s, std::string_view what);

struct pending_append {
  append_request request;
  std::vector<events::encoded_event> encoded;
  append_callback done;
};

/// A committed (or refused) round waiting for its callbacks to run.
struct completed_round {
  std::vector<pending_append> round;
  std::vector<std::optional<append_outcome>> outcomes;  // every one set
};

struct store_impl {
  store_options options;
  std::unique_ptr<rocksdb::DB> db;
  // Column families, in open order; owned by `db` (destroyed before it).
  rocksdb::ColumnFamilyHandle* cf_default = nullptr;
  rocksdb::ColumnFamilyHandle* cf_log = nullptr;
  rocksdb::ColumnFamilyHandle* cf_streams = nullptr;
  rocksdb::ColumnFamilyHandle* cf_tenants = nullptr;
  rocksdb::ColumnFamilyHandle* cf_dedupe = nullptr;
  rocksdb::ColumnFamilyHandle* cf_meta = nullptr;

  // Commit point: advanced by the writer after each synced write.
  mutable std::mutex commit_mu;
  mutable std::condition_variable commit_cv;
  std::atomic<std::uint64_t> committed{0};
  std::atomic<bool> closed{false};

  // Writer state (touched only by the writer thread once it runs).
  std::uint64_t head_position = 0;
  sha256_digest head_hash{};
  timestamp head_recorded_at = timestamp::min();  // recorded_at never goes below it
  std::unordered_map<std::string, std::uint64_t> stream_versions;  // cache
  std::uint64_t rounds = 0;
  std::string write_failure;  // set once a write failed: no more writes
  sha256_hasher hasher;

  // The queue the writer drains.
  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::vector<pending_append> queue;
  bool stopping = false;
  std::thread writer;

  // Rounds whose callbacks the completer thread runs, in commit order.
  std::mutex completion_mu;
  std::condition_variable completion_cv;
  std::deque<completed_round> completions;
  bool completion_stopping = false;
  std::thread completer;

  ~store_impl();

  void start_writer();
  void stop_writer();
  void writer_loop();
  void commit_round(std::vector<pending_append> round);
  void hand_off(std::vector<pending_append> round,
                std::vector<std::optional<append_outcome>> outcomes);
  void completer_loop();
  expected<std::uint64_t, store_error> stored_stream_version(std::string_view stream) const;
  expected<std::optional<std::uint64_t>, store_error> stored_external_id(
      std::string_view key) const;
  expected<std::vector<events::recorded_event>, store_error> read_positions(
      const std::vector<std::uint64_t>& positions) const;
  expected<std::vector<events::recorded_event>, store_error> read_range(std::uint64_t from_position,
                                                                        std::size_t limit) const;
  expected<void, store_error> replay(
      std::uint64_t from_position, std::uint64_t to_position,
      const std::function<bool(std::span<const events::recorded_event>)>& on_batch,
      std::size_t batch_size) const;
  expected<void, store_error> replay_owned(
      std::uint64_t from_position, std::uint64_t to_position,
      const std::function<bool(std::vector<events::recorded_event>&&)>& on_batch,
      std::size_t batch_size,
      const std::function<std::vector<events::recorded_event>()>& spare) const;
  void publish(std::uint64_t position);
};

}  // namespace fl::storage
