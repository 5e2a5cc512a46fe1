#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "projections/projection.hpp"

namespace fl::projections {

namespace {

__extension__ typedef unsigned __int128 u128;

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  u128 r = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

// A fast 64-bit hash of short keys (wyhash's multiply-and-fold), eight bytes
// a step. Keys are ours (tenant ids, tags, positions, ids), not an
// attacker's, so no seed is needed.
std::uint64_t hash_key(std::string_view s) {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = k0 ^ n;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(w ^ k1, h ^ k0);
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(w ^ k1, h ^ k0 ^ n);
  }
  return mix(h ^ k1, k0 ^ s.size());
}

constexpr std::uint32_t first_bits = 4;  // 16 slots
constexpr std::size_t chunk_bytes = 1 << 20;
constexpr std::size_t first_chunk_bytes = 64 << 10;  // enough for a live batch
constexpr std::size_t kept_slots = 4096;             // a cleared set keeps a table this small
char empty_value[1] = {0};

}  // namespace

write_set::write_set(reader read_stored) : read_stored_(std::move(read_stored)) {}

write_set::~write_set() {
  free_chunks(0);
}

void write_set::free_chunks(std::size_t keep) {
  for (std::size_t i = keep; i < chunks_.size(); ++i) ::operator delete(chunks_[i].bytes);
  chunks_.resize(std::min(keep, chunks_.size()));
}

char* write_set::allocate(std::size_t n) {
  if (n > left_) {
    std::size_t size = std::max(chunks_.empty() ? first_chunk_bytes : chunk_bytes, n);
    chunks_.push_back({static_cast<char*>(::operator new(size)), size});
    next_ = chunks_.back().bytes;
    left_ = size;
    arena_bytes_ += size;
  }
  char* p = next_;
  next_ += n;
  left_ -= n;
  return p;
}

void write_set::grow() {
  std::uint32_t bits = table_.empty() ? first_bits : bits_ + 1;
  if (bits > 32) throw std::length_error("write_set: too many keys");
  std::vector<std::uint64_t> table(std::size_t{1} << bits, 0);
  const std::size_t mask = table.size() - 1;
  for (auto s : table_) {
    if (s == 0) continue;
    std::size_t pos = static_cast<std::uint32_t>(s >> 32) >> (32 - bits);
    while (table[pos] != 0) pos = (pos + 1) & mask;
    table[pos] = s;
  }
  table_ = std::move(table);
  bits_ = bits;
}

const write_set::entry* write_set::find(std::string_view key) const {
  if (indexed_ == 0) return nullptr;  // `put_new` entries alone leave no table
  const auto tag = static_cast<std::uint32_t>(hash_key(key) >> 32);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t pos = tag >> (32 - bits_);; pos = (pos + 1) & mask) {
    const auto s = table_[pos];
    if (s == 0) return nullptr;
    if (static_cast<std::uint32_t>(s >> 32) == tag) {
      const auto& e = entries_[static_cast<std::uint32_t>(s) - 1];
      if (e.key == key) return &e;
    }
  }
}

std::pair<write_set::entry*, bool> write_set::slot_for(std::string_view key) {
  const auto tag = static_cast<std::uint32_t>(hash_key(key) >> 32);
  if ((indexed_ + 1) * 2 > table_.size()) grow();
  const std::size_t mask = table_.size() - 1;
  std::size_t pos = tag >> (32 - bits_);
  for (;; pos = (pos + 1) & mask) {
    const auto s = table_[pos];
    if (s == 0) break;
    if (static_cast<std::uint32_t>(s >> 32) == tag) {
      auto& e = entries_[static_cast<std::uint32_t>(s) - 1];
      if (e.key == key) return {&e, false};
    }
  }
  char* bytes = allocate(key.size());
  if (!key.empty()) std::memcpy(bytes, key.data(), key.size());
  entries_.push_back({std::string_view(bytes, key.size()), empty_value, entry::erased, 0});
  table_[pos] = static_cast<std::uint64_t>(tag) << 32 | entries_.size();
  ++indexed_;
  return {&entries_.back(), true};
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
  auto [e, inserted] = slot_for(key);
  const auto size = static_cast<std::uint32_t>(value.size());
  if (size > e->capacity) {
    // A key written again is likely to be written yet again (a message's
    // record at each status): leave it room to grow in place.
    std::uint32_t capacity = inserted ? size : size + size / 4 + 16;
    char* bytes = allocate(capacity);
    e->data = bytes;
    e->capacity = capacity;
  }
  // memmove: `value` may be a view of this very entry's bytes (a caller
  // writing back what it peeked), which then overlap.
  if (size > 0) std::memmove(e->data, value.data(), size);
  e->size = size;
}

void write_set::put_new(std::string_view key, std::string_view value) {
  if (value.size() >= entry::erased) throw std::length_error("write_set: value too large");
  const auto size = static_cast<std::uint32_t>(value.size());
  char* bytes = allocate(key.size() + size);
  if (!key.empty()) std::memcpy(bytes, key.data(), key.size());
  if (size > 0) std::memcpy(bytes + key.size(), value.data(), size);
  entries_.push_back({std::string_view(bytes, key.size()), bytes + key.size(), size, size});
}

void write_set::erase(std::string_view key) {
  slot_for(key).first->size = entry::erased;
}

std::size_t write_set::bytes() const {
  return arena_bytes_ + entries_.capacity() * sizeof(entry) + table_.size() * sizeof(std::uint64_t);
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
