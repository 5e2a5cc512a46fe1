// Replay: the log from a position, decoded in batches with a read-ahead
// thread, the path projection rebuilds take.

#include <catch2/catch.hpp>

#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;

namespace {

std::unique_ptr<storage::event_store> store_with(const std::filesystem::path& dir, int appends) {
  auto store = storage::event_store::open(dir);
  REQUIRE(store);
  for (int i = 0; i < appends; ++i)
    REQUIRE((*store)->append({"t" + std::to_string(i % 2),
                              "s" + std::to_string(i % 7),
                              expected_version::any(),
                              {testing::sample_inbound(i), testing::sample_outbound(i)},
                              std::nullopt}));
  return std::move(*store);
}

}  // namespace

TEST_CASE("replay delivers every event from a position in order, in batches of the size asked",
          "[storage][replay]") {
  testing::temp_dir dir;
  auto store = store_with(dir / "data", 1000);  // 2,000 events
  std::vector<std::uint64_t> positions;
  std::vector<std::size_t> sizes;
  auto done = store->replay(
      5, UINT64_MAX,
      [&](std::span<const events::recorded_event> batch) {
        sizes.push_back(batch.size());
        for (const auto& e : batch) positions.push_back(e.position);
        return true;
      },
      300);
  REQUIRE(done);
  REQUIRE(positions.size() == 1996);
  for (std::size_t i = 0; i < positions.size(); ++i) CHECK(positions[i] == i + 5);
  CHECK(sizes.front() == 300);
  CHECK(sizes.back() == 1996 % 300);
}

TEST_CASE("replay gives the same events as read_all", "[storage][replay]") {
  testing::temp_dir dir;
  auto store = store_with(dir / "data", 50);
  auto all = store->read_all(1, 1000);
  REQUIRE(all);
  std::vector<events::recorded_event> replayed;
  REQUIRE(store->replay(1, UINT64_MAX, [&](std::span<const events::recorded_event> batch) {
    replayed.insert(replayed.end(), batch.begin(), batch.end());
    return true;
  }));
  REQUIRE(replayed.size() == all->size());
  for (std::size_t i = 0; i < replayed.size(); ++i) {
    CHECK(replayed[i].position == (*all)[i].position);
    CHECK(replayed[i].hash == (*all)[i].hash);
    CHECK(replayed[i].data == (*all)[i].data);
  }
}

TEST_CASE("replay stops when the handler says so and ends a range where asked",
          "[storage][replay]") {
  testing::temp_dir dir;
  auto store = store_with(dir / "data", 500);
  int calls = 0;
  REQUIRE(store->replay(
      1, UINT64_MAX, [&](std::span<const events::recorded_event>) { return ++calls < 2; }, 100));
  CHECK(calls == 2);
  std::uint64_t last = 0;
  REQUIRE(store->replay(10, 20, [&](std::span<const events::recorded_event> batch) {
    last = batch.back().position;
    return true;
  }));
  CHECK(last == 20);
  bool called = false;
  REQUIRE(store->replay(30, 20, [&](auto) { return called = true; }));
  CHECK_FALSE(called);
}

TEST_CASE("replay names a record missing from the middle of the log as corruption",
          "[storage][replay]") {
  testing::temp_dir dir;
  { store_with(dir / "data", 20); }
  { testing::raw_db(dir / "data").del(testing::raw_db::log, storage::keys::be64(11)); }
  auto store = storage::event_store::open(dir / "data");
  REQUIRE(store);
  auto done = (*store)->replay(1, UINT64_MAX, [](auto) { return true; });
  REQUIRE_FALSE(done);
  CHECK(done.error().code == storage::store_errc::corruption);
  CHECK(done.error().message.find("11") != std::string::npos);
}
