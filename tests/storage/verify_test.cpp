// verify(): the hash chain walk finds altered, rewritten and missing records
// and names the first bad position.

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "base/hex.hpp"
#include "base/sha256.hpp"
#include "events/record.hpp"
#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using testing::open_store;
using testing::raw_db;

namespace {

// Fills a store at `dir` with `n` single-event appends across two streams.
void fill(const std::filesystem::path& dir, int n) {
  auto store = open_store(dir);
  for (int i = 1; i <= n; ++i)
    REQUIRE(store->append({"t1",
                           "s" + std::to_string(i % 2),
                           expected_version::any(),
                           {testing::sample_inbound(i)},
                           std::nullopt}));
}

}  // namespace

TEST_CASE("verify passes on an untouched log and counts the events it checked",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 7);
  auto store = open_store(dir / "data");
  auto report = store->verify();
  CHECK(report.ok);
  CHECK(report.events_checked == 7);
  CHECK(!report.first_bad_position);
  CHECK(report.problem.empty());
}

TEST_CASE("verify of a log that grows while it is walked checks the chain up to where it began",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 200);
  auto store = open_store(dir / "data");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i)
      (void)store->append({"t1",
                           "live",
                           expected_version::any(),
                           {testing::sample_inbound(1000 + i)},
                           std::nullopt});
  });
  for (int round = 0; round < 20; ++round) {
    auto report = store->verify();
    INFO(report.problem);
    CHECK(report.ok);
    CHECK(report.events_checked >= 200);
  }
  stop = true;
  writer.join();
}

TEST_CASE("verify passes on an empty store with nothing checked", "[storage][verify]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  auto report = store->verify();
  CHECK(report.ok);
  CHECK(report.events_checked == 0);
}

TEST_CASE("verify detects a flipped byte in a stored record and names its position",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 5);
  {
    raw_db db(dir / "data");
    std::string value = db.get(raw_db::log, storage::keys::be64(3));
    // A letter of the message body: the record still decodes, only the hash
    // tells.
    auto at = value.find("Skid steer");
    REQUIRE(at != std::string::npos);
    value[at] = 's';
    db.put(raw_db::log, storage::keys::be64(3), value);
  }
  auto store = open_store(dir / "data");
  auto report = store->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 3);
  CHECK(!report.problem.empty());
  CHECK(report.events_checked == 2);
}

TEST_CASE("verify detects a flipped byte in a stored hash", "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 4);
  {
    raw_db db(dir / "data");
    std::string value = db.get(raw_db::log, storage::keys::be64(4));
    value[0] = static_cast<char>(value[0] ^ 0x80);
    db.put(raw_db::log, storage::keys::be64(4), value);
  }
  auto report = open_store(dir / "data")->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 4);
}

TEST_CASE("verify detects a record rewritten together with its own hash at the next link",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 5);
  {
    raw_db db(dir / "data");
    std::string value = db.get(raw_db::log, storage::keys::be64(3));
    auto parts = events::split_stored(value);
    REQUIRE(parts);
    auto rec = events::decode_record(value);
    REQUIRE(rec);
    std::string canonical(parts->canonical);
    auto at = canonical.find("Skid steer");
    REQUIRE(at != std::string::npos);
    canonical.replace(at, 4, "Snow");
    sha256_hasher hasher;
    sha256_digest forged = events::chain_hash(hasher, rec->prev_hash, canonical);
    db.put(raw_db::log, storage::keys::be64(3), events::stored_record(forged, canonical));
  }
  auto report = open_store(dir / "data")->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 4);
}

TEST_CASE("verify detects a prev_hash that does not link, even with a matching hash",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 4);
  {
    raw_db db(dir / "data");
    std::string value = db.get(raw_db::log, storage::keys::be64(3));
    auto parts = events::split_stored(value);
    REQUIRE(parts);
    auto rec = events::decode_record(value);
    REQUIRE(rec);
    // The record names another predecessor, and its hash is computed so that
    // it matches its bytes when chained to the real predecessor.
    std::string canonical(parts->canonical);
    std::string real = to_hex(rec->prev_hash);
    auto at = canonical.find(real);
    REQUIRE(at != std::string::npos);
    canonical.replace(at, real.size(), std::string(64, 'a'));
    sha256_hasher hasher;
    sha256_digest forged = events::chain_hash(hasher, rec->prev_hash, canonical);
    db.put(raw_db::log, storage::keys::be64(3), events::stored_record(forged, canonical));
  }
  auto report = open_store(dir / "data")->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 3);
  CHECK(report.problem.find("prev_hash") != std::string::npos);
}

TEST_CASE("verify detects a record deleted from the middle of the log", "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 5);
  { raw_db(dir / "data").del(raw_db::log, storage::keys::be64(3)); }
  auto store = open_store(dir / "data");
  auto report = store->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 3);
  CHECK(report.problem.find('3') != std::string::npos);
}

TEST_CASE("verify detects an event missing from the stream index", "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 4);  // position 2 is version 1 of stream "s0"
  { raw_db(dir / "data").del(raw_db::streams, storage::keys::scoped("s0", 1)); }
  auto report = open_store(dir / "data")->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 2);
}

TEST_CASE("verify detects an event missing from the tenant index", "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 4);
  { raw_db(dir / "data").del(raw_db::tenants, storage::keys::scoped("t1", 3)); }
  auto report = open_store(dir / "data")->verify();
  CHECK(!report.ok);
  REQUIRE(report.first_bad_position);
  CHECK(*report.first_bad_position == 3);
}

TEST_CASE("a store whose head names more events than the log holds does not open",
          "[storage][verify]") {
  testing::temp_dir dir;
  fill(dir / "data", 3);
  { raw_db(dir / "data").del(raw_db::log, storage::keys::be64(3)); }
  auto store = storage::event_store::open(dir / "data");
  REQUIRE(!store);
  CHECK(store.error().code == storage::store_errc::corruption);
}
