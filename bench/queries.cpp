// Read queries per second and their latency through the real `fieldline`
// binary, on a tenant with a realistic history (10K conversations, 200K
// texts by default), against a ceiling measured in the same run: an
// in-process RESTinio server answering the same routes with the same bytes
// (captured from fieldline's answer) and doing nothing else. Closed loop,
// keep-alive. Prints figures; asserts no time.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/http_load.hpp"
#include "bench/read_side_log.hpp"
#include "bench/restinio_ceiling.hpp"
#include "bench/serve_child.hpp"
#include "bench/settle_db.hpp"

namespace fl::bench {
namespace {

struct settings {
  std::uint64_t conversations = 10'000;
  std::uint64_t messages = 200'000;
  unsigned conns = 64;
  unsigned client_threads = 1;
  unsigned ceiling_threads = 2;
  double seconds = 5;
  double warmup = 1;
  std::string dir = "/work/benchdata/queries";
  bool keep = false;
  bool reuse = false;
  std::string binary = FL_BINARY;
};

struct route {
  std::string name;
  std::string path;   // what the router matches
  std::string query;  // "" or "?..."
};

std::string run_and_show(const std::vector<std::string>& argv, const std::filesystem::path& out) {
  std::filesystem::remove(out);
  const int rc = run_to_file(argv, out, true);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (rc != 0)
    throw std::runtime_error(argv[0] + " " + argv[1] + " exited " + std::to_string(rc) + ": " +
                             text);
  return text;
}

// The tenant's log and caught-up projections in `data` (unless --reuse found them).
void prepare(const settings& s, const std::filesystem::path& data,
             const std::filesystem::path& scratch) {
  if (s.reuse && std::filesystem::exists(data / "projections" / "CURRENT")) {
    std::printf("data: reusing %s\n", data.string().c_str());
    return;
  }
  log_shape shape;
  shape.tenants = 1;
  shape.conversations = s.conversations;
  shape.messages = s.messages;
  auto written = write_read_side_log(data, shape);
  std::printf("data: %llu events (%llu texts, %llu conversations, 1 tenant) written in %.1f s\n",
              static_cast<unsigned long long>(written.events),
              static_cast<unsigned long long>(written.messages),
              static_cast<unsigned long long>(s.conversations), written.seconds);
  settle_db(data);
  const auto start = bench_clock::now();
  const std::string said =
      run_and_show({s.binary, "rebuild", "--data", data.string()}, scratch / "rebuild.txt");
  std::printf("data: fieldline rebuild in %.1f s: %s\n", seconds_since(start), said.c_str());
  settle_db(data / "projections");
}

std::string cell(const load_figures* f) {
  char out[128];
  if (!f) return "-";
  std::snprintf(out, sizeof out, "%8.0f %7.2f %7.2f %7.2f %6llu %6llu %6.1f %6.1f", f->ok_per_s,
                f->p50_ms, f->p99_ms, f->max_ms, static_cast<unsigned long long>(f->tally.non_ok()),
                static_cast<unsigned long long>(f->tally.error_count()),
                f->server_cpu_us < 0 ? 0.0 : f->server_cpu_us, f->client_cpu_us);
  return out;
}

int run(const settings& s) {
  scratch_dir scratch(s.dir, s.keep, s.reuse);
  const auto data = scratch / "data";
  std::printf(
      "queries benchmark: GET of the read API over %u keep-alive connections, closed "
      "loop, %g s warm-up + %g s measured per route and server\n",
      s.conns, s.warmup, s.seconds);
  std::printf("%s\n", machine_line(scratch.path()).c_str());
  std::printf("date: %s; %s\n", utc_now().c_str(), commit_line(FL_SOURCE_DIR).c_str());
  std::fflush(stdout);
  prepare(s, data, scratch.path());
  const bench_tenant tenant = make_bench_tenant(0);

  auto fl = start_serve(s.binary, data, scratch / "fieldline.log");
  const auto started = bench_clock::now();
  const double ready = wait_for_200(fl, "/readyz", started, std::chrono::seconds(120),
                                    std::chrono::milliseconds(20));
  std::printf("fieldline: %s serve --listen %s --data %s, sandbox transport; ready in %.2f s\n",
              s.binary.c_str(), fl.url.host_port().c_str(), data.string().c_str(), ready);

  const std::vector<route> routes{{"conversations", "/api/v1/sms/conversations", ""},
                                  {"messages?limit=50", "/api/v1/sms/messages", "?limit=50"}};
  // One call each first: a refused token or an empty page stops the run here.
  std::vector<ceiling_route> answers;
  for (const auto& r : routes) {
    auto got =
        http_call(fl.ep, get_request(fl.url.host_port(), r.path + r.query, tenant.api_token, false),
                  std::chrono::milliseconds(10000));
    auto j = nlohmann::json::parse(got.body, nullptr, false);
    const std::size_t items =
        !j.is_discarded() && j.contains("items") && j["items"].is_array() ? j["items"].size() : 0;
    if (got.status != 200 || items == 0)
      throw std::runtime_error("GET " + r.path + r.query + " answered " +
                               std::to_string(got.status) + " with " + std::to_string(items) +
                               " items: " + got.body.substr(0, 300));
    std::printf("probe: GET %s%s: 200, %zu items, %zu bytes, next_cursor %s\n", r.path.c_str(),
                r.query.c_str(), items, got.body.size(),
                j.value("next_cursor", nlohmann::json()).is_null() ? "null" : "set");
    answers.push_back({restinio::http_method_get(), r.path, "application/json", got.body});
  }
  ceiling_server ceiling(answers, s.ceiling_threads);
  const endpoint ce_ep = resolve("127.0.0.1", ceiling.port());
  std::printf(
      "ceiling: in-process RESTinio (express router, %u threads, the server's limits) "
      "answering each route with fieldline's captured answer at 127.0.0.1:%u\n\n",
      s.ceiling_threads, static_cast<unsigned>(ceiling.port()));

  std::printf("%-18s | %-60s | %-60s |\n", "", "fieldline", "ceiling");
  char side[128];
  std::snprintf(side, sizeof side, "%8s %7s %7s %7s %6s %6s %6s %6s", "req/s", "p50 ms", "p99 ms",
                "max ms", "non200", "errors", "srv us", "cli us");
  std::printf("%-18s | %s | %s | %s\n", "route", side, side, "ratio");
  std::fflush(stdout);

  const std::function<double()> fl_cpu = [&fl] { return fl.process->cpu_seconds(); };
  const std::function<double()> ce_cpu = [] { return process_cpu_seconds(); };
  const load_shape shape{s.conns, s.client_threads, 0, s.warmup, s.seconds};
  std::vector<double> ratios;
  for (const auto& r : routes) {
    request_set requests;
    requests.add(get_request(fl.url.host_port(), r.path + r.query, tenant.api_token, true));
    std::atomic<std::size_t> fl_next{0}, ce_next{0};
    load_plan plan;
    plan.requests = &requests;
    plan.wrap = true;
    plan.expect_in_ok_body = "\"items\":[{";
    plan.target = &fl.ep;
    plan.next = &fl_next;
    const auto a = run_load(plan, shape, fl_cpu, false);
    if (!fl.process->running())
      throw std::runtime_error("fieldline exited (" + fl.process->how_it_ended() + "); log:\n" +
                               fl.process->log_tail());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    plan.target = &ce_ep;
    plan.next = &ce_next;
    const auto b = run_load(plan, shape, ce_cpu, true);
    const double ratio = b.ok_per_s > 0 ? a.ok_per_s / b.ok_per_s : 0;
    ratios.push_back(ratio);
    std::printf("%-18s | %s | %s | %5.2f\n", r.name.c_str(), cell(&a).c_str(), cell(&b).c_str(),
                ratio);
    std::fflush(stdout);
  }
  std::printf(
      "\nreq/s: 200 answers with a non-empty \"items\" per second of the measured window; p50, "
      "p99, max: latency of the window's answers; non200, errors: over the whole row; srv us: "
      "server CPU per answer (fieldline: its process from /proc, 10 ms ticks; ceiling: this "
      "process minus the client threads); cli us: the client's CPU per answer\n");
  for (std::size_t i = 0; i < routes.size(); ++i)
    std::printf("target >= 0.3 of the ceiling, GET %s: %s (%.2f; load average %s)\n",
                routes[i].name.c_str(), ratios[i] >= 0.3 ? "met" : "MISSED", ratios[i],
                load_average().c_str());
  const int code = fl.process->stop(std::chrono::seconds(60));
  if (code != 0) std::printf("fieldline stopped with exit code %d\n", code);
  if (s.keep) std::printf("kept %s\n", scratch.path().string().c_str());
  return 0;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{
      "Read API load benchmark: the fieldline binary against an in-process RESTinio "
      "ceiling"};
  app.add_option("--conversations", s.conversations, "the tenant's conversations")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--messages", s.messages, "the tenant's texts (in and out)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--conns", s.conns, "keep-alive connections")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--client-threads", s.client_threads, "client threads")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  app.add_option("--ceiling-threads", s.ceiling_threads, "the ceiling server's threads")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seconds", s.seconds, "measured seconds per route and server")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", s.warmup, "warm-up seconds (not measured)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--dir", s.dir, "scratch directory (removed afterwards unless --keep)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory (log and projections)");
  app.add_flag("--reuse", s.reuse, "use the data a --keep run left in --dir");
  app.add_option("--binary", s.binary, "the fieldline binary")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nqueries benchmark failed: %s\n", e.what());
    return 1;
  }
}
