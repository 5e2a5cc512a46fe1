// Opening and closing the store: directory checks, column families, format
// version, the head of the chain.

#include <fcntl.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "storage/event_store.hpp"
#include "storage/keys.hpp"
#include "storage/store_impl.hpp"

namespace fl::storage {

namespace fs = std::filesystem;

store_error from_status(const rocksdb::Status& s, std::string_view what) {
  std::string message = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return {store_errc::corruption, message};
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
    return {store_errc::locked,
            std::string(what) + ": the data directory is in use by another fieldline process (" +
                s.ToString() + ")"};
  return {store_errc::io_error, message};
}

namespace {

const std::vector<std::string>& family_names() {
  static const std::vector<std::string> names{
      rocksdb::kDefaultColumnFamilyName, "log", "streams", "tenants", "dedupe", "meta"};
  return names;
}

// The part of an index key before its numeric suffix: `name` NUL (keys.hpp).
class name_prefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "fieldline.NamePrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const auto* nul = static_cast<const char*>(std::memchr(key.data(), '\0', key.size()));
    return {key.data(), static_cast<std::size_t>(nul - key.data()) + 1};
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), '\0', key.size()) != nullptr;
  }
};

rocksdb::ColumnFamilyOptions family_options(const std::string& name) {
  rocksdb::ColumnFamilyOptions o;
  // Each append adds a key to many streams' and tenants' ranges at once:
  // remembering the last insert point per stream (per tenant) saves the
  // memtable a search from the top for each key. Memtable only; the stored
  // data does not change.
  if (name == "streams" || name == "tenants")
    o.memtable_insert_with_hint_prefix_extractor = std::make_shared<name_prefix>();
  // The log is written once and read mostly from end to end (replays,
  // rebuilds): LZ4 decompresses about twice as fast as the default Snappy,
  // and 16 KB blocks cost a quarter of the per-block work (reads, checksums)
  // of 4 KB ones. Each table file records its own; older files read as they
  // were written.
  if (name == "log") {
    o.compression = rocksdb::kLZ4Compression;
    rocksdb::BlockBasedTableOptions table;
    table.block_size = 16 << 10;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  }
  return o;
}

// Refuses directories that hold something other than a fieldline store.
expected<void, store_error> check_directory(const fs::path& dir, const store_options& options) {
  std::error_code ec;
  bool exists = fs::exists(dir, ec);
  if (ec) return unexpected{store_error{store_errc::io_error, dir.string() + ": " + ec.message()}};
  if (!exists) {
    if (options.read_only || !options.create_if_missing)
      return unexpected{
          store_error{store_errc::not_found, dir.string() + ": no fieldline data here"}};
    return {};
  }
  if (!fs::is_directory(dir, ec))
    return unexpected{store_error{store_errc::not_a_store, dir.string() + " is not a directory"}};
  if (fs::exists(dir / "CURRENT", ec)) return {};
  if (fs::is_empty(dir, ec) && !options.read_only && options.create_if_missing) return {};
  if (fs::is_empty(dir, ec))
    return unexpected{
        store_error{store_errc::not_found, dir.string() + ": no fieldline data here"}};
  return unexpected{store_error{
      store_errc::not_a_store,
      dir.string() + " is not empty and holds no fieldline data; refusing to write there"}};
}

expected<void, store_error> check_families(const fs::path& dir) {
  if (!fs::exists(dir / "CURRENT")) return {};
  std::vector<std::string> existing;
  auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &existing);
  if (!s.ok()) return unexpected{from_status(s, "reading " + dir.string())};
  for (const auto& name : family_names()) {
    if (std::find(existing.begin(), existing.end(), name) != existing.end()) continue;
    // A damaged MANIFEST can also list too few families: opening the
    // database tells corruption apart from someone else's database.
    rocksdb::Options probe_options;
    probe_options.paranoid_checks = true;
    rocksdb::DB* probe = nullptr;
    s = rocksdb::DB::OpenForReadOnly(probe_options, dir.string(), &probe);
    if (!s.ok()) return unexpected{from_status(s, "opening " + dir.string())};
    delete probe;
    return unexpected{store_error{store_errc::not_a_store,
                                  dir.string() +
                                      " is a RocksDB database but not a fieldline store (no \"" +
                                      name + "\" column family)"}};
  }
  return {};
}

rocksdb::Options db_options(const store_options& options) {
  rocksdb::Options o;
  o.create_if_missing = options.create_if_missing && !options.read_only;
  o.create_missing_column_families = o.create_if_missing;
  o.paranoid_checks = true;
  o.IncreaseParallelism(2);
  return o;
}

// Present in a store's directory from before RocksDB creates anything there
// until the format version is durable: a process killed while creating the
// store leaves a directory that the next open finishes creating, instead of
// refusing it as a stranger's (RocksDB writes several files, then one column
// family at a time).
constexpr std::string_view creating_marker = "FIELDLINE-CREATING";

// Creates `dir` if missing and the marker in it, durably (the directory synced).
expected<void, store_error> mark_creating(const fs::path& dir) {
  auto failed = [&](int err, const char* what) {
    return unexpected{store_error{store_errc::io_error, std::string(what) + " in " + dir.string() +
                                                            ": " + std::strerror(err)}};
  };
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec) return unexpected{store_error{store_errc::io_error, dir.string() + ": " + ec.message()}};
  int fd = ::open((dir / creating_marker).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return failed(errno, "creating the creation marker");
  ::close(fd);
  fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return failed(errno, "opening the directory");
  const int synced = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (synced != 0) return failed(err, "syncing the directory");
  return {};
}

