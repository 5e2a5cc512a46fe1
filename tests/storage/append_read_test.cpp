// Appending and reading back: positions, streams, tenants, the chain links
// and the commit timestamp.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "base/timestamp.hpp"
#include "events/record.hpp"
#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using testing::open_store;

namespace {

storage::append_result append(storage::event_store& store, std::string tenant, std::string stream,
                              std::vector<events::event> evs,
                              expected_version expected = expected_version::any()) {
  auto r = store.append({std::move(tenant), std::move(stream), expected, std::move(evs), {}});
  if (!r) FAIL_CHECK("append failed: " << r.error().message);
  REQUIRE(r);
  return *r;
}

std::vector<std::uint64_t> positions_of(const std::vector<events::recorded_event>& recs) {
  std::vector<std::uint64_t> out;
  for (const auto& r : recs) out.push_back(r.position);
  return out;
}

using positions = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("positions start at 1 and are gap-free in append order across streams", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  CHECK(store->last_position() == 0);
  for (int i = 1; i <= 12; ++i) {
    auto r = append(*store, "t1", "s" + std::to_string(i % 3), {testing::sample_inbound(i)});
    CHECK(r.first_position == static_cast<std::uint64_t>(i));
    CHECK(r.last_position == static_cast<std::uint64_t>(i));
    CHECK(store->last_position() == static_cast<std::uint64_t>(i));
  }
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 12);
  for (std::size_t i = 0; i < all->size(); ++i) {
    CHECK((*all)[i].position == i + 1);
    CHECK(testing::sid_of((*all)[i]) ==
          testing::sample_inbound(static_cast<int>(i + 1)).message_sid);
  }
}

TEST_CASE("a multi-event append answers its first and last position and the stream's version",
          "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, "t1", "a", {testing::sample_inbound(1)});
  auto r =
      append(*store, "t1", "b",
             {testing::sample_inbound(2), testing::sample_outbound(3), testing::sample_inbound(4)});
  CHECK(r.first_position == 2);
  CHECK(r.last_position == 4);
  CHECK(r.stream_version == 3);
  CHECK(!r.duplicate);
  auto b = store->read_stream("b");
  REQUIRE(b);
  REQUIRE(b->size() == 3);
  CHECK((*b)[1].type == "sms_queued");
  CHECK(std::get<events::sms_queued>((*b)[1].data) == testing::sample_outbound(3));
}

TEST_CASE("read_all starts at the given position and returns at most limit events", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 10; ++i) append(*store, "t1", "s", {testing::sample_inbound(i)});

  auto read = [&](std::uint64_t from, std::size_t limit) {
    auto r = store->read_all(from, limit);
    REQUIRE(r);
    return positions_of(*r);
  };
  CHECK(read(4, 3) == positions{4, 5, 6});
  CHECK(read(9, 100) == positions{9, 10});
  CHECK(read(10, 1) == positions{10});
  CHECK(read(11, 5).empty());
  CHECK(read(1000, 5).empty());
  CHECK(read(3, 0).empty());
  CHECK(read(0, 2) == positions{1, 2});  // 0 reads from the start
}

TEST_CASE("read_stream returns the stream's events from a version, in version order", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  // Interleaved with another stream whose name extends this one's.
  for (int i = 1; i <= 5; ++i) {
    append(*store, "t1", "conv:1", {testing::sample_inbound(i)});
    append(*store, "t1", "conv:10", {testing::sample_inbound(100 + i)});
  }
  auto all = store->read_stream("conv:1");
  REQUIRE(all);
  REQUIRE(all->size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK((*all)[i].version == i + 1);
    CHECK((*all)[i].stream == "conv:1");
    CHECK((*all)[i].position == 2 * i + 1);
    CHECK(testing::sid_of((*all)[i]) ==
          testing::sample_inbound(static_cast<int>(i + 1)).message_sid);
  }
  auto from3 = store->read_stream("conv:1", 3);
  REQUIRE(from3);
  CHECK(positions_of(*from3) == positions{5, 7, 9});
  auto limited = store->read_stream("conv:1", 2, 2);
  REQUIRE(limited);
  CHECK(positions_of(*limited) == positions{3, 5});
  auto past_end = store->read_stream("conv:1", 6);
  REQUIRE(past_end);
  CHECK(past_end->empty());
  auto unknown = store->read_stream("conv:");
  REQUIRE(unknown);
  CHECK(unknown->empty());
}

TEST_CASE("stream_version is 0 for an unknown stream and counts the stream's events", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  auto v = store->stream_version("s");
  REQUIRE(v);
  CHECK(*v == 0);
  append(*store, "t1", "s", {testing::sample_inbound(1), testing::sample_inbound(2)});
  append(*store, "t1", "s2", {testing::sample_inbound(3)});
  append(*store, "t1", "s", {testing::sample_inbound(4)});
  v = store->stream_version("s");
  REQUIRE(v);
  CHECK(*v == 3);
  v = store->stream_version("s2");
  REQUIRE(v);
  CHECK(*v == 1);
}

