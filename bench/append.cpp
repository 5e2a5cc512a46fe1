// Append throughput and latency of the event store, sync on, at several
// numbers of concurrent appenders; against the raw ceiling measured in the
// same run: one thread writing synced RocksDB WriteBatches of the group size
// the store reached. Prints figures; asserts no time.

#include <CLI/CLI.hpp>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/realistic_events.hpp"
#include "storage/event_store.hpp"

namespace fl::bench {
namespace {

struct settings {
  std::vector<unsigned> appenders{1, 8, 64};
  double seconds = 8;
  double warmup = 1;
  std::uint64_t tenants = 50;
  bool external_ids = false;
  bool awake_ceiling = true;
  bool store_only = false;
  std::string dir = "/work/benchdata/append";
  bool keep = false;
};

struct store_figures {
  double events_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double events_per_round = 0;
  std::uint64_t events = 0;
  std::uint64_t rounds = 0;
  double avg_record_bytes = 0;
  double cpu_us_per_event = 0;             // process CPU time (all threads) per event
  double appender_cpu_us_per_event = 0;    // of which the appending threads'
  double writer_cpu_us_per_event = -1;     // and the store's writer thread (-1: not found)
  std::vector<std::string> sample_values;  // stored records, for the ceiling
};

struct ceiling_figures {
  double events_per_s = 0;
  double write_p50_ms = 0;
  double write_p99_ms = 0;
  double cpu_us_per_event = 0;
};

enum phase : int { warming = 0, measuring = 1, stopping = 2 };

double ms(std::uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

store_figures run_store(const settings& s, unsigned appenders, const std::filesystem::path& dir) {
  // The writer calls this once per group commit that writes; it only counts.
  auto rounds = std::make_shared<std::atomic<std::uint64_t>>(0);
  storage::store_options options;
  options.inject_write_failure = [rounds](std::uint64_t round) {
    rounds->store(round, std::memory_order_relaxed);
    return false;
  };
  // The store's writer thread is among the unnamed threads open() starts
  // (RocksDB names its workers, not its timer): the busiest of them.
  std::string own_name;
  std::getline(std::ifstream("/proc/self/comm"), own_name);
  const auto before = threads_named(own_name);
  auto opened = storage::event_store::open(dir, std::move(options));
  if (!opened) throw std::runtime_error("open: " + opened.error().message);
  auto& store = **opened;
  std::vector<int> candidates;
  for (int tid : threads_named(own_name))
    if (std::find(before.begin(), before.end(), tid) == before.end()) candidates.push_back(tid);
  auto candidates_cpu = [&] {
    std::vector<double> out;
    for (int tid : candidates) out.push_back(task_cpu_seconds(tid));
    return out;
  };

  std::atomic<int> ph{warming};
  std::vector<std::vector<std::uint64_t>> latencies(appenders);
  std::vector<double> appender_cpu(appenders, 0);
  std::mutex error_mu;
  std::string error;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < appenders; ++t) {
    threads.emplace_back([&, t] {
      const conversation c = make_conversation(t, s.tenants);
      auto& mine = latencies[t];
      mine.reserve(1 << 16);
      std::uint64_t version = 0;
      double cpu_from = -1;
      while (ph.load(std::memory_order_relaxed) != stopping) {
        const bool measured = ph.load(std::memory_order_relaxed) == measuring;
        if (measured && cpu_from < 0) cpu_from = thread_cpu_seconds();
        storage::append_request r{c.tenant,
                                  c.stream,
                                  storage::expected_version::exactly(version),
                                  {conversation_event(c, version)},
                                  std::nullopt};
        if (s.external_ids)
          if (auto* in = std::get_if<events::sms_received>(&r.events.front()))
            r.external_id = in->message_sid;
        const auto start = bench_clock::now();
        auto out = store.append(std::move(r));
        const auto took = bench_clock::now() - start;
        if (!out) {
          std::lock_guard lk(error_mu);
          error = out.error().message;
          ph = stopping;
          break;
        }
        version = out->stream_version;
        if (measured)
          mine.push_back(static_cast<std::uint64_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()));
      }
      if (cpu_from >= 0) appender_cpu[t] = thread_cpu_seconds() - cpu_from;
    });
  }

  std::this_thread::sleep_for(std::chrono::duration<double>(s.warmup));
  const std::uint64_t pos0 = store.last_position();
  const std::uint64_t rounds0 = rounds->load();
  const auto t0 = bench_clock::now();
  const double cpu0 = process_cpu_seconds();
  const auto writer0 = candidates_cpu();
  int warm = warming;
  ph.compare_exchange_strong(warm, measuring);  // unless an appender failed meanwhile
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  const std::uint64_t pos1 = store.last_position();
  const std::uint64_t rounds1 = rounds->load();
  const double elapsed = seconds_since(t0);
  const double cpu = process_cpu_seconds() - cpu0;
  const auto writer1 = candidates_cpu();
  ph = stopping;
  for (auto& th : threads) th.join();
  if (!error.empty()) throw std::runtime_error("append: " + error);

