#include "projections/projection_db.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <span>
#include <thread>
#include <tuple>

#include "projections/in_parts.hpp"
#include "projections/sorted_writes.hpp"
#include "projections/table_file_plan.hpp"
#include "storage/keys.hpp"

namespace fl::projections {

namespace {

const std::string meta_family = "meta";

std::string checkpoint_key(std::string_view name) {
  return "checkpoint/" + std::string(name);
}
std::string version_key(std::string_view name) {
  return "version/" + std::string(name);
}

// Applying an event reads keys that mostly do not exist yet (a message's
// early status, a final status counted once): bloom filters, in the SST
// files and in the memtables, answer those without a search. A memtable's
// filter is 0.4 % of its 64 MB (about 5 bits a key when full): each is
// allocated and zeroed when its memtable is made, and a rebuild makes
// thirteen (open, then reset) before it applies anything. One block cache
// for every family. Neither changes what is stored.
rocksdb::ColumnFamilyOptions family_options() {
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(64 << 20);
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = cache;
  rocksdb::ColumnFamilyOptions o;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  o.memtable_prefix_bloom_size_ratio = 0.004;
  o.memtable_whole_key_filtering = true;
  return o;
}

std::string describe(const rocksdb::Status& s, std::string_view what) {
  return std::string(what) + ": " + s.ToString();
}

// Ingested files are written once and read while the rest of the rebuild
// runs; compaction compresses them later like any other.
rocksdb::Options table_file_options() {
  rocksdb::Options o(rocksdb::DBOptions(), family_options());
  o.compression = rocksdb::kNoCompression;
  return o;
}

// Writes `entries` (sorted, unique keys; deletes only of keys that may be
// stored) to a new table file at `path`.
rocksdb::Status write_table_file(const std::string& path,
                                 std::span<const write_set::entry* const> entries) {
  // The file is read as soon as it is ingested: its pages stay cached (by
  // default the writer drops them every megabyte), and its bytes go to the
  // disk as it is written (each megabyte's writeback is started), so that
  // the sync when it is finished does not wait for all of them.
  auto options = table_file_options();
  options.bytes_per_sync = 1 << 20;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, nullptr,
                                /*invalidate_page_cache=*/false);
  auto s = writer.Open(path);
  // The keys and values are scattered over a write set's arena, in no
  // order: fetch those a few entries ahead while this one is written.
  constexpr std::size_t ahead = 8;
  for (std::size_t i = 0; s.ok() && i < entries.size(); ++i) {
    if (i + 2 * ahead < entries.size()) __builtin_prefetch(entries[i + 2 * ahead]);
    if (i + ahead < entries.size()) {
      const auto* e = entries[i + ahead];
      if (!e->is_delete()) __builtin_prefetch(e->value().data());
    }
    const auto* e = entries[i];
    s = e->is_delete() ? writer.Delete(e->key()) : writer.Put(e->key(), e->value());
  }
  if (s.ok()) s = writer.Finish();
  return s;
}

}  // namespace

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& c = end.back();
    if (static_cast<unsigned char>(c) != 0xff) {
      c = static_cast<char>(static_cast<unsigned char>(c) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;  // "" = no upper bound
}

struct projection_db::impl {
  std::filesystem::path dir;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;  // by index in names
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles;
  bool read_only = false;

  ~impl() {
    if (!db) return;
    // A clean close leaves no WAL to replay: the next open (the server's
    // start, after a rebuild) does not re-insert it all into memtables.
    if (!read_only) db->Flush(rocksdb::FlushOptions{}, all_handles).PermitUncheckedError();
    for (auto* h : all_handles) db->DestroyColumnFamilyHandle(h);
  }
};

struct projection_db::view::state {
  const projection_db* owner = nullptr;
  const impl* db = nullptr;
  const rocksdb::Snapshot* snap = nullptr;
  ~state() {
    if (snap) db->db->ReleaseSnapshot(snap);
  }
  rocksdb::ReadOptions options() const {
    rocksdb::ReadOptions o;
    o.snapshot = snap;
    return o;
  }
};

expected<std::unique_ptr<projection_db>, std::string> projection_db::open(
    const std::filesystem::path& dir, const std::vector<std::string>& names, options opts) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !opts.read_only;
  db_options.create_missing_column_families = !opts.read_only;
  db_options.max_background_jobs = 2;
  // "meta" takes one small write per batch and would otherwise keep every
  // WAL file alive until the WAL reached gigabytes, all replayed at the
  // next open after a crash.
  db_options.max_total_wal_size = 256 << 20;
  // A reset's dropped families (a rebuild's, hundreds of megabytes) are
  // deleted by a background job instead of on the resetting thread.
  db_options.avoid_unnecessary_blocking_io = true;
  std::vector<std::string> wanted{rocksdb::kDefaultColumnFamilyName, meta_family};
  for (const auto& n : names) wanted.push_back(n);

  // Families of projections that no longer exist are opened too (RocksDB
  // insists) and left alone.
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, dir.string(), &existing).ok())
    for (const auto& n : existing)
      if (std::find(wanted.begin(), wanted.end(), n) == wanted.end()) wanted.push_back(n);

  rocksdb::ColumnFamilyOptions cf_options = family_options();
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : wanted) descriptors.emplace_back(n, cf_options);

  auto p = std::make_unique<impl>();
  p->dir = dir;
  p->read_only = opts.read_only;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (opts.read_only) {
    std::vector<rocksdb::ColumnFamilyDescriptor> present;
    for (const auto& d : descriptors)
      if (std::find(existing.begin(), existing.end(), d.name) != existing.end())
        present.push_back(d);
    if (present.size() != descriptors.size())
      return unexpected{"the projections in " + dir.string() +
                        " are missing or incomplete; run fieldline rebuild"};
    s = rocksdb::DB::OpenForReadOnly(db_options, dir.string(), present, &p->all_handles, &raw);
  } else {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    s = rocksdb::DB::Open(db_options, dir.string(), descriptors, &p->all_handles, &raw);
  }
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
    return unexpected{"the projections in " + dir.string() +
                      " are in use by a running fieldline; stop it first (" + s.ToString() + ")"};
  if (!s.ok()) return unexpected{describe(s, "cannot open the projections in " + dir.string())};
  p->db.reset(raw);
  p->meta = p->all_handles[1];
  for (std::size_t i = 0; i < names.size(); ++i) p->families.push_back(p->all_handles[2 + i]);
  return std::unique_ptr<projection_db>(new projection_db(std::move(p), names));
}

