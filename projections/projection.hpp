#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "events/record.hpp"

namespace fl::projections {

/// Lets the pending map be searched with a string_view (no allocation).
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// The writes one projection makes while applying a batch of events, read
/// back by the same projection before they are committed (a status change
/// may follow its message in one batch). Reads that miss go to the stored
/// state through `read_stored`.
class write_set {
 public:
  using pending_map =
      std::unordered_map<std::string, std::optional<std::string>, string_hash, std::equal_to<>>;
  using reader = std::function<std::optional<std::string>(std::string_view key)>;
  explicit write_set(reader read_stored) : read_stored_(std::move(read_stored)) {}

  std::optional<std::string> get(std::string_view key) const {
    if (auto it = pending_.find(key); it != pending_.end()) return it->second;
    return read_stored_(key);
  }
  void put(std::string key, std::string value) {
    auto value_size = value.size();
    set(std::move(key), std::move(value), value_size);
  }
  void erase(std::string key) { set(std::move(key), std::nullopt, 0); }

  /// Key → new value (nullopt: delete). Applied in one atomic write.
  const pending_map& pending() const { return pending_; }
  /// Roughly the memory the pending writes hold: the bulk path of a
  /// rebuild writes them out when it grows past its budget.
  std::size_t bytes() const { return bytes_; }
  void clear() {
    pending_.clear();
    bytes_ = 0;
  }

 private:
  static constexpr std::size_t entry_overhead = 96;  // node, hash, two string headers
  void set(std::string key, std::optional<std::string> value, std::size_t value_size) {
    auto [it, inserted] = pending_.try_emplace(std::move(key));
    if (inserted)
      bytes_ += it->first.size() + entry_overhead;
    else
      bytes_ -= it->second ? it->second->size() : 0;
    bytes_ += value_size;
    it->second = std::move(value);
  }

  reader read_stored_;
  pending_map pending_;
  std::size_t bytes_ = 0;
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
  /// Forget in-memory caches (after the stored state was dropped).
  virtual void reset_caches() {}
};

}  // namespace fl::projections
