#include "projections/rebuild.hpp"

#include <algorithm>

#include "projections/projector.hpp"
#include "storage/keys.hpp"

namespace fl::projections {

namespace {

// Removes the scratch directory however the check ends.
struct scratch_guard {
  std::filesystem::path dir;
  ~scratch_guard() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

expected<void, std::string> apply_log(projector& p, const storage::event_store& store,
                                      std::uint64_t up_to, std::optional<std::string_view> tenant) {
  if (!tenant) return p.catch_up(store, up_to);
  std::uint64_t from = 1;
  while (from <= up_to) {
    auto chunk = store.read_tenant(*tenant, from, 4096);
    if (!chunk) return unexpected{"cannot read the log: " + chunk.error().message};
    auto end = std::find_if(chunk->begin(), chunk->end(),
                            [&](const events::recorded_event& e) { return e.position > up_to; });
    std::span<const events::recorded_event> batch(chunk->data(),
                                                  static_cast<std::size_t>(end - chunk->begin()));
    if (batch.empty()) break;
    if (auto r = p.apply(batch); !r) return r;
    if (end != chunk->end() || chunk->size() < 4096) break;
    from = chunk->back().position + 1;
  }
  return {};
}

}  // namespace

expected<std::uint64_t, std::string> rebuild_all(const storage::event_store& store,
                                                 const std::filesystem::path& dir) {
  auto db = projection_db::open(dir, projection_set::names());
  if (!db) return unexpected{db.error()};
  projection_set set;
  projector p(**db, set.all());
  if (auto r = p.reset_all(); !r) return unexpected{r.error()};
  if (auto r = p.catch_up(store); !r) return unexpected{r.error()};
  return p.position();
}

expected<projection_check, std::string> check_against_rebuild(
    const storage::event_store& store, const projection_db& live,
    std::optional<std::string_view> tenant, const std::filesystem::path& scratch_dir) {
  auto names = projection_set::names();
  auto live_view = live.snapshot();
  projection_check out;
  std::vector<std::uint64_t> checkpoints;
  for (const auto& n : names) checkpoints.push_back(live_view.checkpoint(live.family(n)));
  out.position = *std::min_element(checkpoints.begin(), checkpoints.end());
  for (std::size_t i = 0; i < names.size(); ++i)
    if (checkpoints[i] != out.position) {
      out.ok = false;
      out.mismatches.push_back(names[i] + ": still catching up (at " +
                               std::to_string(checkpoints[i]) + ", others at " +
                               std::to_string(out.position) + ")");
    }
  if (!out.ok) return out;

  scratch_guard guard{scratch_dir};
  std::error_code ec;
  std::filesystem::remove_all(scratch_dir, ec);
  auto scratch = projection_db::open(scratch_dir, names);
  if (!scratch) return unexpected{scratch.error()};
  {
    projection_set set;
    projector p(**scratch, set.all());
    if (auto r = p.reset_all(); !r) return unexpected{r.error()};
    if (auto r = apply_log(p, store, out.position, tenant); !r) return unexpected{r.error()};
  }
  auto rebuilt_view = (*scratch)->snapshot();
  std::string prefix = tenant ? storage::keys::prefix(*tenant) : std::string();
  for (const auto& n : names) {
    auto a = live.digest_of(live_view, live.family(n), prefix);
    auto b = (*scratch)->digest_of(rebuilt_view, (*scratch)->family(n), prefix);
    if (a == b) continue;
    out.ok = false;
    out.mismatches.push_back(n + ": " + std::to_string(a.keys) + " keys live, " +
                             std::to_string(b.keys) + " rebuilt" +
                             (a.keys == b.keys ? ", contents differ" : ""));
  }
  return out;
}

}  // namespace fl::projections
