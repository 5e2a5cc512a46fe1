#include "projections/sorted_writes.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace fl::projections {

namespace {

// Every key is `<tenant> NUL <rest>`, and a rebuild sorts millions of them.
// Comparing whole keys walks the shared tenant prefix through two pointers
// each time; instead each entry carries its tenant's rank and the first 16
// bytes of the rest inline, and the full keys are compared only on a tie.
struct sort_entry {
  std::uint32_t tenant_rank = 0;
  std::uint64_t head = 0, next = 0;  // big-endian: integer order is byte order
  const write_set::pending_map::value_type* entry = nullptr;
};

std::uint64_t big_endian_at(std::string_view s, std::size_t from) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = v << 8 | (from + i < s.size() ? static_cast<unsigned char>(s[from + i]) : 0u);
  return v;
}

std::string_view tenant_of(std::string_view key) {
  return key.substr(0, key.find('\0'));
}

}  // namespace

std::vector<const write_set::pending_map::value_type*> in_key_order(const write_set& writes) {
  // Tenants in byte order: a key's order is its tenant's, then its rest's
  // (a shorter tenant that prefixes a longer one sorts first either way).
  std::vector<std::string_view> tenants;
  std::unordered_map<std::string_view, std::uint32_t> rank;
  for (const auto& e : writes.pending())
    if (rank.emplace(tenant_of(e.first), 0).second) tenants.push_back(tenant_of(e.first));
  std::sort(tenants.begin(), tenants.end());
  for (std::uint32_t i = 0; i < tenants.size(); ++i) rank[tenants[i]] = i;

  std::vector<sort_entry> entries;
  entries.reserve(writes.pending().size());
  for (const auto& e : writes.pending()) {
    auto tenant = tenant_of(e.first);
    auto rest = tenant.size() + 1;
    entries.push_back(
        {rank[tenant], big_endian_at(e.first, rest), big_endian_at(e.first, rest + 8), &e});
  }
  std::sort(entries.begin(), entries.end(), [](const sort_entry& a, const sort_entry& b) {
    if (a.tenant_rank != b.tenant_rank) return a.tenant_rank < b.tenant_rank;
    if (a.head != b.head) return a.head < b.head;
    if (a.next != b.next) return a.next < b.next;
    return a.entry->first < b.entry->first;
  });
  std::vector<const write_set::pending_map::value_type*> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(e.entry);
  return out;
}

}  // namespace fl::projections