  store_figures f;
  f.events = pos1 - pos0;
  f.rounds = rounds1 - rounds0;
  f.events_per_s = static_cast<double>(f.events) / elapsed;
  f.cpu_us_per_event = f.events ? cpu * 1e6 / static_cast<double>(f.events) : 0;
  double appenders_cpu = 0;
  for (double c : appender_cpu) appenders_cpu += c;
  f.appender_cpu_us_per_event = f.events ? appenders_cpu * 1e6 / static_cast<double>(f.events) : 0;
  double writer_cpu = -1;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (writer0[i] >= 0 && writer1[i] >= 0)
      writer_cpu = std::max(writer_cpu, writer1[i] - writer0[i]);
  if (f.events && writer_cpu >= 0)
    f.writer_cpu_us_per_event = writer_cpu * 1e6 / static_cast<double>(f.events);
  f.events_per_round = f.rounds ? static_cast<double>(f.events) / static_cast<double>(f.rounds) : 0;
  std::vector<std::uint64_t> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  f.p50_ms = ms(percentile(all, 0.50));
  f.p99_ms = ms(percentile(all, 0.99));

  // The records as stored, for their size and as the ceiling's values.
  std::uint64_t bytes = 0, count = 0;
  auto walked = store.for_each_stored(1, [&](std::uint64_t, std::string_view value) {
    bytes += value.size();
    ++count;
    if (f.sample_values.size() < 4096) f.sample_values.emplace_back(value);
    return true;
  });
  if (!walked) throw std::runtime_error("for_each_stored: " + walked.error().message);
  f.avg_record_bytes = count ? static_cast<double>(bytes) / static_cast<double>(count) : 0;
  return f;
}

std::string be64(std::uint64_t n) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, n >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(n);
  return out;
}

