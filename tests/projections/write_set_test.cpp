// A projection's pending writes: read back before they are committed.

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "projections/key_hash.hpp"
#include "projections/projection.hpp"

using namespace fl;

namespace {

projections::write_set over(std::map<std::string, std::string> stored) {
  return projections::write_set([stored = std::move(stored)](std::string_view key) {
    auto it = stored.find(std::string(key));
    return it == stored.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

}  // namespace

TEST_CASE("a write set reads back what was written, deleted or only stored, across many keys",
          "[projections][write_set]") {
  std::mt19937_64 rng(42);
  auto writes = over({{std::string("tn\0s1", 5), "stored one"}});
  std::map<std::string, std::optional<std::string>> model;  // nullopt: deleted
  // Enough keys for the table to grow many times over; values of every size,
  // rewritten shorter and longer than before.
  for (int i = 0; i < 60000; ++i) {
    std::string key = "tn";
    key.push_back('\0');
    key += std::to_string(rng() % 20000);
    if (rng() % 7 == 0) {
      writes.erase(key);
      model[key] = std::nullopt;
    } else {
      std::string value(rng() % 300, static_cast<char>('a' + rng() % 26));
      writes.put(key, value);
      model[key] = value;
    }
  }
  for (const auto& [key, value] : model) {
    INFO(key);
    CHECK(writes.get(key) == value);
    auto peeked = writes.peek(key);
    CHECK(peeked.has_value() == value.has_value());
    if (peeked && value) CHECK(std::string(*peeked) == *value);
  }
  CHECK(writes.get(std::string("tn\0s1", 5)) == "stored one");
  CHECK_FALSE(writes.get(std::string("tn\0absent", 9)));
  REQUIRE(writes.size() == model.size());
  std::map<std::string, std::optional<std::string>> listed;
  for (const auto* e : writes.entries())
    listed[std::string(e->key())] =
        e->is_delete() ? std::nullopt : std::optional<std::string>(e->value());
  CHECK(listed == model);
}

TEST_CASE("a write set keeps empty keys and values, and a value written from its own bytes",
          "[projections][write_set]") {
  auto writes = over({});
  writes.put("", "");
  writes.put("k", "");
  CHECK(writes.get("") == std::string());
  CHECK(writes.get("k") == std::string());
  writes.put("k", "a value long enough to move");
  auto own = writes.peek("k");
  REQUIRE(own);
  writes.put("k", own->substr(2));  // a view of the entry's own bytes
  CHECK(writes.get("k") == "value long enough to move");
  writes.erase("k");
  CHECK_FALSE(writes.get("k"));
  writes.put("k", "back");
  CHECK(writes.get("k") == "back");
  CHECK(writes.size() == 2);
}

TEST_CASE("a cleared write set forgets its writes and reads the stored state again",
          "[projections][write_set]") {
  auto writes = over({{"a", "stored"}});
  for (int i = 0; i < 10000; ++i) writes.put("key " + std::to_string(i), "v");
  writes.put("a", "pending");
  CHECK(writes.get("a") == "pending");
  writes.clear();
  CHECK(writes.empty());
  CHECK(writes.get("a") == "stored");
  CHECK_FALSE(writes.get("key 7"));
  writes.put("key 7", "again");
  CHECK(writes.get("key 7") == "again");
  CHECK(writes.entries().size() == 1);
}

TEST_CASE("the key hash spreads keys that differ in a few bytes evenly over a table",
          "[projections][write_set]") {
  // Keys like the projections': a tenant, a tag, then a big-endian position
  // or a phone number. Sum of squared bucket counts over what random
  // placement would give: 1.0 is ideal, a clustering hash gives far more.
  constexpr int bits = 16;
  std::vector<double> buckets(1 << bits);
  std::set<std::uint64_t> seen;
  std::size_t n = 0;
  for (int t = 0; t < 5; ++t)
    for (std::uint64_t i = 0; i < 20000; ++i, n += 2) {
      std::string by_position = "tn_" + std::to_string(1000000000000000ull + t);
      by_position.push_back('\0');
      by_position.push_back('m');
      for (int b = 7; b >= 0; --b) by_position.push_back(static_cast<char>(i >> (b * 8)));
      std::string by_phone = "tn_" + std::to_string(t);
      by_phone.push_back('\0');
      by_phone += "v+1555" + std::to_string(1000000 + i);
      for (const auto& key : {by_position, by_phone}) {
        auto h = projections::hash_key(key);
        seen.insert(h);
        buckets[static_cast<std::uint32_t>(h >> 32) >> (32 - bits)] += 1;
      }
    }
  CHECK(seen.size() == n);
  double squares = 0;
  for (double c : buckets) squares += c * c;
  const double m = static_cast<double>(buckets.size()), keys = static_cast<double>(n);
  CHECK(squares / (keys + keys * (keys - 1) / m) < 1.05);
}
