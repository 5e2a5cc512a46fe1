// Optimistic concurrency: an append names the version it expects its stream
// at; a mismatch is a version_conflict and writes nothing.

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

storage::append_outcome append(storage::event_store& store, std::string stream,
                               expected_version expected, int n = 0, int count = 1) {
  std::vector<events::event> evs;
  for (int i = 0; i < count; ++i) evs.push_back(testing::sample_inbound(n + i));
  return store.append({"t1", std::move(stream), expected, std::move(evs), {}});
}

// The state a refused append must leave untouched.
struct snapshot {
  std::uint64_t last_position;
  std::uint64_t stream_version;
  std::size_t stream_events;
  std::size_t log_events;
  bool operator==(const snapshot&) const = default;
};

snapshot take(const storage::event_store& store, std::string_view stream) {
  auto version = store.stream_version(stream);
  auto events = store.read_stream(stream);
  auto all = store.read_all(1, SIZE_MAX);
  REQUIRE(version);
  REQUIRE(events);
  REQUIRE(all);
  return {store.last_position(), *version, events->size(), all->size()};
}

void check_conflict(const storage::append_outcome& r) {
  REQUIRE(!r);
  CHECK(r.error().code == storage::store_errc::version_conflict);
  CHECK(!r.error().message.empty());
}

}  // namespace

TEST_CASE("no_stream appends to a stream that does not exist yet", "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  auto r = append(*store, "s", expected_version::no_stream(), 1, 2);
  REQUIRE(r);
  CHECK(r->stream_version == 2);
}

TEST_CASE("a second no_stream append to the same stream is a conflict and writes nothing",
          "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  REQUIRE(append(*store, "s", expected_version::no_stream(), 1));
  snapshot before = take(*store, "s");
  check_conflict(append(*store, "s", expected_version::no_stream(), 2));
  CHECK(take(*store, "s") == before);
  // Another stream is unaffected.
  CHECK(append(*store, "other", expected_version::no_stream(), 3));
}

TEST_CASE("exactly(n) appends when the stream is at version n", "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  REQUIRE(append(*store, "s", expected_version::exactly(0), 1, 3));
  auto r = append(*store, "s", expected_version::exactly(3), 4);
  REQUIRE(r);
  CHECK(r->stream_version == 4);
  r = append(*store, "s", expected_version::exactly(4), 5, 2);
  REQUIRE(r);
  CHECK(r->stream_version == 6);
}

TEST_CASE("an append with a stale expected version is a conflict and writes nothing",
          "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  REQUIRE(append(*store, "s", expected_version::any(), 1, 3));
  REQUIRE(append(*store, "t", expected_version::any(), 9));
  snapshot before = take(*store, "s");
  check_conflict(append(*store, "s", expected_version::exactly(2), 10, 2));
  CHECK(take(*store, "s") == before);
  check_conflict(append(*store, "s", expected_version::exactly(4), 10));  // ahead
  check_conflict(append(*store, "s", expected_version::no_stream(), 10));
  CHECK(take(*store, "s") == before);
  // The next append still gets the next position: the conflicts used none.
  auto r = append(*store, "s", expected_version::exactly(3), 20);
  REQUIRE(r);
  CHECK(r->first_position == before.last_position + 1);
}

TEST_CASE("exactly(n) on a stream that does not exist is a conflict unless n is 0",
          "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  check_conflict(append(*store, "s", expected_version::exactly(1), 1));
  CHECK(store->last_position() == 0);
  CHECK(append(*store, "s", expected_version::exactly(0), 1));
}

TEST_CASE("any() always appends, whatever the stream's version", "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 5; ++i) {
    auto r = append(*store, "s", expected_version::any(), i);
    REQUIRE(r);
    CHECK(r->stream_version == static_cast<std::uint64_t>(i));
  }
}

TEST_CASE("of two appends expecting the same version, exactly one wins", "[storage][concurrency]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  REQUIRE(append(*store, "s", expected_version::any(), 1));
  // Submitted together: they may share a group commit round, and the second
  // must see the first's staged version.
  std::promise<storage::append_outcome> a, b;
  auto request = [](int n) {
    return storage::append_request{
        "t1", "s", expected_version::exactly(1), {testing::sample_inbound(n)}, {}};
  };
  store->append_async(request(2), [&a](storage::append_outcome r) { a.set_value(std::move(r)); });
  store->append_async(request(3), [&b](storage::append_outcome r) { b.set_value(std::move(r)); });
  auto ra = a.get_future().get();
  auto rb = b.get_future().get();
  CHECK(ra.has_value() != rb.has_value());
  const auto& lost = ra ? rb : ra;
  REQUIRE(!lost);
  CHECK(lost.error().code == storage::store_errc::version_conflict);
  auto v = store->stream_version("s");
  REQUIRE(v);
  CHECK(*v == 2);
  CHECK(store->last_position() == 2);
}
