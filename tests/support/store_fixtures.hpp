#pragma once

// Opening stores in tests, and tampering with one through RocksDB directly.

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/event_store.hpp"

namespace fl::testing {

/// Opens (or creates) a store, failing the test with the store's message if
/// it cannot.
inline std::unique_ptr<storage::event_store> open_store(const std::filesystem::path& dir,
                                                        storage::store_options options = {}) {
  auto store = storage::event_store::open(dir, std::move(options));
  if (!store) FAIL_CHECK("open failed: " << store.error().message);
  REQUIRE(store);
  return std::move(*store);
}

/// A closed store's RocksDB opened directly, as a tamperer would.
class raw_db {
 public:
  enum family { log = 1, streams = 2, tenants = 3, dedupe = 4, meta = 5 };

  explicit raw_db(const std::filesystem::path& dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "log", "streams", "tenants", "dedupe", "meta"})
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    auto s = rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles_, &db);
    INFO(s.ToString());
    REQUIRE(s.ok());
    db_.reset(db);
  }
  ~raw_db() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  std::string get(family f, const std::string& key) {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), handles_[f], key, &value);
    INFO(s.ToString());
    REQUIRE(s.ok());
    return value;
  }
  void put(family f, const std::string& key, const std::string& value) {
    REQUIRE(db_->Put(rocksdb::WriteOptions(), handles_[f], key, value).ok());
  }
  void del(family f, const std::string& key) {
    REQUIRE(db_->Delete(rocksdb::WriteOptions(), handles_[f], key).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace fl::testing
