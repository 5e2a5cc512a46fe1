#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#include "projections/key_hash.hpp"
#include "projections/projection.hpp"

namespace fl::projections {

namespace {

constexpr std::uint32_t first_bits = 4;  // 16 slots
constexpr std::size_t chunk_bytes = 1 << 20;
constexpr std::size_t first_chunk_bytes = 64 << 10;  // enough for a live batch
constexpr std::size_t kept_slots = 4096;             // a cleared set keeps a table this small
constexpr std::uint64_t address_mask = (std::uint64_t{1} << 48) - 1;
char empty_value[1] = {0};

// A key's hash: its upper half picks the home slot (its top `bits` bits in a
// table of 2^bits slots), its lowest 16 bits are the tag kept in the slot.
std::uint32_t home_of(std::uint64_t hash) {
  return static_cast<std::uint32_t>(hash >> 32);
}
std::size_t home_slot(std::uint32_t home, std::uint32_t bits) {
  return home >> (32 - bits);
}

std::uint64_t slot_of(std::uint16_t tag, const void* entry) {
  return static_cast<std::uint64_t>(tag) << 48 | reinterpret_cast<std::uintptr_t>(entry);
}

}  // namespace

write_set::write_set(reader read_stored) : read_stored_(std::move(read_stored)) {}

write_set::~write_set() {
  free_chunks(0);
}

void write_set::free_chunks(std::size_t keep) {
  for (std::size_t i = keep; i < chunks_.size(); ++i) ::operator delete(chunks_[i].bytes);
  chunks_.resize(std::min(keep, chunks_.size()));
}

char* write_set::allocate(std::size_t n, std::size_t align) {
  std::size_t pad = (align - reinterpret_cast<std::uintptr_t>(next_) % align) % align;
  if (n + pad > left_) {
    std::size_t size = std::max(chunks_.empty() ? first_chunk_bytes : chunk_bytes, n);
    auto* bytes = static_cast<char*>(::operator new(size));  // aligned for any entry
    if ((reinterpret_cast<std::uintptr_t>(bytes) + size) & ~address_mask) {
      ::operator delete(bytes);
      throw std::runtime_error("write_set: memory above the 48-bit address space");
    }
    chunks_.push_back({bytes, size});
    next_ = bytes;
    left_ = size;
    arena_bytes_ += size;
    pad = 0;
  }
  char* p = next_ + pad;
  next_ += pad + n;
  left_ -= pad + n;
  return p;
}

write_set::entry* write_set::new_entry(std::string_view key, std::size_t value_room) {
  if (key.size() >= UINT32_MAX || value_room >= entry::erased)
    throw std::length_error("write_set: key or value too large");
  char* bytes = allocate(sizeof(entry) + key.size() + value_room, alignof(entry));
  auto* e = new (bytes) entry();
  char* key_bytes = bytes + sizeof(entry);
  if (!key.empty()) std::memcpy(key_bytes, key.data(), key.size());
  e->key_size_ = static_cast<std::uint32_t>(key.size());
  e->data_ = value_room > 0 ? key_bytes + key.size() : empty_value;
  e->capacity_ = static_cast<std::uint32_t>(value_room);
  entries_.push_back(e);
  return e;
}

void write_set::grow() {
  std::uint32_t bits = table_.empty() ? first_bits : bits_ + 1;
  if (bits > 32) throw std::length_error("write_set: too many keys");
  decltype(table_) table(std::size_t{1} << bits, 0);
  const std::size_t mask = table.size() - 1;
  // The entries in the order they were made: a walk through the arena, each
  // entry's new slot fetched a few entries ahead.
  constexpr std::size_t ahead = 8;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (i + ahead < entries_.size())
      __builtin_prefetch(&table[home_slot(entries_[i + ahead]->hash_, bits)], 1);
    const entry* e = entries_[i];
    if (!e->indexed_) continue;
    std::size_t pos = home_slot(e->hash_, bits);
    while (table[pos] != 0) pos = (pos + 1) & mask;
    table[pos] = slot_of(e->tag_, e);
  }
  table_ = std::move(table);
  bits_ = bits;
}

