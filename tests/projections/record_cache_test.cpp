// Records kept decoded within a batch: found again by their id, written once.

#include "projections/record_cache.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace fl;

namespace {

std::string id_of(std::uint64_t n) {
  return std::string("tenant-1\0v+1555", 15) + std::to_string(n);
}

}  // namespace

TEST_CASE("a record cache finds every record kept, and only those, across many ids",
          "[projections][record_cache]") {
  std::mt19937_64 rng(7);
  projections::record_cache<std::string, int> cache;
  std::map<std::string, int> model;
  for (int i = 0; i < 50000; ++i) {
    auto id = id_of(rng() % 20000);
    if (rng() % 3 == 0) {
      auto* found = cache.find(std::string_view(id));
      auto it = model.find(id);
      REQUIRE((found != nullptr) == (it != model.end()));
      if (found) CHECK(found->record == it->second);
    } else {
      cache.keep(id, "key:" + id, i, i % 2 == 0);
      model[id] = i;
    }
  }
  CHECK(cache.size() == model.size());
  for (const auto& [id, value] : model) {
    auto* found = cache.find(id);
    REQUIRE(found != nullptr);
    CHECK(found->record == value);
    CHECK(found->key == "key:" + id);
  }
}

TEST_CASE("a kept record stays where it is while many more are kept",
          "[projections][record_cache]") {
  projections::record_cache<std::uint64_t, std::string> cache;
  auto& first = cache.keep(1, "k1", "first", true);
  for (std::uint64_t p = 2; p < 100000; ++p) cache.keep(p, "k", "other", false);
  CHECK(&first == cache.find(std::uint64_t{1}));
  CHECK(first.record == "first");
  CHECK(cache.find(std::uint64_t{100000}) == nullptr);
}

TEST_CASE("a record cache flushes its changed records once, in id order when asked",
          "[projections][record_cache]") {
  projections::record_cache<std::uint64_t, std::string> cache;
  for (std::uint64_t p : {50, 10, 40, 20, 30}) cache.keep(p, "k" + std::to_string(p), "r", p != 40);
  cache.keep(20, "k20", "changed", true);  // kept again: replaced, not added
  CHECK(cache.size() == 5);
  std::vector<std::string> written;
  cache.flush_in_order([&](const auto& s) { written.push_back(s.key + "=" + s.record); });
  CHECK(written == std::vector<std::string>{"k10=r", "k20=changed", "k30=r", "k50=r"});
  written.clear();
  cache.flush([&](const auto& s) { written.push_back(s.key); });
  CHECK(written.empty());  // nothing changed since
  cache.find(std::uint64_t{40})->dirty = true;
  cache.flush([&](const auto& s) { written.push_back(s.key); });
  CHECK(written == std::vector<std::string>{"k40"});
}

TEST_CASE("a cleared record cache holds nothing and keeps records again",
          "[projections][record_cache]") {
  projections::record_cache<std::string, int> cache;
  for (int round = 0; round < 3; ++round) {
    // Enough ids in one round to drop the index when cleared.
    const int count = round == 1 ? 70000 : 100;
    for (int i = 0; i < count; ++i) cache.keep(id_of(i), "k", i + round, true);
    CHECK(cache.size() == static_cast<std::size_t>(count));
    CHECK(cache.find(id_of(count - 1))->record == count - 1 + round);
    cache.clear();
    CHECK(cache.size() == 0);
    CHECK(cache.find(id_of(0)) == nullptr);
    CHECK(cache.find(id_of(count - 1)) == nullptr);
  }
}
