// Replay throughput: what a projection rebuild does, reading the whole log in
// order with `read_all` in batches and decoding every event. Measured in the
// same run against two ceilings: iterating the RocksDB "log" column family
// without decoding, and `decode_record` alone over values in memory. Prints
// figures; asserts no time.

#include <CLI/CLI.hpp>
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/realistic_events.hpp"
#include "events/record.hpp"
#include "storage/event_store.hpp"

namespace fl::bench {
namespace {

struct settings {
  std::uint64_t events = 1'000'000;
  std::uint64_t streams = 10'000;
  std::uint64_t tenants = 100;
  std::uint64_t per_append = 5;
  std::uint64_t in_flight = 1000;
  std::size_t batch = 1000;
  int repeat = 3;
  std::string dir = "/work/benchdata/replay";
  bool keep = false;
  bool reuse = false;
  bool cold = true;
};

struct pass_figures {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // CPU time of the thread doing the pass
  double cpu_us_per_event() const {
    return events ? cpu_seconds * 1e6 / static_cast<double>(events) : 0;
  }
  double events_per_s() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
};

// Writes `s.events` events round-robin over `s.streams` conversations, each
// request `s.per_append` consecutive events of one conversation, with up to
// `s.in_flight` requests queued (the writer commits them in large groups).
pass_figures write_log(const settings& s, const std::filesystem::path& dir) {
  auto opened = storage::event_store::open(dir);
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  auto& store = **opened;

  std::vector<conversation> conversations;
  conversations.reserve(s.streams);
  for (std::uint64_t c = 0; c < s.streams; ++c)
    conversations.push_back(make_conversation(c, s.tenants));
  std::vector<std::uint64_t> next(s.streams, 0);

  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t outstanding = 0;
  std::string error;
  auto done = [&](storage::append_outcome out) {
    std::lock_guard lk(mu);
    if (!out && error.empty()) error = out.error().message;
    --outstanding;
    cv.notify_one();
  };

  const auto start = bench_clock::now();
  std::uint64_t written = 0;
  for (std::uint64_t j = 0; written < s.events; ++j) {
    const std::uint64_t c = j % s.streams;
    const auto& conv = conversations[c];
    storage::append_request r{
        conv.tenant, conv.stream, storage::expected_version::exactly(next[c]), {}, std::nullopt};
    for (std::uint64_t k = 0; k < s.per_append && written < s.events; ++k, ++written)
      r.events.push_back(conversation_event(conv, next[c]++));
    {
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return outstanding < s.in_flight; });
      if (!error.empty()) break;
      ++outstanding;
    }
    store.append_async(std::move(r), done);
  }
  {
    std::unique_lock lk(mu);
    cv.wait(lk, [&] { return outstanding == 0; });
  }
  if (!error.empty()) throw std::runtime_error("append: " + error);
  pass_figures f;
  f.events = store.last_position();
  f.seconds = seconds_since(start);
  return f;
}

rocksdb::Options db_options() {  // as the store opens its DB
  rocksdb::Options o;
  o.paranoid_checks = true;
  o.IncreaseParallelism(2);
  return o;
}

// The store's DB opened directly, with all of its column families.
struct raw_db {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // [1] is "log"

  raw_db(const std::filesystem::path& dir, bool read_only) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name :
         {rocksdb::kDefaultColumnFamilyName.c_str(), "log", "streams", "tenants", "dedupe", "meta"})
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    auto st = read_only ? rocksdb::DB::OpenForReadOnly(db_options(), dir.string(), families,
                                                       &handles, &raw)
                        : rocksdb::DB::Open(db_options(), dir.string(), families, &handles, &raw);
    if (!st.ok()) throw std::runtime_error("raw open: " + st.ToString());
    db.reset(raw);
  }
  ~raw_db() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db->Close().PermitUncheckedError();
  }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;
};

// Flushes the memtables and waits for compactions to finish, so that the
// passes read a settled LSM tree and no background work competes with them.
std::string settle(const std::filesystem::path& dir) {
  raw_db r(dir, false);
  auto st = r.db->Flush(rocksdb::FlushOptions(), r.handles);
  if (!st.ok()) throw std::runtime_error("flush: " + st.ToString());
  for (;;) {
    std::uint64_t busy = 0, v = 0;
    for (auto* h : r.handles) {
      for (const auto& p : {rocksdb::DB::Properties::kCompactionPending,
                            rocksdb::DB::Properties::kMemTableFlushPending}) {
        if (r.db->GetIntProperty(h, p, &v)) busy += v;
      }
    }
    if (r.db->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &v)) busy += v;
    if (r.db->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &v)) busy += v;
    if (busy == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string levels;
  for (int level = 0; level < 7; ++level) {
    std::string n;
    r.db->GetProperty(r.handles[1],
                      rocksdb::DB::Properties::kNumFilesAtLevelPrefix + std::to_string(level), &n);
    if (n != "0") levels += " L" + std::to_string(level) + "=" + n;
  }
  std::uint64_t size = 0;
  r.db->GetIntProperty(r.handles[1], rocksdb::DB::Properties::kTotalSstFilesSize, &size);
  return "log column family: " + std::to_string(size / 1000000) + " MB in SST files," + levels;
}

