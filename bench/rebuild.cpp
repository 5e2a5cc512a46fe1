// Projection rebuild throughput: `rebuild_all` over a realistic log, against
// the replay alone (reading and decoding the log, applying nothing) measured
// in the same run, and each projection rebuilt on its own. With --readyz:
// the time from starting `fieldline serve` on a large log whose projections
// are caught up to the first 200 from GET /readyz. Prints figures; asserts
// no time.

#include "projections/rebuild.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/read_side_log.hpp"
#include "bench/serve_child.hpp"
#include "bench/settle_db.hpp"
#include "projections/projector.hpp"
#include "storage/event_store.hpp"

namespace fl::bench {
namespace {

struct settings {
  log_shape shape;
  int repeat = 3;
  bool singles = true;
  bool readyz = false;
  int readyz_runs = 3;
  std::string dir;
  bool keep = false;
  bool reuse = false;
  bool fresh_projections = false;
  std::string binary = FL_BINARY;
};

struct timed {
  double seconds = 0;
  double cpu_seconds = 0;  // the whole process: the replay's reader thread and RocksDB's too
  std::uint64_t events = 0;
  double per_s() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
  double cpu_us() const { return events ? cpu_seconds * 1e6 / static_cast<double>(events) : 0; }
};

timed time_it(const std::function<std::uint64_t()>& pass) {
  timed t;
  const double cpu0 = process_cpu_seconds();
  const auto start = bench_clock::now();
  t.events = pass();
  t.seconds = seconds_since(start);
  t.cpu_seconds = process_cpu_seconds() - cpu0;
  return t;
}

template <class T>
T must(expected<T, std::string> v, const std::string& what) {
  if (!v) throw std::runtime_error(what + ": " + v.error());
  if constexpr (!std::is_void_v<T>) return std::move(*v);
}

std::string with_commas(double v) {
  std::string digits = std::to_string(static_cast<std::uint64_t>(v + 0.5)), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::uint64_t dir_bytes(const std::filesystem::path& dir) {
  std::uint64_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

bool has_log(const std::filesystem::path& data) {
  return std::filesystem::exists(data / "CURRENT");
}

std::unique_ptr<storage::event_store> open_read_only(const std::filesystem::path& data) {
  storage::store_options o;
  o.read_only = true;
  o.create_if_missing = false;
  auto store = storage::event_store::open(data, o);
  if (!store) throw std::runtime_error("open " + data.string() + ": " + store.error().message);
  return std::move(*store);
}

// Writes the log unless --reuse found one; settles it either way.
void prepare_log(const settings& s, const std::filesystem::path& data) {
  if (s.reuse && has_log(data)) {
    std::printf("log: reusing %s\n", data.string().c_str());
  } else {
    std::printf("log: writing %s events over %s conversations of %s tenants...\n",
                with_commas(static_cast<double>(s.shape.events)).c_str(),
                with_commas(static_cast<double>(s.shape.conversations)).c_str(),
                with_commas(static_cast<double>(s.shape.tenants)).c_str());
    std::fflush(stdout);
    auto written = write_read_side_log(data, s.shape);
    std::printf("log: %s events (%s texts) appended in %.1f s (%s events/s)\n",
                with_commas(static_cast<double>(written.events)).c_str(),
                with_commas(static_cast<double>(written.messages)).c_str(), written.seconds,
                with_commas(static_cast<double>(written.events) / written.seconds).c_str());
  }
  const auto start = bench_clock::now();
  const std::uint64_t sst = settle_db(data);
  std::printf("log: settled (flushed, no compaction pending) in %.1f s: %.0f MB of SST\n",
              seconds_since(start), static_cast<double>(sst) / 1e6);
  std::fflush(stdout);
}

// Rebuilds only `which` (an index into projection_set::all()) into `dir`.
std::uint64_t rebuild_one(const storage::event_store& store, const std::filesystem::path& dir,
                          std::size_t which) {
  std::filesystem::remove_all(dir);
  projections::projection_set set;
  auto* p = set.all().at(which);
  auto db =
      must(projections::projection_db::open(dir, {std::string(p->name())}), "open projections");
  projections::projector one(*db, {p});
  must(one.reset_all(), "reset");
  must(one.catch_up(store), "rebuild " + std::string(p->name()));
  return one.position();
}

// What rebuild_all does, step by step, timed: where its time goes.
void rebuild_in_steps(const storage::event_store& store, const std::filesystem::path& dir) {
  const auto t0 = bench_clock::now();
  auto db = must(projections::projection_db::open(dir, projections::projection_set::names()),
                 "open projections");
  const auto t1 = bench_clock::now();
  std::uint64_t applied = 0;
  {
    projections::projection_set set;
    projections::projector p(*db, set.all());
    must(p.reset_all(), "reset");
    const auto t2 = bench_clock::now();
    const double cpu0 = thread_cpu_seconds();
    must(p.catch_up(store), "catch up");
    applied = p.position();
    const double cpu = thread_cpu_seconds() - cpu0;
    const auto t3 = bench_clock::now();
    std::printf(
        "rebuild_all in steps: open %.2f s, reset %.2f s, apply %.2f s (%s events/s; the "
        "applying thread's CPU %.2f us/event)",
        std::chrono::duration<double>(t1 - t0).count(),
        std::chrono::duration<double>(t2 - t1).count(),
        std::chrono::duration<double>(t3 - t2).count(),
        with_commas(static_cast<double>(applied) / std::chrono::duration<double>(t3 - t2).count())
            .c_str(),
        cpu * 1e6 / static_cast<double>(std::max<std::uint64_t>(applied, 1)));
  }
  const auto t4 = bench_clock::now();
  db.reset();
  std::printf(", close %.2f s\n", seconds_since(t4));
  std::fflush(stdout);
}

void print_row(const char* what, const timed& t, const timed* base) {
  std::printf("%-34s %10s %8.2f %9.2f %9.2f", what, with_commas(t.per_s()).c_str(), t.seconds,
              t.seconds * 1e6 / static_cast<double>(std::max<std::uint64_t>(t.events, 1)),
              t.cpu_us());
  if (base)
    std::printf(" %+10.2f", (t.seconds - base->seconds) * 1e6 /
                                static_cast<double>(std::max<std::uint64_t>(t.events, 1)));
  std::printf("\n");
  std::fflush(stdout);
}

int run_throughput(const settings& s) {
  scratch_dir scratch(s.dir, s.keep, s.reuse);
  const auto data = scratch / "data";
  std::printf("rebuild benchmark: projections::rebuild_all over a realistic log\n");
  std::printf("%s\n", machine_line(scratch.path()).c_str());
  std::printf("date: %s; %s\n", utc_now().c_str(), commit_line(FL_SOURCE_DIR).c_str());
  prepare_log(s, data);

  auto store = open_read_only(data);
  const std::uint64_t last = store->last_position();
  std::printf("\n%-34s %10s %8s %9s %9s %10s\n", "pass", "events/s", "s", "us/event", "cpu us/ev",
              "vs replay");

  const timed replay = time_it([&] {
    std::uint64_t n = 0;
    auto r = store->replay(
        1, last,
        [&](std::span<const events::recorded_event> batch) {
          n += batch.size();
          return true;
        },
        4096);
    if (!r) throw std::runtime_error("replay: " + r.error().message);
    return n;
  });
  print_row("replay only (the ceiling)", replay, nullptr);

  std::vector<timed> runs;
  const auto dir = projections::projections_dir(data);
  for (int i = 0; i < s.repeat; ++i) {
    runs.push_back(
        time_it([&] { return must(projections::rebuild_all(*store, dir), "rebuild_all"); }));
    print_row(("rebuild_all, run " + std::to_string(i + 1)).c_str(), runs.back(), &replay);
  }
  std::vector<timed> sorted = runs;
  std::sort(sorted.begin(), sorted.end(),
            [](const timed& a, const timed& b) { return a.seconds < b.seconds; });
  const timed median = sorted.empty() ? timed{} : sorted[sorted.size() / 2];

  rebuild_in_steps(*store, dir);
  if (s.singles) {
    const auto names = projections::projection_set::names();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto t = time_it([&] { return rebuild_one(*store, scratch / "single", i); });
      print_row(("only " + names[i]).c_str(), t, &replay);
    }
    std::filesystem::remove_all(scratch / "single");
  }
  std::printf(
      "\nevents/s: log events applied per second of wall time; cpu us/ev: this process's CPU "
      "time (all threads: the replay's reader, RocksDB's flushes and compactions) per event; "
      "vs replay: wall us/event over the replay alone\n");
  std::printf("projections: %.0f MB on disk after the last rebuild_all (unsettled)\n",
              static_cast<double>(dir_bytes(dir)) / 1e6);
  std::printf(
      "target >= 500,000 events/s (median of %d rebuild_all runs): %s (%s events/s; "
      "load average %s)\n",
      s.repeat, median.per_s() >= 500000 ? "met" : "MISSED", with_commas(median.per_s()).c_str(),
      load_average().c_str());
  if (s.keep) std::printf("kept %s\n", scratch.path().string().c_str());
  return 0;
}

// True if every projection's checkpoint is at the log's end.
bool projections_caught_up(const std::filesystem::path& data) {
  const auto dir = projections::projections_dir(data);
  if (!std::filesystem::exists(dir / "CURRENT")) return false;
  const std::uint64_t last = open_read_only(data)->last_position();
  auto db = projections::projection_db::open(dir, projections::projection_set::names(),
                                             {.read_only = true});
  if (!db) return false;
  for (const auto& n : projections::projection_set::names())
    if ((*db)->checkpoint((*db)->family(n)) != last) return false;
  return true;
}

int run_readyz(const settings& s) {
  scratch_dir scratch(s.dir, s.keep, s.reuse);
  const auto data = scratch / "data";
  std::printf(
      "readyz benchmark: `fieldline serve` on a large log with caught-up projections, "
      "from spawn to the first 200 from GET /readyz\n");
  std::printf("%s\n", machine_line(scratch.path()).c_str());
  std::printf("date: %s; %s\n", utc_now().c_str(), commit_line(FL_SOURCE_DIR).c_str());
  prepare_log(s, data);
  if (s.fresh_projections || !projections_caught_up(data)) {
    std::printf("projections: %s rebuild --data %s ... ", s.binary.c_str(), data.string().c_str());
    std::fflush(stdout);
    const auto out = scratch / "rebuild.txt";
    std::filesystem::remove(out);
    const auto start = bench_clock::now();
    const int rc = run_to_file({s.binary, "rebuild", "--data", data.string()}, out, true);
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    std::printf("exit %d in %.1f s: %s\n", rc, seconds_since(start), text.c_str());
    // Not settled: the server opens the projections as the rebuild left them.
    if (rc != 0) throw std::runtime_error("fieldline rebuild failed");
  } else {
    std::printf("projections: already caught up with the log\n");
  }
  std::printf("log: %s events\n\n",
              with_commas(static_cast<double>(open_read_only(data)->last_position())).c_str());
  std::printf("%-5s %-6s %12s %12s %10s\n", "run", "cache", "/healthz s", "/readyz s", "stop s");
  std::vector<double> warm;
  double cold = -1;
  for (int run = 0; run < s.readyz_runs; ++run) {
    const bool is_cold = run == 0;
    if (is_cold) evict_page_cache(data);
    const auto log = scratch / "serve.log";
    std::filesystem::remove(log);
    const auto start = bench_clock::now();
    auto child = start_serve(s.binary, data, log);
    const double healthy = wait_for_200(child, "/healthz", start, std::chrono::seconds(300),
                                        std::chrono::milliseconds(5));
    const double ready = wait_for_200(child, "/readyz", start, std::chrono::seconds(300),
                                      std::chrono::milliseconds(5));
    const auto stopping = bench_clock::now();
    const int code = child.process->stop(std::chrono::seconds(60));
    const double stopped = seconds_since(stopping);
    std::printf("%-5d %-6s %12.3f %12.3f %10.3f%s\n", run + 1, is_cold ? "cold" : "warm", healthy,
                ready, stopped,
                code == 0 ? "" : ("  (exit code " + std::to_string(code) + ")").c_str());
    std::fflush(stdout);
    if (is_cold)
      cold = ready;
    else
      warm.push_back(ready);
  }
  std::sort(warm.begin(), warm.end());
  std::printf(
      "\n/healthz s, /readyz s: from spawning the process to its first 200 (polled every 5 ms); "
      "cold: our data files dropped from the page cache first\n");
  if (!warm.empty())
    std::printf(
        "target <= 5 s to ready (median warm run): %s (%.2f s warm, %.2f s cold; load "
        "average %s)\n",
        warm[warm.size() / 2] <= 5 ? "met" : "MISSED", warm[warm.size() / 2], cold,
        load_average().c_str());
  if (s.keep) std::printf("kept %s\n", scratch.path().string().c_str());
  return 0;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{"Projection rebuild throughput, and the time to ready of `fieldline serve`"};
  app.add_option("--events", s.shape.events, "events in the log (default 1M; 10M with --readyz)");
  app.add_option("--conversations", s.shape.conversations, "customer conversations")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tenants", s.shape.tenants, "tenants")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--repeat", s.repeat, "rebuild_all runs (the median is the figure)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("!--no-singles", s.singles, "skip rebuilding each projection alone");
  app.add_flag("--readyz", s.readyz,
               "measure the time from `fieldline serve` to GET /readyz 200 instead");
  app.add_option("--runs", s.readyz_runs, "with --readyz: server starts (the first cold)")
      ->check(CLI::Range(2, 20))
      ->capture_default_str();
  app.add_option("--dir", s.dir,
                 "scratch directory (default /work/benchdata/rebuild, or rebuild-10m with "
                 "--readyz); removed afterwards unless --keep");
  app.add_flag("--keep", s.keep, "keep the scratch directory (the log and projections)");
  app.add_flag("--reuse", s.reuse, "use the log a --keep run left in --dir");
  app.add_flag("--fresh-projections", s.fresh_projections,
               "with --readyz: run `fieldline rebuild` even if the projections are caught up");
  app.add_option("--binary", s.binary, "the fieldline binary (--readyz)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (app.count("--events") == 0) s.shape.events = s.readyz ? 10'000'000 : 1'000'000;
  if (s.dir.empty()) s.dir = s.readyz ? "/work/benchdata/rebuild-10m" : "/work/benchdata/rebuild";
  try {
    return s.readyz ? fl::bench::run_readyz(s) : fl::bench::run_throughput(s);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nrebuild benchmark failed: %s\n", e.what());
    return 1;
  }
}
