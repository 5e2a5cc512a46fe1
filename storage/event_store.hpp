#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "events/record.hpp"
#include "storage/append.hpp"
#include "storage/store_error.hpp"
#include "storage/store_options.hpp"
#include "storage/subscription.hpp"

namespace fl::storage {

struct store_impl;

/// What `verify()` found walking the hash chain.
struct verify_report {
  bool ok = true;
  std::uint64_t events_checked = 0;
  std::optional<std::uint64_t> first_bad_position;  // the first broken link
  std::string problem;                              // what is wrong there
};

/// The durable, hash-chained event log on RocksDB.
///
/// Appends are atomic per request, checked against the stream's expected
/// version, and acknowledged only after the write-ahead log is synced. One
/// writer thread gathers every append waiting at that moment into a single
/// synced WriteBatch (group commit), so throughput grows with concurrency.
///
/// Thread safety: every member may be called from any thread. Callbacks of
/// `append_async` run on the store's completion thread, in commit order, and
/// must not block or call `append` (use `append_async`).
class event_store {
 public:
  /// Opens (or creates) the store in `dir`. A directory holding something
  /// else, a store written by a newer fieldline, a corrupt store or one
  /// locked by another process is an error; nothing is changed then.
  static expected<std::unique_ptr<event_store>, store_error> open(const std::filesystem::path& dir,
                                                                  store_options options = {});

  /// Stops taking appends, commits those already queued, closes the database
  /// once no subscription is left.
  ~event_store();
  event_store(const event_store&) = delete;
  event_store& operator=(const event_store&) = delete;

  /// Appends and calls `done` (on the completion thread) once durable or
  /// refused.
  void append_async(append_request request, append_callback done);

  /// Appends and waits until durable or refused.
  append_outcome append(append_request request);

  /// Events of `stream` with version >= `from_version`, at most `limit`.
  expected<std::vector<events::recorded_event>, store_error> read_stream(
      std::string_view stream, std::uint64_t from_version = 1, std::size_t limit = SIZE_MAX) const;

  /// Events with position >= `from_position` in log order, at most `limit`.
  expected<std::vector<events::recorded_event>, store_error> read_all(std::uint64_t from_position,
                                                                      std::size_t limit) const;

  /// The tenant's events with position >= `from_position`, in log order.
  expected<std::vector<events::recorded_event>, store_error> read_tenant(
      std::string_view tenant, std::uint64_t from_position, std::size_t limit) const;

  /// Delivers the events from `from_position` through `to_position` (capped
  /// at the last acknowledged one) in order, in batches of `batch_size`, to
  /// `on_batch` on the calling thread, until it returns false. A second
  /// thread reads ahead from RocksDB while this one decodes: the fast path for
  /// rebuilding projections. A gap or an undecodable record is `corruption`.
  expected<void, store_error> replay(
      std::uint64_t from_position, std::uint64_t to_position,
      const std::function<bool(std::span<const events::recorded_event>)>& on_batch,
      std::size_t batch_size = 1024) const;

  /// A batch done with, handed back to be decoded into again (its events'
  /// memory reused), or an empty vector.
  using spare_batch = std::function<std::vector<events::recorded_event>()>;

  /// `replay`, handing each batch over to `on_batch` to keep: a caller can
  /// go on applying one batch on other threads while the next is decoded.
  /// Batches are decoded into what `spare` returns, when given.
  expected<void, store_error> replay_owned(
      std::uint64_t from_position, std::uint64_t to_position,
      const std::function<bool(std::vector<events::recorded_event>&&)>& on_batch,
      std::size_t batch_size = 1024, const spare_batch& spare = {}) const;

  /// Calls `fn(position, stored_bytes)` for each stored record from
  /// `from_position` on, until it returns false. For export and audit.
  expected<void, store_error> for_each_stored(
      std::uint64_t from_position,
      const std::function<bool(std::uint64_t, std::string_view)>& fn) const;

  /// The position of the last acknowledged event (0 when empty).
  std::uint64_t last_position() const;

  /// Waits until `last_position() >= position` or `timeout`; true if reached.
  bool wait_for_position(std::uint64_t position, std::chrono::milliseconds timeout) const;

  /// The stream's current version (0 if it has no events).
  expected<std::uint64_t, store_error> stream_version(std::string_view stream) const;

  /// The first position produced by the append that carried this external id.
  expected<std::optional<std::uint64_t>, store_error> find_external_id(std::string_view tenant,
                                                                       std::string_view id) const;

  /// Delivers, on a thread of its own, every event after `after_position` in
  /// order: first what is stored, then live appends as they are acknowledged.
  std::unique_ptr<subscription> subscribe(std::uint64_t after_position,
                                          subscription::batch_handler on_events,
                                          subscription::error_handler on_error = {});

  /// Walks the whole chain: positions gap-free, each hash recomputed, each
  /// prev_hash the previous hash, each record decodable and indexed.
  verify_report verify() const;

 private:
  explicit event_store(std::shared_ptr<store_impl> impl);
  std::shared_ptr<store_impl> impl_;
};

}  // namespace fl::storage
