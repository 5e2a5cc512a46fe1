#include "projections/sorted_writes.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "projections/in_parts.hpp"

namespace fl::projections {

namespace {

// Every key is `<tenant> NUL <rest>`, and a rebuild sorts millions of them.
// Comparing whole keys walks the shared tenant prefix through two pointers
// each time; instead each entry carries its tenant's rank and the first 24
// bytes of the rest inline (a message's index key by party, tag + phone +
// NUL + position, fits), and the full keys are compared only on a tie.
struct sort_entry {
  std::uint64_t bytes[3];  // big-endian: integer order is byte order
  std::uint32_t tenant_rank;
  std::uint32_t index;  // in the write set's entries
};

std::uint64_t big_endian_at(std::string_view s, std::size_t from) {
  if (from + 8 <= s.size()) {
    std::uint64_t v;
    std::memcpy(&v, s.data() + from, 8);
    return __builtin_bswap64(v);
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = v << 8 | (from + i < s.size() ? static_cast<unsigned char>(s[from + i]) : 0u);
  return v;
}

// Numbers each distinct tenant in the order first seen. Few tenants are
// searched linearly (the last one found first); many go to a map.
class tenant_numbers {
 public:
  std::uint32_t of(std::string_view tenant) {
    if (last_ < seen_.size() && seen_[last_] == tenant) return last_;
    if (seen_.size() <= linear_limit) {
      for (std::uint32_t i = 0; i < seen_.size(); ++i)
        if (seen_[i] == tenant) return last_ = i;
    } else if (auto it = by_name_.find(tenant); it != by_name_.end()) {
      return last_ = it->second;
    }
    last_ = static_cast<std::uint32_t>(seen_.size());
    seen_.push_back(tenant);
    if (seen_.size() > linear_limit) {
      if (by_name_.empty())
        for (std::uint32_t i = 0; i < seen_.size(); ++i) by_name_.emplace(seen_[i], i);
      else
        by_name_.emplace(tenant, last_);
    }
    return last_;
  }
  const std::vector<std::string_view>& seen() const { return seen_; }

 private:
  static constexpr std::size_t linear_limit = 16;
  std::vector<std::string_view> seen_;
  std::unordered_map<std::string_view, std::uint32_t> by_name_;
  std::uint32_t last_ = 0;
};

// The byte `at` (0 to 23) of an entry's inline bytes.
unsigned byte_at(const sort_entry& e, std::size_t at) {
  return static_cast<unsigned>(e.bytes[at / 8] >> (56 - 8 * (at % 8))) & 0xffu;
}

// Sorts a run of entries of one tenant whose inline bytes agree before
// `at`: into buckets by byte `at` (most significant first), each bucket then
// by the next byte, down to runs small enough for `less` (which also breaks
// ties past the inline bytes). A byte all the run shares costs a count, not
// a pass. On a rebuild's hundreds of thousands of index keys (random ids,
// phone numbers) sorting fell from 4.1 to 3.4 % of the CPU.
template <class Less>
void radix_sort(sort_entry* first, sort_entry* last, std::size_t at,
                std::vector<sort_entry>& scratch, const Less& less) {
  constexpr std::ptrdiff_t small = 64;
  for (; at < sizeof(sort_entry::bytes); ++at) {
    const auto n = last - first;
    if (n < small) break;
    std::size_t start[257] = {};
    for (auto* p = first; p != last; ++p) ++start[byte_at(*p, at) + 1];
    if (start[byte_at(*first, at) + 1] == static_cast<std::size_t>(n)) continue;
    for (std::size_t b = 0; b < 256; ++b) start[b + 1] += start[b];
    scratch.resize(static_cast<std::size_t>(n));
    std::size_t next[256];
    std::copy(start, start + 256, next);
    for (auto* p = first; p != last; ++p) scratch[next[byte_at(*p, at)]++] = *p;
    std::copy(scratch.begin(), scratch.begin() + n, first);
    for (std::size_t b = 0; b < 256; ++b)
      if (start[b + 1] - start[b] > 1)
        radix_sort(first + start[b], first + start[b + 1], at + 1, scratch, less);
    return;
  }
  std::sort(first, last, less);
}

}  // namespace

std::vector<const write_set::entry*> in_key_order(const write_set& writes, bool without_deletes,
                                                  bool two_threads) {
  const auto entries = writes.entries();
  two_threads = two_threads && entries.size() >= (std::size_t{1} << 16);
  // The entries in two halves, each done by its own thread in every pass;
  // within a group the first half's keys come first, so write order holds.
  const std::uint32_t halves[3] = {0, static_cast<std::uint32_t>(entries.size() / 2),
                                   static_cast<std::uint32_t>(entries.size())};
  // First pass: each key's tenant (numbered as first seen in its half) and
  // where the rest of it starts; the sort entries are then built in their
  // groups' places directly (no copy of millions of them from a first array).
  struct located {
    std::uint32_t index;  // in the write set's entries
    std::uint32_t tenant;
    std::uint32_t rest;  // offset of the key's bytes after the tenant's NUL
  };
  tenant_numbers tenants[2];
  std::vector<located> keys[2];
  in_parts(two_threads, [&](int h) {
    keys[h].reserve(halves[h + 1] - halves[h]);
    for (std::uint32_t i = halves[h]; i < halves[h + 1]; ++i) {
      if (without_deletes && entries[i]->is_delete()) continue;
      const auto key = entries[i]->key();
      const void* nul = std::memchr(key.data(), 0, key.size());
      const auto tenant_size =
          nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - key.data()) : key.size();
      keys[h].push_back({i, tenants[h].of(key.substr(0, tenant_size)),
                         static_cast<std::uint32_t>(tenant_size + 1)});
    }
  });
  // Tenants in byte order: a key's order is its tenant's, then its rest's
  // (a shorter tenant that prefixes a longer one sorts first either way).
  std::vector<std::string_view> names(tenants[0].seen());
  names.insert(names.end(), tenants[1].seen().begin(), tenants[1].seen().end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::uint32_t> rank[2];
  for (int h = 0; h < 2; ++h)
    for (auto name : tenants[h].seen())
      rank[h].push_back(static_cast<std::uint32_t>(
          std::lower_bound(names.begin(), names.end(), name) - names.begin()));
  auto entry_of = [&](int h, const located& k) -> sort_entry {
    const auto key = entries[k.index]->key();
    return {{big_endian_at(key, k.rest), big_endian_at(key, k.rest + 8),
             big_endian_at(key, k.rest + 16)},
            rank[h][k.tenant],
            k.index};
  };

  auto less = [&](const sort_entry& a, const sort_entry& b) {
    if (a.tenant_rank != b.tenant_rank) return a.tenant_rank < b.tenant_rank;
    for (int w = 0; w < 3; ++w)
      if (a.bytes[w] != b.bytes[w]) return a.bytes[w] < b.bytes[w];
    return entries[a.index]->key() < entries[b.index]->key();
  };
  // Grouped first by tenant and the key's first byte (its tag), keeping the
  // order the keys were written in: many groups come out in order already
  // (records and activity entries are keyed by log position, written as the
  // log goes) or in reverse, and need no sort.
  std::vector<sort_entry> sorted;
  const std::size_t count = keys[0].size() + keys[1].size();
  const std::size_t groups = names.size() * 256;
  if (groups > (std::size_t{1} << 20)) {
    sorted.reserve(count);
    for (int h = 0; h < 2; ++h)
      for (const auto& k : keys[h]) sorted.push_back(entry_of(h, k));
    std::sort(sorted.begin(), sorted.end(), less);
  } else {
    auto group_of = [&](int h, const located& k) {
      const auto key = entries[k.index]->key();
      const auto tag = k.rest < key.size() ? static_cast<unsigned char>(key[k.rest]) : 0u;
      return rank[h][k.tenant] * 256u + tag;
    };
    std::vector<std::uint32_t> in_group[2];
    in_parts(two_threads, [&](int h) {
      in_group[h].assign(groups, 0);
      for (const auto& k : keys[h]) ++in_group[h][group_of(h, k)];
    });
    std::vector<std::uint32_t> start(groups + 1, 0);
    for (std::size_t g = 0; g < groups; ++g)
      start[g + 1] = start[g] + in_group[0][g] + in_group[1][g];
    sorted.resize(count);
    in_parts(two_threads, [&](int h) {
      std::vector<std::uint32_t> next(groups);
      for (std::size_t g = 0; g < groups; ++g) next[g] = start[g] + (h == 1 ? in_group[0][g] : 0);
      for (const auto& k : keys[h]) sorted[next[group_of(h, k)]++] = entry_of(h, k);
    });
    // Groups split between the threads at the middle entry.
    std::size_t middle = 0;
    while (middle < groups && start[middle + 1] <= count / 2) ++middle;
    in_parts(two_threads, [&](int h) {
      std::vector<sort_entry> scratch;
      for (std::size_t g = h == 0 ? 0 : middle; g < (h == 0 ? middle : groups); ++g) {
        auto first = sorted.begin() + start[g], last = sorted.begin() + start[g + 1];
        if (last - first < 2 || std::is_sorted(first, last, less)) continue;
        auto greater = [&](const sort_entry& a, const sort_entry& b) { return less(b, a); };
        if (std::is_sorted(first, last, greater))
          std::reverse(first, last);  // keys are distinct: descending is strictly so
        else                          // the group's keys share their tag, the first inline byte
          radix_sort(&*first, &*first + (last - first), 1, scratch, less);
      }
    });
  }
  std::vector<const write_set::entry*> out;
  out.reserve(sorted.size());
  for (const auto& e : sorted) out.push_back(entries[e.index]);
  // A key written twice (`put_new` misused) would be a broken table file.
  for (std::size_t i = 1; i < out.size(); ++i) assert(out[i - 1]->key() < out[i]->key());
  return out;
}

}  // namespace fl::projections