// The read options `read_all` scans the log with (storage/event_store_read.cpp).
rocksdb::ReadOptions scan_options(const rocksdb::Slice* upper) {
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = upper;
  ro.fill_cache = false;
  return ro;
}

struct pass_timer {
  bench_clock::time_point start = bench_clock::now();
  double cpu0 = thread_cpu_seconds();
  void stop(pass_figures& f) const {
    f.seconds = seconds_since(start);
    f.cpu_seconds = thread_cpu_seconds() - cpu0;
  }
};

// Iterates the "log" column family as `read_all` does (same read options and
// upper bound), touching keys and values. With `decode`, also decodes each
// value and drops it: the scan and the codec without read_all's batches.
pass_figures raw_scan(const std::filesystem::path& dir, bool decode) {
  raw_db r(dir, true);
  pass_figures f;
  std::uint64_t check = 0;
  pass_timer timer;
  std::string upper_key(8, '\xff');
  rocksdb::Slice upper(upper_key);
  std::unique_ptr<rocksdb::Iterator> it(r.db->NewIterator(scan_options(&upper), r.handles[1]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++f.events;
    f.bytes += it->value().size();
    check += static_cast<unsigned char>(it->key()[7]) + static_cast<unsigned char>(it->value()[0]);
    if (decode) {
      auto rec = events::decode_record(it->value().ToStringView());
      if (!rec) throw std::runtime_error("decode: " + rec.error().message);
      check += rec->version + rec->data.index();
    }
  }
  if (!it->status().ok()) throw std::runtime_error("scan: " + it->status().ToString());
  timer.stop(f);
  if (check == 42) std::printf(" ");  // keeps the loop's reads observable
  return f;
}

// A projection rebuild: `read_all` from position 1 in batches, every event
// decoded by the store.
pass_figures store_replay(const std::filesystem::path& dir, std::size_t batch) {
  auto opened = storage::event_store::open(dir);
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  auto& store = **opened;
  pass_figures f;
  std::uint64_t check = 0;
  pass_timer timer;
  for (std::uint64_t from = 1;;) {
    auto events = store.read_all(from, batch);
    if (!events) throw std::runtime_error("read_all: " + events.error().message);
    if (events->empty()) break;
    for (const auto& e : *events) check += e.version + e.data.index() + e.stream.size();
    f.events += events->size();
    from = events->back().position + 1;
  }
  timer.stop(f);
  if (check == 42) std::printf(" ");
  return f;
}

// A projection rebuild through `replay`: a read-ahead thread scans RocksDB
// while this one decodes (both cores).
pass_figures store_pipelined_replay(const std::filesystem::path& dir, std::size_t batch) {
  auto opened = storage::event_store::open(dir);
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  auto& store = **opened;
  pass_figures f;
  std::uint64_t check = 0;
  pass_timer timer;
  auto done = store.replay(
      1, UINT64_MAX,
      [&](std::span<const events::recorded_event> events) {
        for (const auto& e : events) check += e.version + e.data.index() + e.stream.size();
        f.events += events.size();
        return true;
      },
      batch);
  if (!done) throw std::runtime_error("replay: " + done.error().message);
  timer.stop(f);
  if (check == 42) std::printf(" ");
  return f;
}

// Every stored value, copied into memory.
std::vector<std::string> load_values(const std::filesystem::path& dir) {
  std::vector<std::string> values;
  raw_db r(dir, true);
  std::unique_ptr<rocksdb::Iterator> it(r.db->NewIterator(scan_options(nullptr), r.handles[1]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) values.emplace_back(it->value().ToStringView());
  return values;
}

// `decode_record` alone, over stored values held in memory.
pass_figures decode_only(const std::vector<std::string>& values) {
  pass_figures f;
  std::uint64_t check = 0;
  pass_timer timer;
  for (const auto& v : values) {
    auto rec = events::decode_record(v);
    if (!rec) throw std::runtime_error("decode: " + rec.error().message);
    check += rec->version + rec->data.index();
    f.bytes += v.size();
  }
  timer.stop(f);
  f.events = values.size();
  if (check == 42) std::printf(" ");
  return f;
}

// Runs `pass` `repeat` times; the run with the median wall time.
template <class Pass>
pass_figures median_of(int repeat, Pass pass) {
  std::vector<pass_figures> runs;
  for (int i = 0; i < std::max(repeat, 1); ++i) runs.push_back(pass());
  std::sort(runs.begin(), runs.end(),
            [](const pass_figures& a, const pass_figures& b) { return a.seconds < b.seconds; });
  return runs[runs.size() / 2];
}

void print_row(const char* pass, const char* cache, const pass_figures& f, double raw) {
  std::printf("%-34s %-5s %10.0f %7.2f %7.2f %7.2f", pass, cache, f.events_per_s(),
              f.events ? f.seconds * 1e6 / static_cast<double>(f.events) : 0, f.cpu_us_per_event(),
              f.seconds);
  if (raw > 0)
    std::printf(" %6.2f\n", f.events_per_s() / raw);
  else
    std::printf(" %6s\n", "-");
  std::fflush(stdout);
}

int run(const settings& s) {
  scratch_dir data(s.dir, s.keep || s.reuse, s.reuse);
  const auto store_dir = data / "store";
  std::printf(
      "replay benchmark: %llu events over %llu streams (%llu tenants), read_all batches "
      "of %zu\n",
      static_cast<unsigned long long>(s.events), static_cast<unsigned long long>(s.streams),
      static_cast<unsigned long long>(s.tenants), s.batch);
  std::printf("%s\n", machine_line(data.path()).c_str());

  if (!std::filesystem::exists(store_dir / "CURRENT")) {
    pass_figures w = write_log(s, store_dir);
    std::printf(
        "written: %llu events in %.1f s (%.0f events/s, %llu per append, %llu appends in "
        "flight)\n",
        static_cast<unsigned long long>(w.events), w.seconds, w.events_per_s(),
        static_cast<unsigned long long>(s.per_append),
        static_cast<unsigned long long>(s.in_flight));
  } else {
    std::printf("reusing the log in %s\n", store_dir.c_str());
  }
  std::printf("%s\n\n", settle(store_dir).c_str());

  std::printf("%-34s %-5s %10s %7s %7s %7s %6s\n", "pass", "cache", "events/s", "us/ev", "cpu us",
              "seconds", "vs raw");
  pass_figures raw_cold, store_cold, replay_cold;
  if (s.cold) {
    evict_page_cache(store_dir);
    raw_cold = raw_scan(store_dir, false);
    print_row("raw scan of \"log\" (no decode)", "cold", raw_cold, 0);
    evict_page_cache(store_dir);
    store_cold = store_replay(store_dir, s.batch);
    print_row("read_all + decode", "cold", store_cold, raw_cold.events_per_s());
    evict_page_cache(store_dir);
    replay_cold = store_pipelined_replay(store_dir, s.batch);
    print_row("replay (read-ahead + decode)", "cold", replay_cold, raw_cold.events_per_s());
  }
  const auto raw_warm = median_of(s.repeat, [&] { return raw_scan(store_dir, false); });
  print_row("raw scan of \"log\" (no decode)", "warm", raw_warm, 0);
  const auto store_warm = median_of(s.repeat, [&] { return store_replay(store_dir, s.batch); });
  print_row("read_all + decode", "warm", store_warm, raw_warm.events_per_s());
  const auto replay_warm =
      median_of(s.repeat, [&] { return store_pipelined_replay(store_dir, s.batch); });
  print_row("replay (read-ahead + decode)", "warm", replay_warm, raw_warm.events_per_s());
  const auto scan_decode = median_of(s.repeat, [&] { return raw_scan(store_dir, true); });
  print_row("raw scan + decode_record, no batch", "warm", scan_decode, raw_warm.events_per_s());
  const auto values = load_values(store_dir);
  const auto decoded = median_of(s.repeat, [&] { return decode_only(values); });
  print_row("decode_record only (in memory)", "-", decoded, 0);

  const double avg =
      raw_warm.events ? static_cast<double>(raw_warm.bytes) / static_cast<double>(raw_warm.events)
                      : 0;
  std::printf(
      "\nus/ev: wall time per event; cpu us: CPU time of the reading thread per event "
      "(wall above cpu means the thread waited: disk, or other processes on the "
      "cores).\ncold: our files' pages dropped from the page cache first "
      "(posix_fadvise); warm: median of %d runs. Mean stored record: %.0f B.\n",
      std::max(s.repeat, 1), avg);
  const double target = 500000;
  std::printf("target >= %.0f events/s: warm %s (%.0f)", target,
              replay_warm.events_per_s() >= target ? "met" : "missed", replay_warm.events_per_s());
  if (s.cold)
    std::printf(", cold %s (%.0f)", replay_cold.events_per_s() >= target ? "met" : "missed",
                replay_cold.events_per_s());
  std::printf("\n");
  return 0;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{"Event store replay benchmark (read_all + decode) against raw ceilings"};
  app.add_option("--events", s.events, "events to write and replay")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--streams", s.streams, "conversation streams")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tenants", s.tenants, "tenants")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--per-append", s.per_append, "events per append request while writing")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--in-flight", s.in_flight, "append requests queued at once while writing")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--batch", s.batch, "read_all batch size")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--repeat", s.repeat, "runs of each warm pass (the median is shown)")
      ->capture_default_str();
  app.add_option("--dir", s.dir, "scratch data directory (removed afterwards)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory");
  app.add_flag("--reuse", s.reuse,
               "reuse the log an earlier --keep run left in --dir (implies --keep)");
  app.add_flag("!--no-cold", s.cold, "skip the cold-cache passes");
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay benchmark failed: %s\n", e.what());
    return 1;
  }
}
