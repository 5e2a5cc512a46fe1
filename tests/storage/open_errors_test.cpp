// Opening refuses what is not (or not yet, or no longer) a store it may use,
// with a clear error and without changing anything; invalid requests are
// refused before they reach the log.

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "storage/event_store.hpp"
#include "tests/support/sample_events.hpp"
#include "tests/support/store_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace fl;
using storage::expected_version;
using storage::store_errc;
using testing::open_store;
namespace fs = std::filesystem;

namespace {

// The error code an open that must fail gives.
store_errc open_error(const fs::path& dir, storage::store_options options = {}) {
  auto store = storage::event_store::open(dir, std::move(options));
  REQUIRE(!store);
  INFO(store.error().message);
  CHECK(!store.error().message.empty());
  return store.error().code;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every file under `dir` with its content.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    out[fs::relative(entry.path(), dir).string()] =
        entry.is_regular_file() ? read_file(entry.path()) : "<dir>";
  return out;
}

// Reads or writes the "format" value in the meta column family directly.
std::string meta_format(const fs::path& dir, const std::string* new_value = nullptr) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "log", "streams", "tenants", "dedupe", "meta"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles, &raw);
  INFO(s.ToString());
  REQUIRE(s.ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  if (new_value) s = db->Put(rocksdb::WriteOptions(), handles[5], "format", *new_value);
  std::string value;
  if (s.ok()) s = db->Get(rocksdb::ReadOptions(), handles[5], "format", &value);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  db->Close().PermitUncheckedError();
  REQUIRE(s.ok());
  return value;
}

storage::append_request request(std::string tenant, std::string stream) {
  return {std::move(tenant),
          std::move(stream),
          expected_version::any(),
          {testing::sample_inbound(1)},
          std::nullopt};
}

}  // namespace

TEST_CASE(
    "opening a non-empty directory that holds no store is not_a_store and leaves it as it "
    "was",
    "[storage][open]") {
  testing::temp_dir dir;
  fs::create_directories(dir / "photos" / "2026");
  write_file(dir / "photos" / "notes.txt", "do not touch\n");
  write_file(dir / "photos" / "2026" / "a.jpg", std::string("\xFF\xD8\xFF\xE0", 4));
  auto before = contents(dir / "photos");
  CHECK(open_error(dir / "photos") == store_errc::not_a_store);
  CHECK(contents(dir / "photos") == before);
}

TEST_CASE("opening a file instead of a directory is an error and leaves the file as it was",
          "[storage][open]") {
  testing::temp_dir dir;
  write_file(dir / "data", "a config file, not a store");
  CHECK(open_error(dir / "data") == store_errc::not_a_store);
  CHECK(fs::is_regular_file(dir / "data"));
  CHECK(read_file(dir / "data") == "a config file, not a store");
}

TEST_CASE("opening a RocksDB database without the store's column families is not_a_store",
          "[storage][open]") {
  testing::temp_dir dir;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(o, (dir / "other").string(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    REQUIRE(db->Put(rocksdb::WriteOptions(), "k", "v").ok());
    db->Close().PermitUncheckedError();
  }
  CHECK(open_error(dir / "other") == store_errc::not_a_store);
  std::vector<std::string> families;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), (dir / "other").string(), &families)
              .ok());
  CHECK(families == std::vector<std::string>{"default"});  // none were added
}

TEST_CASE(
    "opening a store written in a newer format is newer_format and leaves the format as it "
    "was",
    "[storage][open]") {
  testing::temp_dir dir;
  {
    auto store = open_store(dir / "data");
    REQUIRE(store->append(request("t1", "s")));
  }
  const std::string newer = "99";
  REQUIRE(meta_format(dir / "data", &newer) == "99");
  CHECK(open_error(dir / "data") == store_errc::newer_format);
  CHECK(meta_format(dir / "data") == "99");
  storage::store_options ro;
  ro.read_only = true;
  CHECK(open_error(dir / "data", ro) == store_errc::newer_format);
}

TEST_CASE("a new store records its format version", "[storage][open]") {
  testing::temp_dir dir;
  { open_store(dir / "data"); }
  CHECK(meta_format(dir / "data") == "1");
}

TEST_CASE("a second open of a directory while the first is open is locked", "[storage][open]") {
  testing::temp_dir dir;
  auto first = open_store(dir / "data");
  REQUIRE(first->append(request("t1", "s")));
  CHECK(open_error(dir / "data") == store_errc::locked);
  // The first handle is unharmed.
  CHECK(first->append(request("t1", "s")));
  CHECK(first->last_position() == 2);
  first.reset();
  CHECK(open_store(dir / "data")->last_position() == 2);  // free again once closed
}