projection_db::projection_db(std::unique_ptr<impl> p, std::vector<std::string> names)
    : impl_(std::move(p)), names_(std::move(names)) {}

projection_db::~projection_db() = default;

std::size_t projection_db::family(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return i;
  return names_.size();
}

std::uint64_t projection_db::checkpoint(std::size_t family) const {
  std::string value;
  if (!impl_->db->Get({}, impl_->meta, checkpoint_key(names_.at(family)), &value).ok()) return 0;
  return storage::keys::read_be64(value);
}

std::optional<int> projection_db::stored_version(std::size_t family) const {
  std::string value;
  if (!impl_->db->Get({}, impl_->meta, version_key(names_.at(family)), &value).ok())
    return std::nullopt;
  return static_cast<int>(storage::keys::read_be64(value));
}

expected<void, std::string> projection_db::reset(std::size_t family, int version) {
  return reset(std::vector<std::size_t>{family}, std::vector<int>{version});
}

expected<void, std::string> projection_db::reset(const std::vector<std::size_t>& families,
                                                 const std::vector<int>& versions) {
  if (families.empty()) return {};
  // Dropping a family is instant whatever its size; then empty ones. Each
  // step rewrites the database's manifest and options files once for all.
  std::vector<rocksdb::ColumnFamilyHandle*> dropped;
  std::vector<rocksdb::ColumnFamilyDescriptor> fresh;
  for (auto f : families) {
    dropped.push_back(impl_->families.at(f));
    fresh.emplace_back(names_.at(f), family_options());
  }
  auto s = impl_->db->DropColumnFamilies(dropped);
  if (!s.ok()) return unexpected{describe(s, "cannot drop projections")};
  std::vector<rocksdb::ColumnFamilyHandle*> created;
  s = impl_->db->CreateColumnFamilies(fresh, &created);
  for (std::size_t i = 0; i < created.size(); ++i) {
    auto*& handle = impl_->families.at(families[i]);
    auto all = std::find(impl_->all_handles.begin(), impl_->all_handles.end(), handle);
    impl_->db->DestroyColumnFamilyHandle(handle);
    handle = created[i];
    *all = created[i];
  }
  if (!s.ok()) return unexpected{describe(s, "cannot recreate projections")};
  rocksdb::WriteBatch batch;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const auto& name = names_.at(families[i]);
    batch.Put(impl_->meta, checkpoint_key(name), storage::keys::be64(0));
    batch.Put(impl_->meta, version_key(name),
              storage::keys::be64(static_cast<std::uint64_t>(versions.at(i))));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  s = impl_->db->Write(wo, &batch);
  if (!s.ok()) return unexpected{describe(s, "cannot reset projections")};
  return {};
}

