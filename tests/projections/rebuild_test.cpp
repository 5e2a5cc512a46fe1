// Projections are a pure fold of the log: whatever the traffic (SMS and
// field-service events interleaved) and however the log is cut into
// batches, the live projections equal a rebuild from 0.

#include <catch2/catch.hpp>

#include "storage/keys.hpp"
#include "tests/projections/dispatch_workload.hpp"
#include "tests/projections/read_side_fixture.hpp"

using namespace fl;

namespace {

std::vector<storage::append_request> traffic(testing::mixed_workload& w, int appends) {
  auto out = w.tenant_appends();
  for (int i = 0; i < appends; ++i) out.push_back(w.next());
  return out;
}

}  // namespace

TEST_CASE("live projections equal a fresh rebuild after random traffic, for many seeds",
          "[projections][rebuild]") {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    INFO("seed " << seed);
    testing::read_side side;
    testing::mixed_workload w(seed);
    side.follow();
    // In three waves, so the live projector sees batches of many sizes.
    std::uint64_t last = 0;
    for (int wave = 0; wave < 3; ++wave) last = testing::append_all(side.store(), traffic(w, 80));
    REQUIRE(side.reached(last));
    auto check = side.check();
    INFO(check.mismatches.size() << " mismatch(es); first: "
                                 << (check.mismatches.empty() ? "" : check.mismatches.front()));
    CHECK(check.ok);
    CHECK(check.position == last);
    CHECK(side.check(w.tenant(0)).ok);
    CHECK(side.check(w.tenant(1)).ok);
  }
}

TEST_CASE("projections applied one event at a time equal projections applied in one batch",
          "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(77);
  testing::append_all(side.store(), traffic(w, 300));
  side.catch_up();  // batches of thousands

  testing::temp_dir other_dir;
  auto other =
      projections::projection_db::open(other_dir.path(), projections::projection_set::names());
  REQUIRE(other);
  projections::projection_set set;
  projections::projector one_by_one(**other, set.all());
  REQUIRE(one_by_one.reset_all());
  auto events = side.store().read_all(1, SIZE_MAX);
  REQUIRE(events);
  for (const auto& e : *events) REQUIRE(one_by_one.apply({&e, 1}));

  auto& x = side.db();
  auto& y = **other;
  for (const auto& name : projections::projection_set::names()) {
    INFO(name);
    CHECK(x.digest_of(x.snapshot(), x.family(name), "") ==
          y.digest_of(y.snapshot(), y.family(name), ""));
  }
}

TEST_CASE("a catch-up written out as table files in several steps equals one event at a time",
          "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(91);
  // Over 2,048 events in the first step, so the projections also apply side by side.
  auto last = testing::append_all(side.store(), traffic(w, 4500));
  REQUIRE(last > 2 * 2048);

  testing::temp_dir bulk_dir;
  auto bulk =
      projections::projection_db::open(bulk_dir.path(), projections::projection_set::names());
  REQUIRE(bulk);
  {
    projections::projection_set set;
    projections::projector p(**bulk, set.all());
    // Each step ingests its writes; the next reads them back from the files.
    REQUIRE(p.catch_up(side.store(), last / 2));
    REQUIRE(p.catch_up(side.store(), last / 2 + 7));
    p.set_bulk_budget(1);  // written out after every batch
    REQUIRE(p.catch_up(side.store()));
    CHECK(p.position() == last);
  }

  testing::temp_dir single_dir;
  auto single =
      projections::projection_db::open(single_dir.path(), projections::projection_set::names());
  REQUIRE(single);
  projections::projection_set set;
  projections::projector one_by_one(**single, set.all());
  auto events = side.store().read_all(1, SIZE_MAX);
  REQUIRE(events);
  for (const auto& e : *events) REQUIRE(one_by_one.apply({&e, 1}));

  auto& x = **bulk;
  auto& y = **single;
  for (const auto& name : projections::projection_set::names()) {
    INFO(name);
    CHECK(x.digest_of(x.snapshot(), x.family(name), "") ==
          y.digest_of(y.snapshot(), y.family(name), ""));
    CHECK(x.checkpoint(x.family(name)) == last);
  }
}

TEST_CASE("table files of a family that held nothing yet may carry deletes only",
          "[projections][rebuild]") {
  testing::temp_dir dir;
  auto db = projections::projection_db::open(dir.path(), {"stats"});
  REQUIRE(db);
  auto family = (*db)->family("stats");
  projections::write_set only_deletes(
      [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
  only_deletes.erase(storage::keys::prefix("tn_a") + "gone");
  REQUIRE((*db)->ingest({{family, &only_deletes, 12, true}}));
  CHECK((*db)->checkpoint(family) == 12);
  REQUIRE((*db)->commit({{family, &only_deletes, 13, true}}));
  CHECK((*db)->checkpoint(family) == 13);
  CHECK((*db)->digest_of((*db)->snapshot(), family, "").keys == 0);
}

TEST_CASE("a tenant's part of the projections is rebuilt from that tenant's events alone",
          "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(5, 3);
  testing::append_all(side.store(), traffic(w, 200));
  side.catch_up();
  for (int t = 0; t < 3; ++t) {
    INFO(w.tenant(static_cast<std::size_t>(t)));
    CHECK(side.check(w.tenant(static_cast<std::size_t>(t))).ok);
  }
}

TEST_CASE("a projection whose stored state was tampered with is reported as different",
          "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(9);
  testing::append_all(side.store(), traffic(w, 100));
  side.catch_up();
  REQUIRE(side.check().ok);

  // A write that no event explains, committed with the current checkpoint.
  projections::write_set forged(
      [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
  forged.put(storage::keys::prefix(w.tenant(0)) + "zforged", "1");
  auto family = side.db().family("stats");
  REQUIRE(side.db().commit({{family, &forged, side.db().checkpoint(family)}}));

  auto check = side.check();
  CHECK_FALSE(check.ok);
  REQUIRE(check.mismatches.size() == 1);
  CHECK(check.mismatches.front().starts_with("stats:"));
  CHECK_FALSE(side.check(w.tenant(0)).ok);
  CHECK(side.check(w.tenant(1)).ok);
}

TEST_CASE(
    "the projections continue from their checkpoint after a restart, applying each event once",
    "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(11);
  testing::append_all(side.store(), traffic(w, 120));
  side.catch_up();
  auto at = side.projector().position();
  side.reopen_projections();
  std::vector<storage::append_request> more;
  for (int i = 0; i < 120; ++i) more.push_back(w.next());
  auto last = testing::append_all(side.store(), std::move(more));
  side.catch_up();
  CHECK(side.projector().position() == last);
  CHECK(last > at);
  CHECK(side.check().ok);
}

TEST_CASE("rebuild_all drops every projection and rebuilds the same state from the log",
          "[projections][rebuild]") {
  testing::read_side side;
  testing::mixed_workload w(13);
  auto last = testing::append_all(side.store(), traffic(w, 150));
  side.catch_up();
  auto digests = [&] {
    std::vector<projections::projection_db::digest> out;
    auto& db = side.db();
    for (const auto& name : projections::projection_set::names())
      out.push_back(db.digest_of(db.snapshot(), db.family(name), ""));
    return out;
  };
  auto before = digests();
  side.close_projections();  // one writer per RocksDB
  auto rebuilt = projections::rebuild_all(side.store(), side.projections_dir());
  REQUIRE(rebuilt);
  CHECK(*rebuilt == last);
  side.open_projections();
  CHECK(digests() == before);
  CHECK(side.db().checkpoint(side.db().family("conversations")) == last);
}
