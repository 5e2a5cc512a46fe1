// The projector: follows the log, answers read-your-writes waits, and
// rebuilds a projection whose code changed.

#include "projections/projector.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>

#include "storage/keys.hpp"
#include "tests/projections/log_builder.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;
using namespace std::chrono_literals;

namespace {

// Counts the events it saw, in its own state: applying one twice shows.
class counting_projection final : public projections::projection {
 public:
  explicit counting_projection(int version) : version_(version) {}
  std::string_view name() const override { return "counter"; }
  int version() const override { return version_; }
  void apply(const events::recorded_event&, projections::write_set& out) override {
    auto now = out.get("count");
    out.put("count", storage::keys::be64((now ? storage::keys::read_be64(*now) : 0) + 1));
  }

 private:
  int version_;
};

std::uint64_t count_in(projections::projection_db& db) {
  auto v = db.get(db.family("counter"), "count");
  return v ? storage::keys::read_be64(*v) : 0;
}

}  // namespace

TEST_CASE("a wait for a position already applied answers at once", "[projections][projector]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  auto p = log.tenant("tn_a", "UTC");
  side.catch_up();
  bool answered = false, reached = false;
  side.projector().await(p, 5s, [&](bool ok) {
    answered = true;
    reached = ok;
  });
  CHECK(answered);
  CHECK(reached);
}

TEST_CASE("a wait for a future position answers once the projections reach it",
          "[projections][projector]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  side.follow();
  std::promise<bool> result;
  auto started = std::chrono::steady_clock::now();
  side.projector().await(3, 5s, [&](bool ok) { result.set_value(ok); });
  log.tenant("tn_a", "UTC");
  log.inbound("tn_a", "+15125550001", "SM1");
  log.inbound("tn_a", "+15125550001", "SM2");
  auto f = result.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get());
  CHECK(std::chrono::steady_clock::now() - started < 4s);
  CHECK(side.projector().position() >= 3);
}

TEST_CASE("a wait for a position never reached answers false at its deadline",
          "[projections][projector]") {
  testing::read_side side;
  side.follow();
  std::promise<bool> result;
  auto started = std::chrono::steady_clock::now();
  side.projector().await(1000, 200ms, [&](bool ok) { result.set_value(ok); });
  auto f = result.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK_FALSE(f.get());
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 200ms);
  CHECK(waited < 3s);
}

TEST_CASE("waits still pending when the projector stops are answered false",
          "[projections][projector]") {
  testing::read_side side;
  side.follow();
  std::atomic<int> answers{0}, reached{0};
  for (int i = 0; i < 5; ++i)
    side.projector().await(100 + static_cast<std::uint64_t>(i), 60s, [&](bool ok) {
      ++answers;
      if (ok) ++reached;
    });
  side.close_projections();
  CHECK(answers == 5);
  CHECK(reached == 0);
}

TEST_CASE("the live projector follows appends as they are made", "[projections][projector]") {
  testing::read_side side;
  testing::log_builder log(side.store());
  side.follow();
  log.tenant("tn_a", "UTC");
  std::uint64_t last = 0;
  for (int i = 0; i < 50; ++i) last = log.inbound("tn_a", "+15125550001", "SM" + std::to_string(i));
  REQUIRE(side.reached(last));
  auto page = side.reads().messages("tn_a", {}, {100, std::nullopt});
  REQUIRE(page);
  CHECK(page->items.size() == 50);
}

TEST_CASE("a projection whose version changed is dropped and rebuilt from the start of the log",
          "[projections][projector]") {
  testing::temp_dir dir;
  auto store = testing::open_store(dir / "data");
  testing::log_builder log(*store);
  log.tenant("tn_a", "UTC");
  for (int i = 0; i < 9; ++i) log.inbound("tn_a", "+15125550001", "SM" + std::to_string(i));
  {
    auto db = projections::projection_db::open(dir / "p", {"counter"});
    REQUIRE(db);
    counting_projection v1(1);
    projections::projector p(**db, {&v1});
    REQUIRE(p.catch_up(*store));
    CHECK(count_in(**db) == 10);
    CHECK((*db)->stored_version(0) == 1);
  }
  log.inbound("tn_a", "+15125550001", "SM9");
  SECTION("the same version continues from its checkpoint") {
    auto db = projections::projection_db::open(dir / "p", {"counter"});
    REQUIRE(db);
    counting_projection v1(1);
    projections::projector p(**db, {&v1});
    REQUIRE(p.catch_up(*store));
    CHECK(count_in(**db) == 11);
  }
  SECTION("a new version starts over") {
    auto db = projections::projection_db::open(dir / "p", {"counter"});
    REQUIRE(db);
    counting_projection v2(2);
    projections::projector p(**db, {&v2});
    REQUIRE(p.catch_up(*store));
    CHECK(count_in(**db) == 11);
    CHECK((*db)->stored_version(0) == 2);
    CHECK((*db)->checkpoint(0) == 11);
  }
}

TEST_CASE("the projections refuse to open read-only where none were ever built",
          "[projections][projector]") {
  testing::temp_dir dir;
  auto db = projections::projection_db::open(dir / "never", projections::projection_set::names(),
                                             {.read_only = true});
  REQUIRE_FALSE(db);
  CHECK(db.error().find("rebuild") != std::string::npos);
}

TEST_CASE("projections already open in another place are refused, saying so",
          "[projections][projector]") {
  testing::temp_dir dir;
  auto first = projections::projection_db::open(dir / "p", projections::projection_set::names());
  REQUIRE(first);
  auto second = projections::projection_db::open(dir / "p", projections::projection_set::names());
  REQUIRE_FALSE(second);
  CHECK(second.error().find("in use by a running fieldline") != std::string::npos);
}
