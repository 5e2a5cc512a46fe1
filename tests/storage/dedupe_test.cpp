// External-id dedupe: an id from outside (Twilio's MessageSid) is written at
// most once per tenant, however often and however concurrently it arrives.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
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

storage::append_request inbound(std::string tenant, std::optional<std::string> id, int n,
                                expected_version expected = expected_version::any()) {
  return {std::move(tenant),
          "conv:" + std::to_string(n),
          expected,
          {testing::sample_inbound(n)},
          std::move(id)};
}

storage::append_result append(storage::event_store& store, storage::append_request request) {
  auto r = store.append(std::move(request));
  if (!r) FAIL_CHECK("append failed: " << r.error().message);
  REQUIRE(r);
  return *r;
}

std::optional<std::uint64_t> find(const storage::event_store& store, std::string_view tenant,
                                  std::string_view id) {
  auto found = store.find_external_id(tenant, id);
  REQUIRE(found);
  return *found;
}

}  // namespace

TEST_CASE(
    "a second append with the same tenant and external id writes nothing and answers the "
    "first position as a duplicate",
    "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, inbound("t1", std::nullopt, 1));
  auto first = append(*store, inbound("t1", "SM-a", 2));
  CHECK(!first.duplicate);
  CHECK(first.first_position == 2);

  auto second = append(*store, inbound("t1", "SM-a", 3));
  CHECK(second.duplicate);
  CHECK(second.first_position == 2);
  CHECK(store->last_position() == 2);
  auto stream = store->read_stream("conv:3");
  REQUIRE(stream);
  CHECK(stream->empty());
}

TEST_CASE("the same external id for another tenant is not a duplicate", "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  auto a = append(*store, inbound("t1", "SM-a", 1));
  auto b = append(*store, inbound("t2", "SM-a", 2));
  CHECK(!a.duplicate);
  CHECK(!b.duplicate);
  CHECK(b.first_position == 2);
  CHECK(find(*store, "t1", "SM-a") == 1u);
  CHECK(find(*store, "t2", "SM-a") == 2u);
  // Tenant and id do not run together: ("t1", "xSM") is not ("t1x", "SM").
  CHECK(!append(*store, inbound("t1x", "SM", 3)).duplicate);
  CHECK(!append(*store, inbound("t1", "xSM", 4)).duplicate);
}

TEST_CASE("a duplicate of a multi-event append answers the first position of that append",
          "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, inbound("t1", std::nullopt, 1));
  auto first = append(*store, {"t1",
                               "c",
                               expected_version::any(),
                               {testing::sample_inbound(2), testing::sample_outbound(3)},
                               "SM-m"});
  CHECK(first.first_position == 2);
  CHECK(first.last_position == 3);
  auto again = append(*store, {"t1",
                               "c",
                               expected_version::any(),
                               {testing::sample_inbound(2), testing::sample_outbound(3)},
                               "SM-m"});
  CHECK(again.duplicate);
  CHECK(again.first_position == 2);
  CHECK(store->last_position() == 3);
}

TEST_CASE("a retried append whose expected version is now stale answers duplicate, not conflict",
          "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  auto first = append(*store, inbound("t1", "SM-r", 1, expected_version::no_stream()));
  auto retry = append(*store, inbound("t1", "SM-r", 1, expected_version::no_stream()));
  CHECK(retry.duplicate);
  CHECK(retry.first_position == first.first_position);
}

TEST_CASE("two appends with the same external id in one group commit round write exactly one",
          "[storage][dedupe]") {
  testing::temp_dir dir;
  // Hold the writer in round 1 so that both appends queue up for round 2.
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<std::uint64_t> last_round{0};
  storage::store_options options;
  options.inject_write_failure = [&](std::uint64_t round) {
    last_round = round;
    if (round == 1) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(30));  // bounded: a failed test must not hang
    }
    return false;
  };
  auto store = open_store(dir / "data", options);

  std::promise<storage::append_outcome> blocker, a, b;
  auto to = [](std::promise<storage::append_outcome>& p) {
    return [&p](storage::append_outcome r) { p.set_value(std::move(r)); };
  };
  store->append_async(inbound("t1", std::nullopt, 1), to(blocker));
  REQUIRE(entered.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  store->append_async(inbound("t1", "SM-same", 2), to(a));
  store->append_async(inbound("t1", "SM-same", 3), to(b));
  release.set_value();

  REQUIRE(blocker.get_future().get());
  auto ra = a.get_future().get();
  auto rb = b.get_future().get();
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(last_round == 2);  // they did share a round
  CHECK(!ra->duplicate);
  CHECK(rb->duplicate);
  CHECK(rb->first_position == ra->first_position);
  CHECK(store->last_position() == 2);
  auto dup_stream = store->read_stream("conv:3");
  REQUIRE(dup_stream);
  CHECK(dup_stream->empty());
  CHECK(store->verify().ok);
}

TEST_CASE("concurrent appends of one external id from many threads write it once",
          "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  constexpr int threads = 8;
  std::vector<std::future<storage::append_outcome>> results;
  for (int t = 0; t < threads; ++t)
    results.push_back(std::async(
        std::launch::async, [&store, t] { return store->append(inbound("t1", "SM-race", t)); }));
  int written = 0;
  std::uint64_t position = 0;
  for (auto& f : results) {
    auto r = f.get();
    REQUIRE(r);
    if (!r->duplicate) ++written;
    if (position == 0) position = r->first_position;
    CHECK(r->first_position == position);
  }
  CHECK(written == 1);
  CHECK(store->last_position() == 1);
}

TEST_CASE("external ids are still known after reopening", "[storage][dedupe]") {
  testing::temp_dir dir;
  {
    auto store = open_store(dir / "data");
    append(*store, inbound("t1", "SM-1", 1));
    append(*store, inbound("t1", "SM-2", 2));
  }
  auto store = open_store(dir / "data");
  CHECK(find(*store, "t1", "SM-2") == 2u);
  auto again = append(*store, inbound("t1", "SM-1", 3));
  CHECK(again.duplicate);
  CHECK(again.first_position == 1);
  CHECK(store->last_position() == 2);
}

TEST_CASE("find_external_id answers the first position of the append that carried the id",
          "[storage][dedupe]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  append(*store, {"t1",
                  "c",
                  expected_version::any(),
                  {testing::sample_inbound(1), testing::sample_inbound(2)},
                  std::nullopt});
  append(*store, {"t1",
                  "c",
                  expected_version::any(),
                  {testing::sample_inbound(3), testing::sample_inbound(4)},
                  "SM-x"});
  CHECK(find(*store, "t1", "SM-x") == 3u);
  CHECK(!find(*store, "t1", "SM-y"));
  CHECK(!find(*store, "t2", "SM-x"));
  CHECK(!find(*store, "t1", "SM-"));
}
