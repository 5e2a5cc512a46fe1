#pragma once

// Settling a RocksDB directory before a timed pass: its memtables flushed and
// no compaction running or pending, so that the pass reads a settled LSM tree
// and no background work of the set-up competes with it.

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/options_util.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fl::bench {

/// Opens the database in `dir` with every column family it has, as its
/// OPTIONS file says it was written (a memtable flushed here must become
/// the same table files as the store would have made: the log's LZ4 and
/// 16 KB blocks, not RocksDB's defaults), flushes, and waits for its
/// compactions. The total size of its SST files, in bytes.
inline std::uint64_t settle_db(const std::filesystem::path& dir) {
  rocksdb::ConfigOptions config;
  config.ignore_unknown_options = true;
  config.ignore_unsupported_options = true;  // custom memtable hints: memtable only
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  auto st = rocksdb::LoadLatestOptions(config, dir.string(), &options, &families);
  if (!st.ok()) throw std::runtime_error("settle " + dir.string() + ": " + st.ToString());
  options.IncreaseParallelism(2);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  st = rocksdb::DB::Open(options, dir.string(), families, &handles, &raw);
  if (!st.ok()) throw std::runtime_error("settle " + dir.string() + ": " + st.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  st = db->Flush(rocksdb::FlushOptions(), handles);
  if (!st.ok()) throw std::runtime_error("flush " + dir.string() + ": " + st.ToString());
  std::uint64_t bytes = 0;
  for (;;) {
    std::uint64_t busy = 0, v = 0;
    for (auto* h : handles)
      for (const auto& p : {rocksdb::DB::Properties::kCompactionPending,
                            rocksdb::DB::Properties::kMemTableFlushPending})
        if (db->GetIntProperty(h, p, &v)) busy += v;
    if (db->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &v)) busy += v;
    if (db->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &v)) busy += v;
    if (busy == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto* h : handles) {
    std::uint64_t v = 0;
    if (db->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize, &v)) bytes += v;
    db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  db->Close().PermitUncheckedError();
  return bytes;
}

}  // namespace fl::bench
