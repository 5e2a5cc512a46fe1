// Table files and sorted batches need a write set's keys in byte order.

#include "projections/sorted_writes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace fl;

namespace {

// The keys sorted and each once: what a write set's keys in order must be.
std::vector<std::string> distinct_in_order(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> keys_in_key_order(const projections::write_set& writes) {
  std::vector<std::string> got;
  for (const auto* e : projections::in_key_order(writes)) got.emplace_back(e->key());
  return got;
}

}  // namespace

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
    CHECK(keys_in_key_order(writes) == distinct_in_order(keys));
  }
}

TEST_CASE(
    "keys written in order, in reverse or mixed within a tenant and tag come out in byte order",
    "[projections][sorted]") {
  projections::write_set writes([](std::string_view) { return std::nullopt; });
  std::vector<std::string> keys;
  auto be64 = [](std::uint64_t n) {
    std::string out(8, '\0');
    for (int i = 7; i >= 0; --i, n >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(n);
    return out;
  };
  std::mt19937_64 rng(11);
  for (std::uint64_t position = 1; position <= 3000; ++position) {
    for (const std::string tenant : {"tn_b", "tn_a"}) {
      std::string ascending = tenant + '\0' + 'm' + be64(position);
      std::string descending = tenant + '\0' + 'a' + be64(~position);
      std::string mixed = tenant + '\0' + 's' + "SM" + std::to_string(rng());
      for (const auto& k : {ascending, descending, mixed}) {
        writes.put(k, "v");
        keys.push_back(k);
      }
    }
  }
  CHECK(keys_in_key_order(writes) == distinct_in_order(keys));
}

TEST_CASE("the deletes can be left out of a write set's keys in order", "[projections][sorted]") {
  projections::write_set writes([](std::string_view) { return std::nullopt; });
  writes.put(std::string("tn\0c", 4), "1");
  writes.erase(std::string("tn\0b", 4));
  writes.put(std::string("tn\0a", 4), "2");
  std::vector<std::string> with, without;
  for (const auto* e : projections::in_key_order(writes)) with.emplace_back(e->key());
  for (const auto* e : projections::in_key_order(writes, true)) without.emplace_back(e->key());
  CHECK(with == std::vector<std::string>{std::string("tn\0a", 4), std::string("tn\0b", 4),
                                         std::string("tn\0c", 4)});
  CHECK(without == std::vector<std::string>{std::string("tn\0a", 4), std::string("tn\0c", 4)});
}

TEST_CASE("keys written once without a lookup come out in order with the others",
          "[projections][sorted]") {
  projections::write_set writes([](std::string_view) { return std::nullopt; });
  writes.put(std::string("tn\0m2", 5), "record");
  writes.put_new(std::string("tn\0c1", 5), "");
  writes.put_new(std::string("tn\0h9", 5), "old");
  writes.put(std::string("tn\0a1", 5), "x");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto* e : projections::in_key_order(writes))
    got.emplace_back(e->key(), std::string(e->value()));
  CHECK(got ==
        std::vector<std::pair<std::string, std::string>>{{std::string("tn\0a1", 5), "x"},
                                                         {std::string("tn\0c1", 5), ""},
                                                         {std::string("tn\0h9", 5), "old"},
                                                         {std::string("tn\0m2", 5), "record"}});
  CHECK(writes.size() == 4);
  // Not looked up: they are written out, not read back.
  CHECK_FALSE(writes.peek(std::string("tn\0h9", 5)));
  CHECK(writes.peek(std::string("tn\0m2", 5)) == std::string_view("record"));
}

TEST_CASE("a write set holding only keys written once finds no other key, stored or not",
          "[projections][sorted]") {
  // `put_new` leaves no lookup table: a read must still go to the stored
  // state, not into a table that was never made.
  projections::write_set writes([](std::string_view key) -> std::optional<std::string> {
    if (key == "stored") return std::string("value");
    return std::nullopt;
  });
  writes.put_new(std::string("tn\0h9", 5), "old");
  CHECK(writes.peek("stored") == std::optional<std::string_view>("value"));
  CHECK_FALSE(writes.peek("missing"));
  CHECK(writes.get("stored") == std::optional<std::string>("value"));
  writes.clear();
  writes.put_new(std::string("tn\0h8", 5), "");
  CHECK_FALSE(writes.get("missing"));
}

TEST_CASE("a large write set sorted on two threads comes out as on one", "[projections][sorted]") {
  // Each thread takes half the keys: tenants first seen in different halves,
  // runs in order and in reverse, deletes, keys with no tenant part.
  std::mt19937_64 rng(11);
  const std::vector<std::string> tenants{"tn_b", "tn_a", "tn_ab", "", "tn_\xff", "tn_a\x01"};
  projections::write_set writes([](std::string_view) { return std::nullopt; });
  std::vector<std::string> keys;
  for (std::uint64_t i = 0; i < 150'000; ++i) {
    const auto& tenant = tenants[i < 75'000 ? rng() % 3 : 3 + rng() % 3];
    std::string key = tenant;
    if (rng() % 50 != 0) key.push_back('\0');
    switch (rng() % 3) {
      case 0:  // ascending, as records keyed by position
        key += 'm' + std::to_string(1'000'000 + i);
        break;
      case 1:  // descending, as superseded entries
        key += 'h' + std::to_string(9'000'000 - i);
        break;
      default:
        key += 's';
        for (int k = 0; k < 20; ++k) key.push_back(static_cast<char>(rng() % 256));
    }
    keys.push_back(key);
    if (rng() % 7 == 0)
      writes.erase(key);
    else
      writes.put(key, "v");
  }
  for (bool without_deletes : {false, true}) {
    std::vector<std::string> one, two;
    for (const auto* e : projections::in_key_order(writes, without_deletes, false))
      one.emplace_back(e->key());
    for (const auto* e : projections::in_key_order(writes, without_deletes, true))
      two.emplace_back(e->key());
    CHECK(std::is_sorted(one.begin(), one.end()));
    CHECK(one == two);
    if (!without_deletes) {
      CHECK(one == distinct_in_order(keys));
    }
  }
}

TEST_CASE("many keys of one tenant and tag come out in byte order, however alike",
          "[projections][sorted]") {
  // Shared prefixes longer than the sort's inline bytes, zero bytes, keys
  // that prefix others, runs of every size: what a byte-by-byte sort of
  // phone numbers, ids and positions meets.
  std::mt19937_64 rng(5);
  projections::write_set writes([](std::string_view) { return std::nullopt; });
  std::vector<std::string> keys;
  const std::string shared = "+1555" + std::string(25, '7');
  for (int i = 0; i < 40000; ++i) {
    std::string key = std::string("tn\0c", 4);
    key += shared.substr(0, rng() % (shared.size() + 1));
    const auto tail = rng() % 12;
    for (std::size_t k = 0; k < tail; ++k)
      key.push_back(static_cast<char>(rng() % 3 == 0 ? 0 : '0' + rng() % 10));
    keys.push_back(key);
    writes.put(key, "v");
  }
  CHECK(keys_in_key_order(writes) == distinct_in_order(keys));
}
