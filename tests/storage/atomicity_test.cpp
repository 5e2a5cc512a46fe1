// Atomicity: an append lands completely or not at all, and a failed write
// leaves the store holding exactly what it acknowledged.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using storage::store_errc;
using testing::open_store;

namespace {

// Drives the writer through the inject_write_failure hook, which it calls on
// its thread before each round's write: holds it inside `hold_round` until
// released, so that appends queued meanwhile share the next round, and fails
// the write of `fail_round`. Must outlive the store.
struct writer_gate {
  std::uint64_t hold_round = 0;  // 0: never hold
  std::uint64_t fail_round = 0;  // 0: never fail
  std::promise<void> entered_promise;
  std::promise<void> release_promise;
  std::shared_future<void> released = release_promise.get_future().share();
  bool released_once = false;

  storage::store_options options() {
    storage::store_options o;
    o.inject_write_failure = [this](std::uint64_t round) {
      if (round == hold_round) {
        entered_promise.set_value();
        // Bounded only so that a failed test cannot hang the store's close.
        released.wait_for(std::chrono::seconds(30));
      }
      return round == fail_round;
    };
    return o;
  }
  void wait_until_held() {
    REQUIRE(entered_promise.get_future().wait_for(std::chrono::seconds(30)) ==
            std::future_status::ready);
  }
  void release() {
    if (!released_once) release_promise.set_value();
    released_once = true;
  }
};

// An append submitted with append_async whose outcome can be awaited.
struct pending {
  std::promise<storage::append_outcome> promise;
  std::future<storage::append_outcome> future = promise.get_future();
  void submit(storage::event_store& store, storage::append_request request) {
    store.append_async(std::move(request),
                       [this](storage::append_outcome r) { promise.set_value(std::move(r)); });
  }
  storage::append_outcome get() { return future.get(); }
};

}  // namespace

TEST_CASE("a multi-event append lands completely with consecutive positions and versions",
          "[storage][atomicity]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  constexpr int threads = 4, requests = 25, per_request = 5;
  std::atomic<int> failures{0};  // Catch2 assertions are not thread-safe
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&store, &failures, t] {
      for (int r = 0; r < requests; ++r) {
        std::vector<events::event> evs;
        for (int k = 0; k < per_request; ++k)
          evs.push_back(testing::inbound_with_sid(std::to_string(t) + "/" + std::to_string(r) +
                                                  "/" + std::to_string(k)));
        auto res = store->append({"t1", "shared", expected_version::any(), std::move(evs), {}});
        if (!res || res->last_position - res->first_position != per_request - 1) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  CHECK(failures == 0);

  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == threads * requests * per_request);
  // Every request's events sit together, in order, in the log and the stream.
  for (std::size_t i = 0; i < all->size(); i += per_request) {
    std::string request = testing::sid_of((*all)[i]);
    request.resize(request.rfind('/') + 1);
    for (int k = 0; k < per_request; ++k) {
      const auto& rec = (*all)[i + static_cast<std::size_t>(k)];
      CHECK(testing::sid_of(rec) == request + std::to_string(k));
      CHECK(rec.version == (*all)[i].version + static_cast<std::uint64_t>(k));
    }
  }
}