TEST_CASE("read_tenant returns only that tenant's events, in log order", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  // "t1" is a prefix of "t10": their events must not mix.
  for (int i = 1; i <= 9; ++i)
    append(*store, i % 3 == 0 ? "t10" : "t1", "s" + std::to_string(i % 2),
           {testing::sample_inbound(i)});

  auto t1 = store->read_tenant("t1", 1, SIZE_MAX);
  REQUIRE(t1);
  CHECK(positions_of(*t1) == positions{1, 2, 4, 5, 7, 8});
  for (const auto& rec : *t1) CHECK(rec.tenant == "t1");

  auto t10 = store->read_tenant("t10", 1, SIZE_MAX);
  REQUIRE(t10);
  CHECK(positions_of(*t10) == positions{3, 6, 9});

  auto from = store->read_tenant("t1", 5, 3);
  REQUIRE(from);
  CHECK(positions_of(*from) == positions{5, 7, 8});

  auto none = store->read_tenant("t", 1, SIZE_MAX);
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("each event's prev_hash is the previous event's hash, zeros for the first", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, "t1", "a", {testing::sample_inbound(1), testing::sample_inbound(2)});
  append(*store, "t2", "b", {testing::sample_outbound(3)});
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].prev_hash == sha256_digest{});
  for (std::size_t i = 1; i < all->size(); ++i) {
    CHECK((*all)[i].prev_hash == (*all)[i - 1].hash);
    CHECK((*all)[i].hash != sha256_digest{});
  }
}

TEST_CASE("recorded_at is the store clock's time at commit", "[storage]") {
  testing::temp_dir dir;
  auto now = std::make_shared<std::atomic<std::int64_t>>(1795456800000000);
  storage::store_options options;
  options.clock = [now] { return from_micros(now->load()); };
  auto store = open_store(dir / "data", options);
  append(*store, "t1", "s", {testing::sample_inbound(1), testing::sample_inbound(2)});
  *now = 1795456800000000 + 1234567;
  append(*store, "t1", "s", {testing::sample_inbound(3)});

  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK(to_micros((*all)[0].recorded_at) == 1795456800000000);
  CHECK(to_micros((*all)[1].recorded_at) == 1795456800000000);
  CHECK(to_micros((*all)[2].recorded_at) == 1795456801234567);
}

TEST_CASE("recorded_at never goes backwards in log order, even when the clock does", "[storage]") {
  testing::temp_dir dir;
  constexpr std::int64_t t0 = 1795456800000000;
  constexpr std::int64_t hour = 3600LL * 1000000;
  auto now = std::make_shared<std::atomic<std::int64_t>>(t0);
  storage::store_options options;
  options.clock = [now] { return from_micros(now->load()); };
  {
    auto store = open_store(dir / "data", options);
    append(*store, "t1", "s", {testing::sample_inbound(1)});
    *now = t0 - hour;  // the system clock is stepped back
    append(*store, "t1", "s", {testing::sample_inbound(2)});
  }
  *now = t0 - 2 * hour;  // and further back while the store is closed
  auto store = open_store(dir / "data", options);
  append(*store, "t1", "s", {testing::sample_inbound(3)});
  *now = t0 + hour;
  append(*store, "t1", "s", {testing::sample_inbound(4)});

  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 4);
  CHECK(to_micros((*all)[0].recorded_at) == t0);
  for (std::size_t i = 1; i < all->size(); ++i)
    CHECK(to_micros((*all)[i].recorded_at) >= to_micros((*all)[i - 1].recorded_at));
  CHECK(to_micros((*all)[3].recorded_at) == t0 + hour);  // and it follows the clock forward
  CHECK(store->verify().ok);
}

TEST_CASE("for_each_stored walks the stored records from a position until told to stop",
          "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 5; ++i) append(*store, "t1", "s", {testing::sample_inbound(i)});

  positions seen;
  auto walked = store->for_each_stored(2, [&](std::uint64_t position, std::string_view stored) {
    auto rec = events::decode_record(stored);
    REQUIRE(rec);
    CHECK(rec->position == position);
    seen.push_back(position);
    return position < 4;
  });
  CHECK(walked.has_value());
  CHECK(seen == positions{2, 3, 4});
}

TEST_CASE(
    "wait_for_position answers at once for an acknowledged position and times out for a "
    "future one",
    "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, "t1", "s", {testing::sample_inbound(1), testing::sample_inbound(2)});
  CHECK(store->wait_for_position(2, std::chrono::milliseconds(0)));
  CHECK(store->wait_for_position(1, std::chrono::milliseconds(0)));
  CHECK(!store->wait_for_position(3, std::chrono::milliseconds(20)));
}

TEST_CASE("wait_for_position wakes up when another thread's append is acknowledged", "[storage]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  std::promise<storage::append_outcome> done;
  store->append_async({"t1", "s", expected_version::any(), {testing::sample_inbound(1)}, {}},
                      [&done](storage::append_outcome r) { done.set_value(std::move(r)); });
  CHECK(store->wait_for_position(1, std::chrono::seconds(30)));
  CHECK(store->last_position() >= 1);
  CHECK(done.get_future().get().has_value());
}
