#include "projections/table_file_plan.hpp"

#include <algorithm>
#include <cmath>

namespace fl::projections {

namespace {

constexpr std::size_t samples_per_family = 4096;
constexpr std::size_t split_from = 64 * 1024;  // entries: smaller families stay whole

double cost_of(const write_set::entry* e) {
  return table_key_cost + static_cast<double>(e->key().size()) +
         (e->is_delete() ? 0.0 : static_cast<double>(e->value().size()));
}

// The estimated cost of entries [0, i) for each sampled i (every `stride`-th
// entry, and the end).
struct sampled_costs {
  std::size_t stride = 1;
  std::vector<std::size_t> at;  // entry index of each point
  std::vector<double> before;   // estimated cost of the entries before it

  explicit sampled_costs(std::span<const write_set::entry* const> entries) {
    stride = std::max<std::size_t>(1, entries.size() / samples_per_family);
    double sum = 0;
    for (std::size_t i = 0; i < entries.size(); i += stride) {
      at.push_back(i);
      before.push_back(sum);
      sum += cost_of(entries[i]) * static_cast<double>(std::min(stride, entries.size() - i));
    }
    at.push_back(entries.size());
    before.push_back(sum);
  }
  double total() const { return before.back(); }
  // The sampled index where the cost before it first reaches `cost`.
  std::size_t index_at(double cost) const {
    auto it = std::lower_bound(before.begin(), before.end(), cost);
    return at[static_cast<std::size_t>(it - before.begin())];
  }
};

}  // namespace

std::vector<planned_file> plan_table_files(
    const std::vector<std::span<const write_set::entry* const>>& families) {
  std::vector<sampled_costs> costs;
  double total = 0;
  for (const auto& f : families) {
    costs.emplace_back(f);
    total += costs.back().total();
  }
  const double piece = total / static_cast<double>(table_file_pieces);

  struct costed_file {
    planned_file file;
    double cost;
  };
  std::vector<costed_file> files;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const auto all = families[i];
    if (all.empty()) continue;
    const auto& c = costs[i];
    std::size_t pieces = 1;
    if (all.size() >= split_from)
      pieces = static_cast<std::size_t>(std::max(1L, std::lround(c.total() / piece)));
    std::size_t begin = 0, part = 0;
    double cost_begin = 0;
    for (std::size_t k = 1; k <= pieces && begin < all.size(); ++k) {
      const double cost_end = c.total() * static_cast<double>(k) / static_cast<double>(pieces);
      const std::size_t end = k == pieces ? all.size() : c.index_at(cost_end);
      if (end <= begin) continue;
      files.push_back({{i, part++, all.subspan(begin, end - begin)}, cost_end - cost_begin});
      begin = end;
      cost_begin = cost_end;
    }
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.cost > b.cost; });
  std::vector<planned_file> out;
  for (auto& f : files) out.push_back(f.file);
  return out;
}

}  // namespace fl::projections
