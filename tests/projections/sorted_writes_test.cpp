// Table files and sorted batches need a write set's keys in byte order.

#include "projections/sorted_writes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace fl;

TEST_CASE("a write set's keys come out in byte order, whatever their tenants and lengths",
          "[projections][sorted]") {
  std::mt19937_64 rng(7);
  const std::vector<std::string> tenants{"tn_a", "tn_ab", "tn_b", "", "tn_\xff", "tn_a\x01"};
  for (int round = 0; round < 20; ++round) {
    projections::write_set writes([](std::string_view) { return std::nullopt; });
    std::vector<std::string> keys;
    for (int i = 0; i < 500; ++i) {
      std::string key = tenants[rng() % tenants.size()];
      if (rng() % 10 != 0) key.push_back('\0');  // now and then a key with no tenant part
      auto length = rng() % 30;
      for (std::size_t k = 0; k < length; ++k)
        key.push_back(static_cast<char>(rng() % 4 == 0 ? 0 : rng() % 256));
      keys.push_back(key);
      if (rng() % 5 == 0)
        writes.erase(key);
      else
        writes.put(key, "v");
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<std::string> got;
    for (const auto* e : projections::in_key_order(writes)) got.emplace_back(e->key);
    CHECK(got == keys);
  }
}
