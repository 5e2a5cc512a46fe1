#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "base/sha256.hpp"
#include "projections/projection.hpp"

namespace fl::projections {

/// Where the projections live: a RocksDB of its own (`<data>/projections`),
/// one column family per projection plus `meta` for each one's checkpoint
/// (last applied log position) and version. State and checkpoint are
/// committed in one atomic write, so after any crash a projection holds
/// exactly the events up to its checkpoint.
///
/// Thread safety: reads from any thread; `commit` and `reset` from one
/// thread at a time (the projector's).
class projection_db {
 public:
  struct options {
    bool read_only = false;  // for `fieldline verify` beside a running server
  };
  static expected<std::unique_ptr<projection_db>, std::string> open(
      const std::filesystem::path& dir, const std::vector<std::string>& names, options opts);
  static expected<std::unique_ptr<projection_db>, std::string> open(
      const std::filesystem::path& dir, const std::vector<std::string>& names) {
    return open(dir, names, options{});
  }
  ~projection_db();
  projection_db(const projection_db&) = delete;
  projection_db& operator=(const projection_db&) = delete;

  /// The index of a projection's family in `names` (as opened).
  std::size_t family(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

  std::uint64_t checkpoint(std::size_t family) const;
  std::optional<int> stored_version(std::size_t family) const;

  /// Drops the family's state; checkpoint 0, version `version`.
  expected<void, std::string> reset(std::size_t family, int version);
  /// `reset` of several families (`versions[i]` for `families[i]`) at once:
  /// one drop, one creation and one synced write for all of them.
  expected<void, std::string> reset(const std::vector<std::size_t>& families,
                                    const std::vector<int>& versions);

  /// Writes each family's pending writes and its new checkpoint atomically.
  struct family_writes {
    std::size_t family;
    const write_set* writes;
    std::uint64_t checkpoint;
    // The family holds no key yet: its deletes are left out (a rebuild's
    // superseded keys would otherwise become tombstones that reads skip).
    bool nothing_stored = false;
    // For `ingest`: `writes`' entries already in key order, as
    // `in_key_order(*writes, nothing_stored)` gives them (the caller sorted
    // them on a thread of its own); null: `ingest` sorts them.
    const std::vector<const write_set::entry*>* in_order = nullptr;
  };
  expected<void, std::string> commit(const std::vector<family_writes>& writes);

  /// The same outcome as `commit`, for large sets of writes (a rebuild's
  /// catch-up): each family's writes go to a sorted table file, and the
  /// files, checkpoints included, are added to the database in one atomic
  /// step, never passing through the write-ahead log and memtables.
  expected<void, std::string> ingest(const std::vector<family_writes>& writes);

  /// Reads the committed state.
  std::optional<std::string> get(std::size_t family, std::string_view key) const;

  /// A consistent view for queries that read several keys.
  class view {
   public:
    ~view();
    view(view&&) noexcept;
    std::optional<std::string> get(std::size_t family, std::string_view key) const;
    /// Several keys of one family in one call (RocksDB batches the lookups).
    std::vector<std::optional<std::string>> get_many(std::size_t family,
                                                     const std::vector<std::string>& keys) const;
    /// Calls `fn(key, value)` for keys in [`from`, `to`) ascending (or, with
    /// `reverse`, from the last key < `to` down to `from`) until it returns false.
    void scan(std::size_t family, std::string_view from, std::string_view to, bool reverse,
              const std::function<bool(std::string_view, std::string_view)>& fn) const;
    std::uint64_t checkpoint(std::size_t family) const;

   private:
    friend class projection_db;
    struct state;
    explicit view(std::unique_ptr<state> s);
    std::unique_ptr<state> s_;
  };
  view snapshot() const;

  /// SHA-256 over every key and value of `family` starting with `prefix`
  /// (all when empty), with the count: to compare a projection with a rebuild.
  struct digest {
    sha256_digest hash{};
    std::uint64_t keys = 0;
    friend bool operator==(const digest&, const digest&) = default;
  };
  digest digest_of(const view& v, std::size_t family, std::string_view prefix) const;

 private:
  struct impl;
  explicit projection_db(std::unique_ptr<impl> p, std::vector<std::string> names);
  std::unique_ptr<impl> impl_;
  std::vector<std::string> names_;
};

/// The exclusive upper bound of keys starting with `prefix`.
std::string prefix_end(std::string_view prefix);

}  // namespace fl::projections