const write_set::entry* write_set::find(std::string_view key) const {
  if (indexed_ == 0) return nullptr;  // `put_new` entries alone leave no table
  const auto h = hash_key(key);
  const auto tag = static_cast<std::uint16_t>(h);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t pos = home_slot(home_of(h), bits_);; pos = (pos + 1) & mask) {
    const auto s = table_[pos];
    if (s == 0) return nullptr;
    if ((s >> 48) == tag) {
      const auto* e = reinterpret_cast<const entry*>(s & address_mask);
      if (e->key() == key) return e;
    }
  }
}

void write_set::prefetch(std::string_view key) const {
  if (table_.empty()) return;
  __builtin_prefetch(&table_[home_slot(home_of(hash_key(key)), bits_)]);
}

std::pair<write_set::entry*, bool> write_set::slot_for(std::string_view key,
                                                       std::size_t value_room) {
  const auto h = hash_key(key);
  const auto tag = static_cast<std::uint16_t>(h);
  const auto home = home_of(h);
  if ((indexed_ + 1) * 2 > table_.size()) grow();
  const std::size_t mask = table_.size() - 1;
  std::size_t pos = home_slot(home, bits_);
  for (;; pos = (pos + 1) & mask) {
    const auto s = table_[pos];
    if (s == 0) break;
    if ((s >> 48) == tag) {
      auto* e = reinterpret_cast<entry*>(s & address_mask);
      if (e->key() == key) return {e, false};
    }
  }
  entry* e = new_entry(key, value_room);
  e->hash_ = home;
  e->tag_ = tag;
  e->indexed_ = true;
  table_[pos] = slot_of(tag, e);
  ++indexed_;
  return {e, true};
}

std::optional<std::string> write_set::get(std::string_view key) const {
  if (const auto* e = find(key)) {
    if (e->is_delete()) return std::nullopt;
    return std::string(e->value());
  }
  return read_stored_(key);
}

std::optional<std::string_view> write_set::peek(std::string_view key) const {
  if (const auto* e = find(key)) {
    if (e->is_delete()) return std::nullopt;
    return e->value();
  }
  auto stored = read_stored_(key);
  if (!stored) return std::nullopt;
  stored_ = std::move(*stored);
  return std::string_view(stored_);
}

void write_set::put(std::string_view key, std::string_view value) {
  if (value.size() >= entry::erased) throw std::length_error("write_set: value too large");
  // A new key gets its value's room right after it: one cache line for both.
  auto [e, inserted] = slot_for(key, value.size());
  const auto size = static_cast<std::uint32_t>(value.size());
  if (size > e->capacity_) {
    // A key written again is likely to be written yet again (a message's
    // record at each status): leave it room to grow in place.
    std::uint32_t capacity = size + size / 4 + 16;
    e->data_ = allocate(capacity);
    e->capacity_ = capacity;
  }
  // memmove: `value` may be a view of this very entry's bytes (a caller
  // writing back what it peeked), which then overlap.
  if (size > 0) std::memmove(e->data_, value.data(), size);
  e->size_ = size;
}

void write_set::put_new(std::string_view key, std::string_view value) {
  entry* e = new_entry(key, value.size());
  if (!value.empty()) std::memcpy(e->data_, value.data(), value.size());
  e->size_ = static_cast<std::uint32_t>(value.size());
}

void write_set::erase(std::string_view key) {
  slot_for(key, 0).first->size_ = entry::erased;
}

std::size_t write_set::bytes() const {
  return arena_bytes_ + entries_.capacity() * sizeof(entry*) +
         table_.size() * sizeof(std::uint64_t);
}

void write_set::clear() {
  if (table_.size() > kept_slots) {
    decltype(entries_)().swap(entries_);
    decltype(table_)().swap(table_);
    bits_ = 0;
  } else {
    entries_.clear();
    std::fill(table_.begin(), table_.end(), 0);
  }
  indexed_ = 0;
  // Keeps the first chunk for the next batch.
  free_chunks(1);
  arena_bytes_ = chunks_.empty() ? 0 : chunks_.front().size;
  next_ = chunks_.empty() ? nullptr : chunks_.front().bytes;
  left_ = arena_bytes_;
}

}  // namespace fl::projections