expected<void, std::string> projection_db::commit(const std::vector<family_writes>& writes) {
  rocksdb::WriteBatch batch;
  for (const auto& w : writes) {
    auto* cf = impl_->families.at(w.family);
    // In key order, the memtable's skip list finds each insert position next
    // to the previous one instead of searching from the top.
    for (const auto* entry : in_key_order(*w.writes)) {
      if (!entry->is_delete())
        batch.Put(cf, entry->key(), entry->value());
      else if (!w.nothing_stored)
        batch.Delete(cf, entry->key());
    }
    batch.Put(impl_->meta, checkpoint_key(names_.at(w.family)), storage::keys::be64(w.checkpoint));
  }
  // Not synced: a crash of the process keeps it (the OS has it); a power
  // loss may lose the last writes, but state and checkpoint together, so
  // the projector just applies those events again.
  auto s = impl_->db->Write(rocksdb::WriteOptions{}, &batch);
  if (!s.ok()) return unexpected{describe(s, "cannot commit projections")};
  return {};
}

expected<void, std::string> projection_db::ingest(const std::vector<family_writes>& writes) {
  const auto scratch = impl_->dir / "ingest";
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
  std::filesystem::create_directories(scratch, ec);
  if (ec) return unexpected{"cannot create " + scratch.string() + ": " + ec.message()};
  struct scratch_cleanup {
    std::filesystem::path dir;
    ~scratch_cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{scratch};

  // Each family's writes in key order (sorted side by side: the largest,
  // messages, on a thread of its own), the checkpoints in `meta`.
  write_set checkpoints([](std::string_view) { return std::nullopt; });
  for (const auto& w : writes)
    checkpoints.put(checkpoint_key(names_.at(w.family)), storage::keys::be64(w.checkpoint));
  struct family_entries {
    rocksdb::ColumnFamilyHandle* family;
    std::string name;
    const write_set* writes;
    bool nothing_stored;
    std::span<const write_set::entry* const> entries;
    std::vector<const write_set::entry*> sorted_here;
  };
  std::vector<family_entries> families;
  for (const auto& w : writes)
    if (!w.writes->empty()) {
      families.push_back(
          {impl_->families.at(w.family), names_.at(w.family), w.writes, w.nothing_stored, {}, {}});
      if (w.in_order) families.back().entries = *w.in_order;
    }
  families.push_back({impl_->meta, meta_family, &checkpoints, true, {}, {}});
  // What the caller did not sort is sorted here. A family that holds no key
  // yet gets none of its deletes. The largest (a rebuild's messages) is
  // sorted on two threads of its own.
  std::vector<std::size_t> unsorted;
  for (std::size_t i = 0; i < families.size(); ++i)
    if (families[i].entries.empty()) unsorted.push_back(i);
  auto sort_family = [&](std::size_t i, bool two_threads) {
    auto& f = families[i];
    f.sorted_here = in_key_order(*f.writes, f.nothing_stored, two_threads);
    f.entries = f.sorted_here;
  };
  if (unsorted.size() == 1) {
    sort_family(unsorted[0], false);
  } else {
    in_parts(true, [&](int part) {
      if (part == 0) return sort_family(unsorted[0], true);
      for (std::size_t k = 1; k < unsorted.size(); ++k) sort_family(unsorted[k], false);
    });
  }

  // Table files, written by two threads that each take the next when done
  // with one (see plan_table_files). A family's files never overlap: one
  // ingest takes them, in key order.
  std::vector<std::span<const write_set::entry* const>> sorted;
  for (const auto& f : families) sorted.push_back(f.entries);
  struct table_file {
    planned_file plan;
    std::string path;
    rocksdb::Status written;
  };
  std::vector<table_file> files;
  for (const auto& plan : plan_table_files(sorted))
    files.push_back(
        {plan,
         (scratch / (families[plan.family].name + "." + std::to_string(plan.part) + ".sst"))
             .string(),
         {}});
  std::atomic<std::size_t> next{0};
  in_parts(true, [&](int) {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();)
      files[i].written = write_table_file(files[i].path, files[i].plan.entries);
  });
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return std::tie(a.plan.family, a.plan.part) < std::tie(b.plan.family, b.plan.part);
  });

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& f : files) {
    if (!f.written.ok()) return unexpected{describe(f.written, "cannot write " + f.path)};
    const auto family = families[f.plan.family].family;
    if (args.empty() || args.back().column_family != family) {
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = family;
      arg.options.move_files = true;
      arg.options.allow_blocking_flush = true;  // "meta" holds the versions in its memtable
      args.push_back(std::move(arg));
    }
    args.back().external_files.push_back(f.path);
  }
  auto s = impl_->db->IngestExternalFiles(args);
  if (!s.ok()) return unexpected{describe(s, "cannot ingest projections")};
  return {};
}

