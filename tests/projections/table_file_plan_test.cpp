// How a rebuild's write-out is cut into table files for two threads.

#include "projections/table_file_plan.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("every entry is planned into exactly one table file, in key order",
          "[projections][ingest]") {
  auto big = empty_set(), small = empty_set(), none = empty_set();
  for (std::size_t i = 0; i < 200000; ++i) big.put(key('m', i), std::string(i % 50, 'x'));
  for (std::size_t i = 0; i < 1000; ++i) small.put(key('v', i), "v");
  const entries a = projections::in_key_order(big), b = projections::in_key_order(small),
                c = projections::in_key_order(none);
  auto files = projections::plan_table_files({a, c, b});
  std::vector<std::vector<const projections::write_set::entry*>> seen(3);
  for (const auto& f : files) {
    CHECK_FALSE(f.entries.empty());
    CHECK(f.part == (seen[f.family].empty() ? 0u : 1u));
    seen[f.family].insert(seen[f.family].end(), f.entries.begin(), f.entries.end());
  }
  CHECK(seen[0] == a);
  CHECK(seen[1].empty());  // no file for a family without entries
  CHECK(seen[2] == b);
}

TEST_CASE("a family alone, small index keys then large records, is cut where its cost halves",
          "[projections][ingest]") {
  auto writes = empty_set();
  for (std::size_t i = 0; i < 150000; ++i) writes.put(key('c', i), "");
  for (std::size_t i = 0; i < 150000; ++i) writes.put(key('m', i), std::string(300, 'r'));
  const entries all = projections::in_key_order(writes);
  auto files = projections::plan_table_files({all});
  REQUIRE(files.size() == 2);
  // Cut by entries, the second file would cost over three times the first.
  CHECK(files[0].entries.size() > files[1].entries.size() * 2);
  const double first = cost(files[0].entries), second = cost(files[1].entries);
  CHECK(first / second == Approx(1.0).epsilon(0.05));
  CHECK(files[0].thread != files[1].thread);
}

TEST_CASE("the two threads get table files of about the same cost", "[projections][ingest]") {
  std::vector<std::unique_ptr<projections::write_set>> sets;
  std::vector<entries> sorted;
  const std::size_t sizes[] = {400000, 120000, 90000, 30000, 500};
  for (std::size_t f = 0; f < std::size(sizes); ++f) {
    sets.push_back(
        std::make_unique<projections::write_set>([](std::string_view) { return std::nullopt; }));
    for (std::size_t i = 0; i < sizes[f]; ++i)
      sets.back()->put(key('a', i), std::string((i * 7 + f) % 120, 'x'));
    sorted.push_back(projections::in_key_order(*sets.back()));
  }
  std::vector<std::span<const projections::write_set::entry* const>> spans(sorted.begin(),
                                                                           sorted.end());
  double load[2] = {0, 0};
  for (const auto& f : projections::plan_table_files(spans)) load[f.thread] += cost(f.entries);
  CHECK(load[0] / load[1] == Approx(1.0).epsilon(0.05));
}
