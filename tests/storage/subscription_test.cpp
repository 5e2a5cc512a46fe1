// Subscriptions: catch up from a position, then follow live appends, in
// order, each event once, until destroyed.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using testing::open_store;

namespace {

void append(storage::event_store& store, int n, int count = 1) {
  std::vector<events::event> evs;
  for (int i = 0; i < count; ++i) evs.push_back(testing::sample_inbound(n + i));
  REQUIRE(store.append(
      {"t1", "s" + std::to_string(n % 3), expected_version::any(), std::move(evs), std::nullopt}));
}

// Collects what a subscription delivers (on its own thread; no assertions
// there) and lets the test wait for it.
class collector {
 public:
  storage::subscription::batch_handler handler() {
    return [this](std::span<const events::recorded_event> batch) {
      std::lock_guard lk(mu_);
      ++batches_;
      for (const auto& rec : batch) positions_.push_back(rec.position);
      cv_.notify_all();
    };
  }
  storage::subscription::error_handler on_error() {
    return [this](const storage::store_error&) { ++errors_; };
  }
  // Waits until `n` events arrived; false after a generous timeout.
  bool wait_for(std::size_t n) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, std::chrono::seconds(30), [&] { return positions_.size() >= n; });
  }
  std::vector<std::uint64_t> positions() const {
    std::lock_guard lk(mu_);
    return positions_;
  }
  int batches() const {
    std::lock_guard lk(mu_);
    return batches_;
  }
  int errors() const { return errors_; }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::uint64_t> positions_;
  int batches_ = 0;
  std::atomic<int> errors_{0};
};

std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t p = first; p <= last; ++p) out.push_back(p);
  return out;
}

}  // namespace

TEST_CASE("a subscription catches up from a position, then delivers live appends in order",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 10; ++i) append(*store, i);

  collector got;
  auto sub = store->subscribe(3, got.handler(), got.on_error());
  REQUIRE(got.wait_for(7));
  CHECK(got.positions() == range(4, 10));

  for (int i = 11; i <= 20; ++i) append(*store, i, i % 2 ? 1 : 3);  // some multi-event appends
  const std::uint64_t last = store->last_position();
  REQUIRE(got.wait_for(last - 3));
  CHECK(got.positions() == range(4, last));
  CHECK(got.errors() == 0);
}

TEST_CASE("a subscription's position is that of the last event it delivered",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  collector got;
  auto sub = store->subscribe(2, got.handler(), got.on_error());
  CHECK(sub->position() == 2);  // nothing delivered yet
  for (int i = 1; i <= 6; ++i) append(*store, i);
  REQUIRE(got.wait_for(4));
  // The position moves once a handler has returned: once the next event has
  // been handed over, the previous one's position is recorded.
  append(*store, 7);
  REQUIRE(got.wait_for(5));
  CHECK(sub->position() >= 6);
  CHECK(sub->position() <= 7);
}

TEST_CASE("a subscription from the last position delivers only new events",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 5; ++i) append(*store, i);

  collector got;
  auto sub = store->subscribe(store->last_position(), got.handler(), got.on_error());
  append(*store, 6);
  append(*store, 7, 2);
  REQUIRE(got.wait_for(3));
  CHECK(got.positions() == range(6, 8));
}

TEST_CASE("a subscription to an empty store from 0 delivers the first events",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  collector got;
  auto sub = store->subscribe(0, got.handler(), got.on_error());
  append(*store, 1);
  append(*store, 2);
  REQUIRE(got.wait_for(2));
  CHECK(got.positions() == range(1, 2));
}

TEST_CASE("a subscription never delivers an event twice, under concurrent appends",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 50; ++i) append(*store, i);
  collector got;
  auto sub = store->subscribe(25, got.handler(), got.on_error());
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&store, t] {
      for (int i = 0; i < 50; ++i)
        (void)store->append({"t1",
                             "w" + std::to_string(t),
                             expected_version::any(),
                             {testing::sample_inbound(1000 * t + i)},
                             std::nullopt});
    });
  for (auto& w : writers) w.join();
  REQUIRE(store->last_position() == 250);
  REQUIRE(got.wait_for(225));
  CHECK(got.positions() == range(26, 250));
}

TEST_CASE("destroying a subscription stops its deliveries", "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 3; ++i) append(*store, i);
  collector got;
  auto sub = store->subscribe(0, got.handler(), got.on_error());
  REQUIRE(got.wait_for(3));
  sub.reset();  // joins the subscription's thread
  const int batches = got.batches();

  for (int i = 4; i <= 8; ++i) append(*store, i);
  // A second subscription sees the new events, so they were published...
  collector witness;
  auto other = store->subscribe(3, witness.handler());
  REQUIRE(witness.wait_for(5));
  other.reset();
  // ...but the destroyed one received none of them.
  CHECK(got.positions() == range(1, 3));
  CHECK(got.batches() == batches);
}

TEST_CASE("a subscription may outlive the store it came from", "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 1; i <= 4; ++i) append(*store, i);
  collector got;
  auto sub = store->subscribe(0, got.handler(), got.on_error());
  REQUIRE(got.wait_for(4));
  store.reset();  // closing wakes the subscription, which stops waiting
  sub.reset();
  CHECK(got.positions() == range(1, 4));
  CHECK(got.errors() == 0);
  // The directory is free again once both are gone.
  auto again = storage::event_store::open(dir / "data");
  REQUIRE(again);
  CHECK((*again)->last_position() == 4);
}

TEST_CASE("a subscription far behind catches up through replay, in order, each event once",
          "[storage][subscription]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  for (int i = 0; i < 500; ++i) append(*store, i, 10);  // 5,000 events: several read-ahead batches
  collector got;
  auto sub = store->subscribe(7, got.handler(), got.on_error());
  REQUIRE(got.wait_for(5000 - 7));
  append(*store, 9999);
  REQUIRE(got.wait_for(5000 - 7 + 1));
  CHECK(got.positions() == range(8, 5001));
  CHECK(got.errors() == 0);
}
