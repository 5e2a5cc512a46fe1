// Closing and reopening the store keeps the log, the indexes and the chain.

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using testing::open_store;

namespace {

void append(storage::event_store& store, std::string tenant, std::string stream,
            std::vector<events::event> evs) {
  auto r = store.append({std::move(tenant), std::move(stream), expected_version::any(),
                         std::move(evs), std::nullopt});
  if (!r) FAIL_CHECK("append failed: " << r.error().message);
  REQUIRE(r);
}

// Fills a store with a mix of tenants, streams and event types.
void fill(storage::event_store& store) {
  append(store, "t1", "conv:t1:a", {testing::sample_inbound(1), testing::sample_outbound(2)});
  append(store, "t2", "conv:t2:b", {testing::sample_inbound(3)});
  append(store, "t1", "conv:t1:a",
         {events::sms_sent{"msg_2", "SM2"},
          events::sms_status_changed{"SM2", "delivered", std::nullopt}});
  append(store, "t1", "outbox:t1", {events::sms_failed{"msg_9", 21610, "unsubscribed", true}});
}

}  // namespace

TEST_CASE("reopening the store keeps every event exactly as it was", "[storage][reopen]") {
  testing::temp_dir dir;
  std::vector<events::recorded_event> before;
  {
    auto store = open_store(dir / "data");
    fill(*store);
    auto all = store->read_all(1, SIZE_MAX);
    REQUIRE(all);
    before = std::move(*all);
  }
  REQUIRE(before.size() == 6);
  auto store = open_store(dir / "data");
  auto after = store->read_all(1, SIZE_MAX);
  REQUIRE(after);
  REQUIRE(after->size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    const auto& a = (*after)[i];
    const auto& b = before[i];
    CHECK(a.position == b.position);
    CHECK(a.stream == b.stream);
    CHECK(a.version == b.version);
    CHECK(a.type == b.type);
    CHECK(a.tenant == b.tenant);
    CHECK(a.recorded_at == b.recorded_at);
    CHECK(a.data == b.data);
    CHECK(a.prev_hash == b.prev_hash);
    CHECK(a.hash == b.hash);
  }
}

TEST_CASE("reopening the store keeps last_position, stream versions and the tenant index",
          "[storage][reopen]") {
  testing::temp_dir dir;
  { fill(*open_store(dir / "data")); }
  auto store = open_store(dir / "data");
  CHECK(store->last_position() == 6);
  auto v = store->stream_version("conv:t1:a");
  REQUIRE(v);
  CHECK(*v == 4);
  v = store->stream_version("outbox:t1");
  REQUIRE(v);
  CHECK(*v == 1);
  auto t2 = store->read_tenant("t2", 1, SIZE_MAX);
  REQUIRE(t2);
  REQUIRE(t2->size() == 1);
  CHECK(t2->front().position == 3);
  // The versions are enforced after reopening, not just reported.
  auto stale = store->append(
      {"t1", "conv:t1:a", expected_version::exactly(3), {testing::sample_inbound(9)}, {}});
  REQUIRE(!stale);
  CHECK(stale.error().code == storage::store_errc::version_conflict);
  auto fresh = store->append(
      {"t1", "conv:t1:a", expected_version::exactly(4), {testing::sample_inbound(9)}, {}});
  REQUIRE(fresh);
  CHECK(fresh->first_position == 7);
  CHECK(fresh->stream_version == 5);
}

TEST_CASE("an append after reopening links to the hash of the last event before it",
          "[storage][reopen]") {
  testing::temp_dir dir;
  sha256_digest last_hash{};
  {
    auto store = open_store(dir / "data");
    fill(*store);
    auto tail = store->read_all(6, 1);
    REQUIRE(tail);
    REQUIRE(tail->size() == 1);
    last_hash = tail->front().hash;
  }
  for (int round = 1; round <= 3; ++round) {
    auto store = open_store(dir / "data");
    append(*store, "t3", "s", {testing::sample_inbound(100 + round)});
    const std::uint64_t position = 6 + static_cast<std::uint64_t>(round);
    CHECK(store->last_position() == position);
    auto tail = store->read_all(position, 1);
    REQUIRE(tail);
    REQUIRE(tail->size() == 1);
    CHECK(tail->front().prev_hash == last_hash);
    last_hash = tail->front().hash;
    auto report = store->verify();
    CHECK(report.ok);
    CHECK(report.events_checked == position);
  }
}

TEST_CASE("an empty store reopens empty and starts at position 1", "[storage][reopen]") {
  testing::temp_dir dir;
  { open_store(dir / "data"); }
  auto store = open_store(dir / "data");
  CHECK(store->last_position() == 0);
  auto report = store->verify();
  CHECK(report.ok);
  CHECK(report.events_checked == 0);
  append(*store, "t1", "s", {testing::sample_inbound(1)});
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 1);
  CHECK(all->front().position == 1);
  CHECK(all->front().prev_hash == sha256_digest{});
}

TEST_CASE("closing the store commits the appends still queued", "[storage][reopen]") {
  testing::temp_dir dir;
  constexpr int n = 100;
  std::vector<std::promise<storage::append_outcome>> done(n);
  {
    auto store = open_store(dir / "data");
    for (int i = 0; i < n; ++i)
      store->append_async(
          {"t1", "s", expected_version::any(), {testing::sample_inbound(i)}, std::nullopt},
          [&done, i](storage::append_outcome r) { done[i].set_value(std::move(r)); });
  }  // closed at once, with appends in the queue
  std::uint64_t acknowledged = 0;
  for (auto& d : done) {
    auto r = d.get_future().get();
    if (r) ++acknowledged;
  }
  CHECK(acknowledged == n);
  auto store = open_store(dir / "data");
  CHECK(store->last_position() == acknowledged);
  CHECK(store->verify().ok);
}

TEST_CASE("a read-only open beside the writer reads what was committed before it opened",
          "[storage][reopen]") {
  testing::temp_dir dir;
  auto writer = open_store(dir / "data");
  fill(*writer);
  storage::store_options ro;
  ro.read_only = true;
  auto reader = open_store(dir / "data", ro);
  CHECK(reader->last_position() == 6);
  auto all = reader->read_all(1, SIZE_MAX);
  REQUIRE(all);
  CHECK(all->size() == 6);
  CHECK(reader->verify().ok);
}