TEST_CASE("a read-only open of a missing directory is not_found and creates nothing",
          "[storage][open]") {
  testing::temp_dir dir;
  storage::store_options ro;
  ro.read_only = true;
  CHECK(open_error(dir / "missing", ro) == store_errc::not_found);
  CHECK(!fs::exists(dir / "missing"));
}

TEST_CASE("an open without create_if_missing of a missing directory is not_found",
          "[storage][open]") {
  testing::temp_dir dir;
  storage::store_options options;
  options.create_if_missing = false;
  CHECK(open_error(dir / "missing", options) == store_errc::not_found);
  CHECK(!fs::exists(dir / "missing"));
}

TEST_CASE("opening an empty directory creates a store in it", "[storage][open]") {
  testing::temp_dir dir;
  fs::create_directories(dir / "empty");
  auto store = open_store(dir / "empty");
  CHECK(store->append(request("t1", "s")));
}

TEST_CASE("a read-only store refuses appends with invalid_argument", "[storage][open]") {
  testing::temp_dir dir;
  { REQUIRE(open_store(dir / "data")->append(request("t1", "s"))); }
  storage::store_options ro;
  ro.read_only = true;
  auto store = open_store(dir / "data", ro);
  auto r = store->append(request("t1", "s"));
  REQUIRE(!r);
  CHECK(r.error().code == store_errc::invalid_argument);
  CHECK(store->last_position() == 1);
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  CHECK(all->size() == 1);
}

TEST_CASE("invalid append requests are refused with invalid_argument and write nothing",
          "[storage][open]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  std::vector<std::pair<std::string, storage::append_request>> bad;
  bad.push_back({"empty stream", request("t1", "")});
  bad.push_back({"NUL in the stream name", request("t1", std::string("a\0b", 3))});
  bad.push_back({"empty tenant", request("", "s")});
  bad.push_back({"NUL in the tenant", request(std::string("t\0", 2), "s")});
  auto no_events = request("t1", "s");
  no_events.events.clear();
  bad.push_back({"no events", no_events});
  auto empty_id = request("t1", "s");
  empty_id.external_id = "";
  bad.push_back({"empty external id", empty_id});

  for (auto& [why, req] : bad) {
    INFO(why);
    auto r = store->append(req);
    REQUIRE(!r);
    CHECK(r.error().code == store_errc::invalid_argument);
    CHECK(!r.error().message.empty());
  }
  CHECK(store->last_position() == 0);
  auto all = store->read_all(1, SIZE_MAX);
  REQUIRE(all);
  CHECK(all->empty());
  // The store still takes valid appends afterwards.
  auto ok = store->append(request("t1", "s"));
  REQUIRE(ok);
  CHECK(ok->first_position == 1);
}

TEST_CASE("append_async answers an invalid request with invalid_argument", "[storage][open]") {
  testing::temp_dir dir;
  auto store = open_store(dir / "data");
  std::promise<storage::append_outcome> answer;
  store->append_async(request("t1", ""),
                      [&answer](storage::append_outcome r) { answer.set_value(std::move(r)); });
  auto r = answer.get_future().get();
  REQUIRE(!r);
  CHECK(r.error().code == store_errc::invalid_argument);
  CHECK(store->last_position() == 0);
}

TEST_CASE("a store whose MANIFEST is damaged is refused as corrupt and left as it was",
          "[storage][open]") {
  testing::temp_dir dir;
  {
    auto store = open_store(dir / "data");
    REQUIRE(store->append(
        {"t1", "s1", expected_version::any(), {testing::sample_inbound(1)}, std::nullopt}));
  }
  fs::path manifest;
  for (const auto& entry : fs::directory_iterator(dir / "data"))
    if (entry.path().filename().string().rfind("MANIFEST-", 0) == 0) manifest = entry.path();
  REQUIRE(!manifest.empty());
  write_file(manifest, std::string(100, '\x5a'));
  const auto before = contents(dir / "data");
  auto code = open_error(dir / "data");
  CHECK((code == store_errc::corruption || code == store_errc::io_error));
  CHECK(code != store_errc::not_a_store);
  storage::store_options ro;
  ro.read_only = true;
  CHECK(open_error(dir / "data", ro) != store_errc::not_a_store);
  CHECK(contents(dir / "data") == before);
}
