#include "projections/table_file_plan.hpp"

#include <algorithm>

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
  std::size_t costliest = 0;
  for (std::size_t i = 0; i < families.size(); ++i) {
    costs.emplace_back(families[i]);
    total += costs.back().total();
    if (costs[i].total() > costs[costliest].total()) costliest = i;
  }
  const bool cut = !families.empty() && families[costliest].size() >= split_from &&
                   costs[costliest].total() * 4 > total;

  // The other families whole, costliest first, each to the thread with less
  // work so far.
  std::vector<planned_file> files;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < families.size(); ++i)
    if (!families[i].empty() && !(cut && i == costliest)) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return costs[a].total() > costs[b].total(); });
  double load[2] = {0, 0};
  for (auto i : order) {
    const int t = load[0] <= load[1] ? 0 : 1;
    files.push_back({i, 0, families[i], t});
    load[t] += costs[i].total();
  }
  if (!cut) return files;

  // The costliest cut where both threads then have the same work: its lower
  // keys to thread 0, the rest to thread 1.
  const auto all = families[costliest];
  const auto& c = costs[costliest];
  const double first_cost = std::clamp((c.total() + load[1] - load[0]) / 2, 0.0, c.total());
  const std::size_t middle = c.index_at(first_cost);
  std::size_t part = 0;
  if (middle > 0) files.push_back({costliest, part++, all.first(middle), 0});
  if (middle < all.size()) files.push_back({costliest, part, all.subspan(middle), 1});
  // In family order, a family's parts in key order (one ingest per family).
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.family < b.family; });
  return files;
}

}  // namespace fl::projections
