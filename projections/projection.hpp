#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/record.hpp"

namespace fl::projections {

/// The writes one projection makes while applying a batch of events, read
/// back by the same projection before they are committed (a status change
/// may follow its message in one batch). Reads that miss go to the stored
/// state through `read_stored`.
///
/// A rebuild keeps millions of these in memory, so they are stored flat in
/// an arena (released at once by `clear`): each key's entry with the key's
/// bytes right after it, and a new key's value right after those. An
/// open-addressing table points at the entries directly, so finding a key
/// touches its table slot and its entry, nothing between. A value that fits
/// where the key's previous value was is written over it.
class write_set {
 public:
  using reader = std::function<std::optional<std::string>(std::string_view key)>;
  explicit write_set(reader read_stored);
  ~write_set();
  write_set(const write_set&) = delete;
  write_set& operator=(const write_set&) = delete;

  /// One key's pending write: its new value, or a delete. Lives in the
  /// arena, its key's bytes right after it.
  class entry {
   public:
    std::string_view key() const { return {reinterpret_cast<const char*>(this + 1), key_size_}; }
    bool is_delete() const { return size_ == erased; }
    /// The new value (only when not a delete).
    std::string_view value() const { return {data_, size_}; }

   private:
    friend class write_set;
    static constexpr std::uint32_t erased = UINT32_MAX;
    char* data_ = nullptr;
    std::uint32_t size_ = erased;
    std::uint32_t capacity_ = 0;
    std::uint32_t key_size_ = 0;
    std::uint32_t hash_ = 0;  // the key's hash, to place it again when the table grows
    std::uint16_t tag_ = 0;   // more of the hash, kept in its table slot
    bool indexed_ = false;    // in the table (not written by `put_new`)
  };

  std::optional<std::string> get(std::string_view key) const;
  /// `get` without the copy: the view is valid until the next call on this
  /// write set (read it, decode it, before writing).
  std::optional<std::string_view> peek(std::string_view key) const;
  void put(std::string_view key, std::string_view value);
  /// `put` of a key written once ever (its log position is part of it) and
  /// never read back while folding: no lookup, no slot in the table. A key
  /// put this way and then read, written or erased again would be missed or
  /// written twice (debug builds check the latter when writing out).
  void put_new(std::string_view key, std::string_view value);
  void erase(std::string_view key);
  /// Starts fetching the table slot where `key` would be found, for a caller
  /// that knows its next keys ahead (a table of millions of slots misses the
  /// caches at every lookup). Changes nothing.
  void prefetch(std::string_view key) const;

  /// Every pending write, one per key (the last one made), in the order the
  /// keys were first written. Applied in one atomic write.
  std::span<const entry* const> entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  /// The memory the pending writes hold: the bulk path of a rebuild writes
  /// them out when it grows past its budget.
  std::size_t bytes() const;
  void clear();

 private:
  // The entry for `key`, and whether it is new (then a delete, no bytes).
  // A new entry gets `value_room` bytes for its value right after its key.
  std::pair<entry*, bool> slot_for(std::string_view key, std::size_t value_room);
  const entry* find(std::string_view key) const;
  entry* new_entry(std::string_view key, std::size_t value_room);
  void grow();
  char* allocate(std::size_t n, std::size_t align = 1);

  reader read_stored_;
  mutable std::string stored_;  // what `peek` last read from the stored state
  std::vector<const entry*> entries_;
  // Power-of-two table: 0 = empty, else a 16-bit hash tag << 48 | the entry's
  // address (user-space addresses fit in 48 bits; `allocate` checks).
  std::vector<std::uint64_t> table_;
  std::uint32_t bits_ = 0;   // log2 of the table's size; a hash's top bits pick its home slot
  std::size_t indexed_ = 0;  // entries in the table (not those of `put_new`)
  struct chunk {
    char* bytes;
    std::size_t size;
  };
  void free_chunks(std::size_t keep);
  std::vector<chunk> chunks_;  // the arena: the first one small (a live batch), then 1 MB
  char* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t arena_bytes_ = 0;
};

/// A read model built by folding the event log. Its state lives in its own
/// RocksDB column family, committed together with its checkpoint; every key
/// starts with the tenant id and NUL, so a tenant's part can be compared
/// and audited alone.
///
/// `apply` must be a pure function of the events applied so far (no clock,
/// no randomness): a rebuild from position 0 must give the same bytes.
class projection {
 public:
  virtual ~projection() = default;
  /// Its column family's name; stable.
  virtual std::string_view name() const = 0;
  /// Bump whenever `apply` or a record layout changes: the server then
  /// rebuilds this projection from position 0 on start.
  virtual int version() const = 0;
  virtual void apply(const events::recorded_event& e, write_set& out) = 0;
  /// Called after each batch's last event: a projection that keeps records
  /// decoded (see record_cache) may write some and forget them here, to
  /// bound its memory.
  virtual void end_batch(write_set&) {}
  /// Writes every record kept decoded and changed since it was written:
  /// called before the write set is committed (after every batch when live,
  /// before each write-out of a catch-up, whose batches may change a record
  /// many times before it is written once).
  virtual void before_commit(write_set&) {}
  /// Forget in-memory caches (after the stored state was dropped).
  virtual void reset_caches() {}
  /// Calls `fn(key, value)` for the projection's stored keys in order, until
  /// it returns false.
  using stored_scan = std::function<void(
      const std::function<bool(std::string_view key, std::string_view value)>& fn)>;
  /// Called before the events after `checkpoint` are applied (0: nothing is
  /// stored): a projection that keeps in memory which keys it stored starts
  /// from what `stored` reads.
  virtual void from_checkpoint(std::uint64_t /*checkpoint*/, const stored_scan& /*stored*/) {}
};

}  // namespace fl::projections
