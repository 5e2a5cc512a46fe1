#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "projections/key_hash.hpp"

namespace fl::projections {

/// Records a projection changes many times within one batch (a conversation
/// at each text and callback, a message at each status), kept decoded from
/// their first use in the batch and encoded once at its end. Decoding and
/// re-encoding such a record at every event cost more than the rest of the
/// projection. Only records that exist go in: one that was read as absent
/// and not written must be absent again for the next event. What is kept
/// after a flush must be forgotten (`clear`) whenever the stored state may
/// differ from it: a failed commit, a reset.
namespace detail {

// String keys are looked up by view: a caller builds the key in a buffer it
// reuses, not in a new string per lookup.
struct string_key_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(hash_key(s));
  }
};

template <class Key>
using cache_map_hash =
    std::conditional_t<std::is_same_v<Key, std::string>, string_key_hash, std::hash<Key>>;
template <class Key>
using cache_map_equal =
    std::conditional_t<std::is_same_v<Key, std::string>, std::equal_to<>, std::equal_to<Key>>;

}  // namespace detail

template <class Key, class Record>
class record_cache {
 public:
  struct slot {
    std::string key;  // where the record is written in the projection
    Record record;
    bool dirty = false;  // changed since it was read
  };

  template <class Id>
  slot* find(const Id& id) {
    auto it = slots_.find(id);
    return it == slots_.end() ? nullptr : &it->second;
  }

  /// Keeps `record` (as read, or `dirty` when new or changed) under `id`.
  slot& keep(Key id, std::string key, Record record, bool dirty) {
    auto& s = slots_[std::move(id)];
    s = slot{std::move(key), std::move(record), dirty};
    return s;
  }

  /// Calls `write(slot)` for every changed record; then they are as stored.
  template <class Write>
  void flush(Write write) {
    for (auto& [id, s] : slots_)
      if (s.dirty) {
        write(s);
        s.dirty = false;
      }
  }

  /// `flush`, in the order of the records' ids.
  template <class Write>
  void flush_in_order(Write write) {
    std::vector<std::pair<const Key*, slot*>> dirty;
    for (auto& [id, s] : slots_)
      if (s.dirty) dirty.emplace_back(&id, &s);
    std::sort(dirty.begin(), dirty.end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
    for (auto& [id, s] : dirty) {
      write(*s);
      s->dirty = false;
    }
  }

  std::size_t size() const { return slots_.size(); }

  void clear() { slots_.clear(); }

 private:
  std::unordered_map<Key, slot, detail::cache_map_hash<Key>, detail::cache_map_equal<Key>> slots_;
};

}  // namespace fl::projections
