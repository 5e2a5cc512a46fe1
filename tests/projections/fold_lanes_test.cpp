// A catch-up's batches applied on several lanes at their own pace.

#include "projections/fold_lanes.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace fl;

namespace {

projections::fold_lanes::batch batch_from(std::uint64_t first, std::size_t n) {
  projections::fold_lanes::batch out(n);
  for (std::size_t i = 0; i < n; ++i) out[i].position = first + i;
  return out;
}

}  // namespace

TEST_CASE("every lane applies every batch, in order, however slow the others are",
          "[projections][lanes]") {
  std::vector<std::vector<std::uint64_t>> seen(3);
  projections::fold_lanes lanes(3, [&](std::size_t lane, const projections::fold_lanes::batch& b) {
    if (lane == 1) std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a slow lane
    for (const auto& e : b) seen[lane].push_back(e.position);
  });
  for (std::uint64_t k = 0; k < 20; ++k) lanes.push(batch_from(k * 10 + 1, 10));
  lanes.drain();
  std::vector<std::uint64_t> expected;
  for (std::uint64_t p = 1; p <= 200; ++p) expected.push_back(p);
  for (const auto& s : seen) CHECK(s == expected);
}

TEST_CASE("a lane falls at most the given number of batches behind", "[projections][lanes]") {
  std::atomic<int> applied{0};
  std::atomic<bool> release{false};
  projections::fold_lanes lanes(
      2,
      [&](std::size_t lane, const projections::fold_lanes::batch&) {
        if (lane == 0)
          while (!release) std::this_thread::yield();  // stuck until released
        if (lane == 0) ++applied;
      },
      2);
  std::atomic<int> pushed{0};
  std::thread pusher([&] {
    for (int k = 0; k < 6; ++k) {
      lanes.push(batch_from(static_cast<std::uint64_t>(k) + 1, 1));
      ++pushed;
    }
  });
  // One batch in the stuck lane's hands and two waiting: the fourth push waits.
  for (int i = 0; i < 500 && pushed < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(pushed == 3);
  release = true;
  pusher.join();
  lanes.drain();
  CHECK(applied == 6);
}

TEST_CASE("a batch every lane is done with comes back as a spare, and none before",
          "[projections][lanes]") {
  std::atomic<bool> release{false};
  projections::fold_lanes lanes(2, [&](std::size_t lane, const projections::fold_lanes::batch&) {
    if (lane == 1)
      while (!release) std::this_thread::yield();
  });
  lanes.push(batch_from(1, 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(lanes.spare().empty());  // lane 1 still has it
  release = true;
  lanes.drain();
  auto spare = lanes.spare();
  REQUIRE(spare.size() == 5);
  CHECK(spare.front().position == 1);
  CHECK(lanes.spare().empty());  // handed out once
}

TEST_CASE("a lane's last work runs after every batch it was handed, on its own thread",
          "[projections][lanes]") {
  std::vector<std::vector<std::uint64_t>> seen(2);
  std::vector<std::thread::id> applied_on(2), finished_on(2);
  std::vector<std::size_t> seen_when_finished(2);
  projections::fold_lanes lanes(2, [&](std::size_t lane, const projections::fold_lanes::batch& b) {
    if (lane == 1) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    applied_on[lane] = std::this_thread::get_id();
    for (const auto& e : b) seen[lane].push_back(e.position);
  });
  for (std::uint64_t k = 0; k < 10; ++k) lanes.push(batch_from(k * 4 + 1, 4));
  lanes.finish([&](std::size_t lane) {
    finished_on[lane] = std::this_thread::get_id();
    seen_when_finished[lane] = seen[lane].size();
  });
  for (std::size_t lane = 0; lane < 2; ++lane) {
    CHECK(seen_when_finished[lane] == 40);
    CHECK(finished_on[lane] == applied_on[lane]);
    CHECK(finished_on[lane] != std::this_thread::get_id());
  }
}

TEST_CASE("a lane done early starts its last work while another still applies",
          "[projections][lanes]") {
  std::atomic<bool> release{false};
  std::atomic<bool> fast_lane_finished{false};
  projections::fold_lanes lanes(2, [&](std::size_t lane, const projections::fold_lanes::batch&) {
    if (lane == 1)
      while (!release) std::this_thread::yield();  // the slow lane
  });
  lanes.push(batch_from(1, 3));
  std::thread finisher([&] {
    lanes.finish([&](std::size_t lane) {
      if (lane == 0) fast_lane_finished = true;
    });
  });
  for (int i = 0; i < 500 && !fast_lane_finished; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CHECK(fast_lane_finished);
  release = true;
  finisher.join();
}

TEST_CASE("lanes go on with new batches after their last work ran", "[projections][lanes]") {
  std::vector<std::vector<std::uint64_t>> seen(2);
  int finishes = 0;
  std::mutex mu;
  projections::fold_lanes lanes(2, [&](std::size_t lane, const projections::fold_lanes::batch& b) {
    for (const auto& e : b) seen[lane].push_back(e.position);
  });
  lanes.push(batch_from(1, 2));
  lanes.finish([&](std::size_t) {
    std::lock_guard lock(mu);
    ++finishes;
  });
  lanes.push(batch_from(3, 2));
  lanes.drain();
  CHECK(finishes == 2);
  for (const auto& s : seen) CHECK(s == std::vector<std::uint64_t>{1, 2, 3, 4});
}