// One thread writing synced batches whose sizes average `group` (sizes
// alternate between floor and ceil), values cycled from `values`, into a
// fresh DB with the options the store opens its DB with. With `awake`, a
// second thread spins meanwhile so that no vCPU halts while the sync is in
// flight (on this VM an idle vCPU sees the sync complete milliseconds late).
ceiling_figures run_ceiling(const settings& s, double group, const std::vector<std::string>& values,
                            const std::filesystem::path& dir, bool awake) {
  std::atomic<bool> spin{awake};
  std::thread spinner;
  if (awake)
    spinner = std::thread([&spin] {
      volatile std::uint64_t n = 0;
      while (spin.load(std::memory_order_relaxed)) n = n + 1;
    });
  rocksdb::Options o;
  o.create_if_missing = true;
  o.create_missing_column_families = true;
  o.paranoid_checks = true;
  o.IncreaseParallelism(2);
  std::vector<rocksdb::ColumnFamilyDescriptor> families{
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {"log", rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto st = rocksdb::DB::Open(o, dir.string(), families, &handles, &raw);
  if (!st.ok()) throw std::runtime_error("ceiling open: " + st.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);

  if (values.empty()) throw std::runtime_error("ceiling: no sample records");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (group < 1) group = 1;
  std::uint64_t position = 0, batches = 0;
  std::vector<std::uint64_t> write_ns;
  write_ns.reserve(1 << 16);
  std::uint64_t events_in_window = 0;
  double cpu0 = -1;
  const auto start = bench_clock::now();
  const auto measure_from = start + std::chrono::duration_cast<bench_clock::duration>(
                                        std::chrono::duration<double>(s.warmup));
  const auto measure_to = measure_from + std::chrono::duration_cast<bench_clock::duration>(
                                             std::chrono::duration<double>(s.seconds));
  for (;;) {
    const auto now = bench_clock::now();
    if (now >= measure_to) break;
    if (now >= measure_from && cpu0 < 0) cpu0 = process_cpu_seconds();
    const auto n = static_cast<std::uint64_t>(std::floor(static_cast<double>(batches + 1) * group) -
                                              std::floor(static_cast<double>(batches) * group));
    ++batches;
    rocksdb::WriteBatch batch;
    for (std::uint64_t i = 0; i < n; ++i) {
      ++position;
      st = batch.Put(handles[1], be64(position), values[position % values.size()]);
      if (!st.ok()) throw std::runtime_error("ceiling put: " + st.ToString());
    }
    const auto w0 = bench_clock::now();
    st = db->Write(sync, &batch);
    const auto w1 = bench_clock::now();
    if (!st.ok()) throw std::runtime_error("ceiling write: " + st.ToString());
    if (now >= measure_from) {
      events_in_window += n;
      write_ns.push_back(static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(w1 - w0).count()));
    }
  }
  ceiling_figures f;
  f.events_per_s = static_cast<double>(events_in_window) /
                   std::chrono::duration<double>(measure_to - measure_from).count();
  if (events_in_window > 0)
    f.cpu_us_per_event =
        (process_cpu_seconds() - cpu0) * 1e6 / static_cast<double>(events_in_window);
  f.write_p50_ms = ms(percentile(write_ns, 0.50));
  f.write_p99_ms = ms(percentile(write_ns, 0.99));
  spin = false;
  if (spinner.joinable()) spinner.join();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  return f;
}

int run(const settings& s) {
  scratch_dir data(s.dir, s.keep);
  std::printf(
      "append benchmark: sync on, 1 event per append, own stream per appender, %g s "
      "warm-up + %g s measured per level%s\n",
      s.warmup, s.seconds, s.external_ids ? ", external ids on inbound texts" : "");
  std::printf("%s\n\n", machine_line(data.path()).c_str());
  std::printf("%9s %9s %7s %7s %8s %5s %6s %6s %6s | %9s %7s %7s %6s %5s", "", "store", "", "", "",
              "", "", "", "", "ceiling", "", "", "", "");
  if (s.awake_ceiling) std::printf(" | %9s %7s %5s", "awake", "", "");
  std::printf("\n%9s %9s %7s %7s %8s %5s %6s %6s %6s | %9s %7s %7s %6s %5s", "appenders",
              "events/s", "p50 ms", "p99 ms", "ev/round", "rec B", "cpu us", "apndrs", "writer",
              "events/s", "p50 ms", "p99 ms", "cpu us", "ratio");
  if (s.awake_ceiling) std::printf(" | %9s %7s %5s", "events/s", "p50 ms", "ratio");
  std::printf("\n");
  double ratio = 0, awake_ratio = 0;
  for (unsigned n : s.appenders) {
    const auto tag = std::to_string(n);
    store_figures st = run_store(s, n, data / ("store-" + tag));
    std::filesystem::remove_all(data / ("store-" + tag));
    if (s.store_only) {
      std::printf("%9u %9.0f %7.2f %7.2f %8.2f %5.0f %6.1f %6.1f %6.1f |\n", n, st.events_per_s,
                  st.p50_ms, st.p99_ms, st.events_per_round, st.avg_record_bytes,
                  st.cpu_us_per_event, st.appender_cpu_us_per_event, st.writer_cpu_us_per_event);
      continue;
    }
    ceiling_figures ce =
        run_ceiling(s, st.events_per_round, st.sample_values, data / ("ceiling-" + tag), false);
    std::filesystem::remove_all(data / ("ceiling-" + tag));
    ratio = ce.events_per_s > 0 ? st.events_per_s / ce.events_per_s : 0;
    std::printf(
        "%9u %9.0f %7.2f %7.2f %8.2f %5.0f %6.1f %6.1f %6.1f | %9.0f %7.2f %7.2f %6.1f %5.2f", n,
        st.events_per_s, st.p50_ms, st.p99_ms, st.events_per_round, st.avg_record_bytes,
        st.cpu_us_per_event, st.appender_cpu_us_per_event, st.writer_cpu_us_per_event,
        ce.events_per_s, ce.write_p50_ms, ce.write_p99_ms, ce.cpu_us_per_event, ratio);
    if (s.awake_ceiling) {
      ceiling_figures aw =
          run_ceiling(s, st.events_per_round, st.sample_values, data / ("awake-" + tag), true);
      std::filesystem::remove_all(data / ("awake-" + tag));
      awake_ratio = aw.events_per_s > 0 ? st.events_per_s / aw.events_per_s : 0;
      std::printf(" | %9.0f %7.2f %5.2f", aw.events_per_s, aw.write_p50_ms, awake_ratio);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  std::printf(
      "\nstore: events/s acknowledged; p50/p99 of append(); ev/round: events per group commit "
      "(counted through the store's per-round hook); rec B: mean stored record;\ncpu us: process "
      "CPU time (all threads) per event; apndrs, writer: the appending threads' and the store's "
      "writer thread's parts of it.\n"
      "ceiling: one thread writing synced RocksDB WriteBatches of ev/round such records into a "
      "fresh DB; p50/p99 of Write(); ratio = store / ceiling.\n");
  if (s.awake_ceiling)
    std::printf(
        "awake: the same ceiling with a second thread spinning, so no vCPU idles while "
        "the sync is in flight.\n");
  if (!s.store_only && !s.appenders.empty() && s.appenders.back() == 64) {
    std::printf("target (store >= 0.80 x ceiling at 64 appenders): %s, ratio %.2f",
                ratio >= 0.8 ? "met" : "missed", ratio);
    if (s.awake_ceiling) std::printf(" (%.2f against the awake ceiling)", awake_ratio);
    std::printf("\n");
  }
  return 0;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{"Event store append benchmark (sync on) against a raw RocksDB ceiling"};
  app.add_option("--appenders", s.appenders, "concurrency levels, e.g. 1,8,64")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--seconds", s.seconds, "measured seconds per level")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", s.warmup, "warm-up seconds per level")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--tenants", s.tenants, "tenants the appenders' streams belong to")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--external-ids", s.external_ids,
               "give inbound texts their MessageSid as external id (dedupe lookup per append)");
  app.add_flag("!--no-awake-ceiling", s.awake_ceiling,
               "skip the ceiling run with a spinning thread keeping the CPU awake");
  app.add_flag("--store-only", s.store_only, "skip the ceilings (for profiling the store)");
  app.add_option("--dir", s.dir, "scratch data directory (removed afterwards)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory");
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "append benchmark failed: %s\n", e.what());
    return 1;
  }
}