expected<void, store_error> load_head(store_impl& impl) {
  std::string value;
  auto s = impl.db->Get(rocksdb::ReadOptions(), impl.cf_meta, keys::format_key, &value);
  bool fresh = s.IsNotFound();
  if (!s.ok() && !fresh) return unexpected{from_status(s, "reading the format version")};
  if (!fresh) {
    int format = 0;
    try {
      format = std::stoi(value);
    } catch (...) {
      return unexpected{store_error{store_errc::corruption, "format version unreadable: " + value}};
    }
    if (format > keys::format_version)
      return unexpected{store_error{store_errc::newer_format,
                                    "the data was written by a newer fieldline (format " +
                                        std::to_string(format) + ", this build reads up to " +
                                        std::to_string(keys::format_version) + ")"}};
  }

  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.cf_log));
  it->SeekToLast();
  if (!it->status().ok()) return unexpected{from_status(it->status(), "reading the log tail")};
  std::uint64_t tail = it->Valid() ? keys::read_be64(it->key().ToStringView()) : 0;
  // recorded_at continues from the tail's, even if the clock stepped back
  // while the store was closed (a tail that does not decode is verify's to
  // report).
  if (it->Valid())
    if (auto rec = events::decode_record(it->value().ToStringView()))
      impl.head_recorded_at = rec->recorded_at;
  it.reset();

  if (fresh) {
    if (tail != 0)
      return unexpected{
          store_error{store_errc::corruption, "events present but no format version"}};
    if (!impl.options.read_only) {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      s = impl.db->Put(sync, impl.cf_meta, keys::format_key, std::to_string(keys::format_version));
      if (!s.ok()) return unexpected{from_status(s, "writing the format version")};
    }
    return {};
  }

  s = impl.db->Get(rocksdb::ReadOptions(), impl.cf_meta, keys::head_key, &value);
  if (s.IsNotFound()) {
    if (tail != 0)
      return unexpected{store_error{store_errc::corruption, "events present but no head"}};
    return {};
  }
  if (!s.ok()) return unexpected{from_status(s, "reading the head")};
  if (value.size() != 8 + impl.head_hash.size())
    return unexpected{store_error{store_errc::corruption, "head record has the wrong size"}};
  impl.head_position = keys::read_be64(value);
  std::copy(value.begin() + 8, value.end(), impl.head_hash.begin());
  if (impl.head_position != tail)
    return unexpected{store_error{store_errc::corruption,
                                  "head says position " + std::to_string(impl.head_position) +
                                      " but the log ends at " + std::to_string(tail)}};
  impl.committed = impl.head_position;
  return {};
}

}  // namespace

expected<std::unique_ptr<event_store>, store_error> event_store::open(const fs::path& dir,
                                                                      store_options options) {
  std::error_code ec;
  const bool interrupted = fs::exists(dir / creating_marker, ec);
  if (interrupted && options.read_only)
    return unexpected{store_error{
        store_errc::not_found,
        dir.string() + ": no fieldline data here (its creation was interrupted; an open for "
                       "writing finishes it)"}};
  if (!interrupted) {
    if (auto ok = check_directory(dir, options); !ok) return unexpected{ok.error()};
    if (auto ok = check_families(dir); !ok) return unexpected{ok.error()};
  }
  // Past the checks, a store without CURRENT is a missing or empty directory.
  const bool creating = interrupted || (!options.read_only && !fs::exists(dir / "CURRENT", ec));
  if (creating && !interrupted) {
    if (auto ok = mark_creating(dir); !ok) return unexpected{ok.error()};
  }

  auto impl = std::make_shared<store_impl>();
  impl->options = std::move(options);
  if (!impl->options.clock) impl->options.clock = system_now;

  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : family_names()) families.emplace_back(name, family_options(name));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto opts = db_options(impl->options);
  auto s = impl->options.read_only
               ? rocksdb::DB::OpenForReadOnly(opts, dir.string(), families, &handles, &raw)
               : rocksdb::DB::Open(opts, dir.string(), families, &handles, &raw);
  if (!s.ok()) return unexpected{from_status(s, "opening " + dir.string())};
  impl->db.reset(raw);
  impl->cf_default = handles[0];
  impl->cf_log = handles[1];
  impl->cf_streams = handles[2];
  impl->cf_tenants = handles[3];
  impl->cf_dedupe = handles[4];
  impl->cf_meta = handles[5];

  if (auto ok = load_head(*impl); !ok) return unexpected{ok.error()};
  if (creating && !fs::remove(dir / creating_marker, ec) && ec)
    return unexpected{store_error{store_errc::io_error, "removing the creation marker in " +
                                                            dir.string() + ": " + ec.message()}};
  if (!impl->options.read_only) impl->start_writer();
  return std::unique_ptr<event_store>(new event_store(std::move(impl)));
}

event_store::event_store(std::shared_ptr<store_impl> impl) : impl_(std::move(impl)) {}

event_store::~event_store() {
  impl_->stop_writer();
  impl_->closed = true;
  { std::lock_guard lk(impl_->commit_mu); }
  impl_->commit_cv.notify_all();
}

store_impl::~store_impl() {
  stop_writer();
  if (db) {
    for (auto* h : {cf_default, cf_log, cf_streams, cf_tenants, cf_dedupe, cf_meta})
      if (h) db->DestroyColumnFamilyHandle(h);
    db->Close().PermitUncheckedError();
    db.reset();
  }
}

}  // namespace fl::storage
