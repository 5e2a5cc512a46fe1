// Projections survive a SIGKILL between an event's commit and theirs: a
// child appends and projects live; the test kills it at random moments and
// checks, on the data it left, that the projections equal a rebuild up to
// their checkpoint (nothing applied twice, nothing skipped), then that they
// catch up with the log.

#include <catch2/catch.hpp>

#include <random>
#include <thread>

#include "projections/projector.hpp"
#include "projections/rebuild.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;

TEST_CASE("projections killed mid-write neither lose nor double an event", "[projections][crash]") {
  testing::temp_dir dir;
  auto data = dir / "data";
  std::random_device rd;
  auto seed = rd();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  int rounds_behind = 0;
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    {
      testing::child_process child({FL_PROJECTION_CRASH_CHILD, data.string(),
                                    std::to_string(seed + static_cast<unsigned>(round))});
      REQUIRE(child.wait_for_output("ready", std::chrono::seconds(20)));
      child.wait_for_output("applied", std::chrono::seconds(10));
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 400)(rng)));
      child.signal(SIGKILL);
      child.wait_exit(std::chrono::seconds(10));
    }
    auto store = testing::open_store(data);
    auto db = projections::projection_db::open(projections::projections_dir(data),
                                               projections::projection_set::names());
    REQUIRE(db);
    auto check = projections::check_against_rebuild(*store, **db, std::nullopt, dir / "scratch");
    REQUIRE(check);
    INFO((check->mismatches.empty() ? "" : check->mismatches.front()));
    CHECK(check->ok);
    CHECK(check->position <= store->last_position());
    if (check->position < store->last_position()) ++rounds_behind;

    // Then they catch up with what the log holds.
    projections::projection_set set;
    projections::projector p(**db, set.all());
    REQUIRE(p.catch_up(*store));
    CHECK(p.position() == store->last_position());
    auto after = projections::check_against_rebuild(*store, **db, std::nullopt, dir / "scratch");
    REQUIRE(after);
    CHECK(after->ok);
  }
  // Informational: how often the kill left the projections behind the log.
  WARN("projections were behind the log after " << rounds_behind << " of 6 kills");
}
