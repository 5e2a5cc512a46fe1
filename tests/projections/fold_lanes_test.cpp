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