TEST_CASE(
    "when a round's write fails, every append of that round fails with io_error and none "
    "of it is readable",
    "[storage][atomicity]") {
  testing::temp_dir dir;
  writer_gate gate;
  gate.hold_round = 1;
  gate.fail_round = 2;
  auto store = open_store(dir / "data", gate.options());

  pending first;
  first.submit(*store,
               {"t1", "a", expected_version::any(), {testing::inbound_with_sid("first")}, {}});
  gate.wait_until_held();
  // Queued while round 1 is held: they make round 2, whose write fails.
  std::vector<std::pair<std::string, storage::append_request>> round2;
  round2.push_back({"multi-event",
                    {"t1",
                     "b",
                     expected_version::no_stream(),
                     {testing::inbound_with_sid("b1"), testing::inbound_with_sid("b2"),
                      testing::inbound_with_sid("b3")},
                     {}}});
  round2.push_back(
      {"on top of the staged one",
       {"t1", "b", expected_version::exactly(3), {testing::inbound_with_sid("b4")}, {}}});
  round2.push_back(
      {"conflicting only with staged",
       {"t1", "b", expected_version::no_stream(), {testing::inbound_with_sid("x")}, {}}});
  round2.push_back({"with an external id",
                    {"t2",
                     "c",
                     expected_version::any(),
                     {testing::inbound_with_sid("c1")},
                     std::string("SM-ext")}});
  round2.push_back({"repeating a staged external id",
                    {"t2",
                     "d",
                     expected_version::any(),
                     {testing::inbound_with_sid("d1")},
                     std::string("SM-ext")}});
  std::vector<pending> outcomes(round2.size());
  for (std::size_t i = 0; i < round2.size(); ++i) outcomes[i].submit(*store, round2[i].second);
  gate.release();

  auto ok = first.get();
  REQUIRE(ok);
  for (std::size_t i = 0; i < round2.size(); ++i) {
    INFO("the append " << round2[i].first);
    auto r = outcomes[i].get();
    REQUIRE(!r);
    CHECK(r.error().code == store_errc::io_error);
  }

  CHECK(store->last_position() == 1);
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == 1);
  CHECK(testing::sid_of((*all)[0]) == "first");
  auto b = store->read_stream("b");
  REQUIRE(b);
  CHECK(b->empty());
  auto id = store->find_external_id("t2", "SM-ext");
  REQUIRE(id);
  CHECK(!id->has_value());
  auto tenant = store->read_tenant("t2", 1, SIZE_MAX);
  REQUIRE(tenant);
  CHECK(tenant->empty());
}

TEST_CASE("after a failed write the store refuses every later append with io_error",
          "[storage][atomicity]") {
  testing::temp_dir dir;
  writer_gate gate;
  gate.fail_round = 2;
  auto store = open_store(dir / "data", gate.options());
  REQUIRE(
      store->append({"t1", "a", expected_version::any(), {testing::inbound_with_sid("1")}, {}}));
  auto failed =
      store->append({"t1", "a", expected_version::any(), {testing::inbound_with_sid("2")}, {}});
  REQUIRE(!failed);
  CHECK(failed.error().code == store_errc::io_error);
  for (int i = 0; i < 3; ++i) {
    auto later = store->append(
        {"t1", "other", expected_version::any(), {testing::inbound_with_sid("3")}, {}});
    REQUIRE(!later);
    CHECK(later.error().code == store_errc::io_error);
  }
  CHECK(store->last_position() == 1);
  // Reads still work.
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  CHECK(all->size() == 1);
}

TEST_CASE("after a failed write, reopening holds exactly what was acknowledged and verifies",
          "[storage][atomicity]") {
  testing::temp_dir dir;
  std::vector<events::recorded_event> acknowledged;
  {
    writer_gate gate;
    gate.fail_round = 6;
    auto store = open_store(dir / "data", gate.options());
    for (int i = 1; i <= 5; ++i)
      REQUIRE(store->append({"t1",
                             "s" + std::to_string(i % 2),
                             expected_version::any(),
                             {testing::inbound_with_sid(std::to_string(i)),
                              testing::inbound_with_sid(std::to_string(i) + "b")},
                             {}}));
    CHECK(!store->append(
        {"t1", "s0", expected_version::any(), {testing::inbound_with_sid("lost")}, {}}));
    CHECK(!store->append(
        {"t1", "s1", expected_version::any(), {testing::inbound_with_sid("refused")}, {}}));
    auto all = store->read_all(1, SIZE_MAX);
    REQUIRE(all);
    acknowledged = std::move(*all);
  }
  REQUIRE(acknowledged.size() == 10);

  auto store = open_store(dir / "data");
  CHECK(store->last_position() == 10);
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  REQUIRE(all->size() == acknowledged.size());
  for (std::size_t i = 0; i < all->size(); ++i) {
    CHECK((*all)[i].hash == acknowledged[i].hash);
    CHECK((*all)[i].data == acknowledged[i].data);
  }
  auto report = store->verify();
  CHECK(report.ok);
  CHECK(report.events_checked == 10);
  CHECK(report.problem.empty());

  auto next = store->append(
      {"t1", "s0", expected_version::exactly(4), {testing::inbound_with_sid("after")}, {}});
  REQUIRE(next);
  CHECK(next->first_position == 11);
  auto tail = store->read_all(11, 1);
  REQUIRE(tail);
  REQUIRE(tail->size() == 1);
  CHECK(tail->front().prev_hash == acknowledged.back().hash);
  CHECK(store->verify().ok);
}
