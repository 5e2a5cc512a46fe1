#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
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
    return find(id, hash_of(id));
  }

  /// Keeps `record` (as read, or `dirty` when new or changed) under `id`.
  slot& keep(Key id, std::string key, Record record, bool dirty) {
    const auto h = hash_of(id);
    if (auto* s = find(id, h)) {
      *s = slot{std::move(key), std::move(record), dirty};
      return *s;
    }
    if ((entries_.size() + 1) * 2 > index_.size()) grow();
    entries_.push_back({std::move(id), slot{std::move(key), std::move(record), dirty}});
    place(h, entries_.size());
    return entries_.back().kept;
  }

  /// Calls `write(slot)` for every changed record; then they are as stored.
  template <class Write>
  void flush(Write write) {
    for (auto& e : entries_)
      if (e.kept.dirty) {
        write(e.kept);
        e.kept.dirty = false;
      }
  }

  /// `flush`, in the order of the records' ids. `ahead(slot)` is called a
  /// few records before `write(slot)`: to fetch what writing it will touch.
  template <class Write, class Ahead>
  void flush_in_order(Write write, Ahead ahead) {
    std::vector<entry*> dirty;
    for (auto& e : entries_)
      if (e.kept.dirty) dirty.push_back(&e);
    std::sort(dirty.begin(), dirty.end(),
              [](const auto* a, const auto* b) { return a->id < b->id; });
    constexpr std::size_t distance = 8;
    for (std::size_t i = 0; i < dirty.size(); ++i) {
      if (i + distance < dirty.size()) ahead(std::as_const(dirty[i + distance]->kept));
      write(dirty[i]->kept);
      dirty[i]->kept.dirty = false;
    }
  }
  template <class Write>
  void flush_in_order(Write write) {
    flush_in_order(write, [](const slot&) {});
  }

  std::size_t size() const { return entries_.size(); }

  void clear() {
    entries_.clear();
    if (index_.size() > kept_index) {
      decltype(index_)().swap(index_);
      mask_ = 0;
    } else {
      std::fill(index_.begin(), index_.end(), 0);
    }
  }

 private:
  // Kept in a deque: a slot stays where it is while others are added.
  struct entry {
    Key id;
    slot kept;
  };
  static constexpr std::size_t kept_index = 1 << 16;  // a cleared cache keeps a table this small

  static std::uint64_t hash_of(std::string_view id) { return hash_key(id); }
  static std::uint64_t hash_of(std::uint64_t id) { return hash_position(id); }

  template <class Id>
  slot* find(const Id& id, std::uint64_t h) {
    if (index_.empty()) return nullptr;
    for (std::size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
      const auto v = index_[pos];
      if (v == 0) return nullptr;
      if ((v >> 32) == (h >> 32)) {
        auto& e = entries_[static_cast<std::uint32_t>(v) - 1];
        if (e.id == id) return &e.kept;
      }
    }
  }

  // Slot `v` of the index: the id hash's upper half, then 1 + the entry's
  // place in `entries_` (0: free). Open addressing, at most half full.
  void place(std::uint64_t h, std::size_t number) {
    std::size_t pos = h & mask_;
    while (index_[pos] != 0) pos = (pos + 1) & mask_;
    index_[pos] = (h >> 32) << 32 | number;
  }

  void grow() {
    const std::size_t size = std::max<std::size_t>(64, index_.size() * 2);
    index_.assign(size, 0);
    mask_ = size - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) place(hash_of(entries_[i].id), i + 1);
  }

  std::deque<entry> entries_;
  std::vector<std::uint64_t> index_;
  std::size_t mask_ = 0;
};

}  // namespace fl::projections