std::optional<std::string> projection_db::get(std::size_t family, std::string_view key) const {
  std::string value;
  auto s = impl_->db->Get({}, impl_->families.at(family), key, &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

projection_db::view projection_db::snapshot() const {
  auto s = std::make_unique<view::state>();
  s->owner = this;
  s->db = impl_.get();
  s->snap = impl_->db->GetSnapshot();
  return view(std::move(s));
}

projection_db::view::view(std::unique_ptr<state> s) : s_(std::move(s)) {}
projection_db::view::view(view&&) noexcept = default;
projection_db::view::~view() = default;

std::optional<std::string> projection_db::view::get(std::size_t family,
                                                    std::string_view key) const {
  std::string value;
  auto s = s_->db->db->Get(s_->options(), s_->db->families.at(family), key, &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

std::vector<std::optional<std::string>> projection_db::view::get_many(
    std::size_t family, const std::vector<std::string>& keys) const {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  s_->db->db->MultiGet(s_->options(), s_->db->families.at(family), keys.size(), slices.data(),
                       values.data(), statuses.data());
  std::vector<std::optional<std::string>> out(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (statuses[i].ok()) out[i] = values[i].ToString();
  return out;
}

std::uint64_t projection_db::view::checkpoint(std::size_t family) const {
  std::string value;
  auto key = checkpoint_key(s_->owner->names().at(family));
  if (!s_->db->db->Get(s_->options(), s_->db->meta, key, &value).ok()) return 0;
  return storage::keys::read_be64(value);
}

void projection_db::view::scan(
    std::size_t family, std::string_view from, std::string_view to, bool reverse,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  auto o = s_->options();
  if (from.data() == nullptr) from = std::string_view("", 0);  // RocksDB asserts on null slices
  rocksdb::Slice lower(from.data(), from.size());
  rocksdb::Slice upper(to.data(), to.size());
  o.iterate_lower_bound = &lower;
  if (!to.empty()) o.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(s_->db->db->NewIterator(o, s_->db->families.at(family)));
  if (reverse) {
    if (to.empty())
      it->SeekToLast();
    else
      it->SeekForPrev(upper);
    // SeekForPrev lands on `to` itself when present: the bound is exclusive.
    if (it->Valid() && !to.empty() && it->key() == upper) it->Prev();
    for (; it->Valid(); it->Prev())
      if (!fn(it->key().ToStringView(), it->value().ToStringView())) return;
  } else {
    for (it->Seek(lower); it->Valid(); it->Next())
      if (!fn(it->key().ToStringView(), it->value().ToStringView())) return;
  }
}

projection_db::digest projection_db::digest_of(const view& v, std::size_t family,
                                               std::string_view prefix) const {
  sha256_hasher hasher;
  digest d;
  std::string end = prefix_end(prefix);
  v.scan(family, prefix, end, false, [&](std::string_view key, std::string_view value) {
    hasher.update(storage::keys::be64(key.size())).update(key);
    hasher.update(storage::keys::be64(value.size())).update(value);
    ++d.keys;
    return true;
  });
  d.hash = hasher.finish();
  return d;
}

}  // namespace fl::projections
