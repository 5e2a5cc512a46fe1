// How a rebuild's write-out is cut into table files that two threads take in turn.

#include "projections/table_file_plan.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "projections/sorted_writes.hpp"

using namespace fl;

namespace {

using entries = std::vector<const projections::write_set::entry*>;

projections::write_set empty_set() {
  return projections::write_set([](std::string_view) { return std::nullopt; });
}

std::string key(char tag, std::size_t i) {
  std::string k = "tn";
  k.push_back('\0');
  k.push_back(tag);
  auto digits = std::to_string(i);
  return k + std::string(8 - digits.size(), '0') + digits;
}

double cost(std::span<const projections::write_set::entry* const> part) {
  double sum = 0;
  for (const auto* e : part)
    sum += projections::table_key_cost + e->key().size() + e->value().size();
  return sum;
}

}  // namespace

TEST_CASE("every entry is planned into exactly one table file, each family's in key order",
          "[projections][ingest]") {
  auto big = empty_set(), small = empty_set(), none = empty_set();
  for (std::size_t i = 0; i < 200000; ++i) big.put(key('m', i), std::string(i % 50, 'x'));
  for (std::size_t i = 0; i < 1000; ++i) small.put(key('v', i), "v");
  const entries a = projections::in_key_order(big), b = projections::in_key_order(small),
                c = projections::in_key_order(none);
  auto files = projections::plan_table_files({a, c, b});
  std::vector<std::vector<const projections::planned_file*>> parts(3);
  for (const auto& f : files) {
    CHECK_FALSE(f.entries.empty());
    if (parts[f.family].size() <= f.part) parts[f.family].resize(f.part + 1);
    CHECK(parts[f.family][f.part] == nullptr);
    parts[f.family][f.part] = &f;
  }
  std::vector<std::vector<const projections::write_set::entry*>> seen(3);
  for (std::size_t family = 0; family < 3; ++family)
    for (const auto* part : parts[family]) {
      REQUIRE(part != nullptr);  // parts numbered 0, 1, ... without a gap
      seen[family].insert(seen[family].end(), part->entries.begin(), part->entries.end());
    }
  CHECK(seen[0] == a);
  CHECK(seen[1].empty());  // no file for a family without entries
  CHECK(seen[2] == b);
}

TEST_CASE("a large family is cut into pieces of about equal cost, not of equal entries",
          "[projections][ingest]") {
  auto writes = empty_set();
  for (std::size_t i = 0; i < 150000; ++i) writes.put(key('c', i), "");
  for (std::size_t i = 0; i < 150000; ++i) writes.put(key('m', i), std::string(300, 'r'));
  const entries all = projections::in_key_order(writes);
  auto files = projections::plan_table_files({all});
  REQUIRE(files.size() == projections::table_file_pieces);
  const double piece = cost(all) / projections::table_file_pieces;
  std::size_t fewest = all.size(), most = 0;
  for (const auto& f : files) {
    CHECK(cost(f.entries) / piece == Approx(1.0).epsilon(0.05));
    fewest = std::min(fewest, f.entries.size());
    most = std::max(most, f.entries.size());
  }
  // Cut by entries, the pieces of records would cost over three times those
  // of index keys.
  CHECK(most > fewest * 2);
}

TEST_CASE("table files come costliest first and small families stay whole",
          "[projections][ingest]") {
  std::vector<std::unique_ptr<projections::write_set>> sets;
  std::vector<entries> sorted;
  const std::size_t sizes[] = {30000, 400000, 500, 120000, 90000};
  for (std::size_t f = 0; f < std::size(sizes); ++f) {
    sets.push_back(
        std::make_unique<projections::write_set>([](std::string_view) { return std::nullopt; }));
    for (std::size_t i = 0; i < sizes[f]; ++i)
      sets.back()->put(key('a', i), std::string((i * 7 + f) % 120, 'x'));
    sorted.push_back(projections::in_key_order(*sets.back()));
  }
  std::vector<std::span<const projections::write_set::entry* const>> spans(sorted.begin(),
                                                                           sorted.end());
  double total = 0;
  for (const auto& s : spans) total += cost(s);
  const auto files = projections::plan_table_files(spans);
  std::size_t files_of[std::size(sizes)] = {};
  for (std::size_t i = 0; i < files.size(); ++i) {
    ++files_of[files[i].family];
    if (i > 0) CHECK(cost(files[i].entries) <= cost(files[i - 1].entries) * 1.05);
    CHECK(cost(files[i].entries) <= 1.5 * total / projections::table_file_pieces);
  }
  CHECK(files_of[0] == 1);  // 30K entries: whole, however costly
  CHECK(files_of[1] > 1);
  CHECK(files_of[2] == 1);
}

TEST_CASE("two writers taking the planned files in turn finish within a piece of each other",
          "[projections][ingest]") {
  auto messages = empty_set(), conversations = empty_set(), stats = empty_set();
  for (std::size_t i = 0; i < 300000; ++i) messages.put(key('m', i), std::string(i % 400, 'm'));
  for (std::size_t i = 0; i < 70000; ++i) conversations.put(key('c', i), std::string(90, 'c'));
  for (std::size_t i = 0; i < 40000; ++i) stats.put(key('s', i), "12345678");
  const entries m = projections::in_key_order(messages),
                c = projections::in_key_order(conversations), s = projections::in_key_order(stats);
  const double total = cost(m) + cost(c) + cost(s);
  double busy[2] = {0, 0};
  for (const auto& f : projections::plan_table_files({m, c, s}))
    busy[busy[0] <= busy[1] ? 0 : 1] += cost(f.entries);  // the one free first takes it
  CHECK(std::abs(busy[0] - busy[1]) <= 1.05 * total / projections::table_file_pieces);
}
