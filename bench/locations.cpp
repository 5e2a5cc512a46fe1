// Location fixes per second through `POST /api/v1/locations` (NDJSON) of the
// real `fieldline` binary: every line decided by its technician's actor
// (geofence and ETA against the job it is en route to), appended durably,
// and told to the job's actor when it moved a technician on its way. Prints
// figures; asserts no time. Afterwards (unless --no-check) stops the server,
// runs `fieldline verify` and counts the stored `technician_located` events
// against the lines the answers accepted.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/http_load.hpp"
#include "bench/serve_child.hpp"
#include "bench/server_process.hpp"

namespace fl::bench {
namespace {

struct settings {
  std::size_t technicians = 1000;
  double enroute_share = 0.9;  // the others are available: their fixes reach no job
  std::size_t lines = 5000;    // lines per request
  std::size_t fixes_per_tech = 5;
  unsigned conns = 4;
  double seconds = 10;
  double warmup = 2;
  double budget = 150000;  // fixes/s the pre-built requests must last for
  double out_of_order = 0.01;
  std::string binary = FL_BINARY;
  std::string dir = "/work/benchdata/locations";
  bool keep = false;
  bool check = true;
};

constexpr double earth_m = 6371008.8;
constexpr double pi = 3.14159265358979323846;
constexpr int fix_every_s = 1;  // device time between two fixes of a technician

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string post_request(const std::string& host, const std::string& path,
                         const std::string& bearer, std::string_view type, std::string_view body,
                         bool keep_alive) {
  std::string r = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " +
                  bearer + "\r\nContent-Type: " + std::string(type) +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  if (!keep_alive) r += "Connection: close\r\n";
  r += "\r\n";
  r += body;
  return r;
}

// One technician's drive: a straight line from `from` towards its job at
// `speed` m/s, standing at the job once there, with a few metres of GPS
// noise.
struct drive {
  std::string technician_id, customer_id, job_id;
  double job_lat = 0, job_lon = 0;
  double from_lat = 0, from_lon = 0;
  double distance_m = 0;  // from `from` to the job
  double speed = 0;
  bool enroute = true;
};

// The point `metres` along the drive after `step` fixes (noise from `rng`).
std::pair<double, double> position(const drive& d, std::size_t step, std::mt19937_64& rng) {
  const double travelled = std::min(d.distance_m, d.speed * fix_every_s * double(step));
  const double f = d.distance_m > 0 ? travelled / d.distance_m : 1;
  std::normal_distribution<double> noise(0, 4.0 / earth_m * 180 / pi);
  return {d.from_lat + (d.job_lat - d.from_lat) * f + noise(rng),
          d.from_lon + (d.job_lon - d.from_lon) * f + noise(rng)};
}

std::vector<drive> plan_drives(const settings& s, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> lat(41.70, 42.00), lon(-87.90, -87.60), km(15, 40),
      bearing(0, 2 * pi), speed(11, 17), share(0, 1);
  std::vector<drive> out(s.technicians);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& d = out[i];
    d.technician_id = "tech_" + std::to_string(i);
    d.customer_id = "cus_" + std::to_string(i);
    d.job_id = "job_" + std::to_string(i);
    d.job_lat = lat(rng);
    d.job_lon = lon(rng);
    d.distance_m = km(rng) * 1000;
    const double b = bearing(rng);
    d.from_lat = d.job_lat + d.distance_m * std::cos(b) / earth_m * 180 / pi;
    d.from_lon = d.job_lon +
                 d.distance_m * std::sin(b) / (earth_m * std::cos(d.job_lat * pi / 180)) * 180 / pi;
    d.speed = speed(rng);
    d.enroute = share(rng) < s.enroute_share;
  }
  return out;
}

std::string rfc3339(std::int64_t unix_us) {
  const std::time_t secs = static_cast<std::time_t>(unix_us / 1000000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char out[40];
  const std::size_t n = std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(out + n, sizeof out - n, ".%03dZ", static_cast<int>(unix_us / 1000 % 1000));
  return out;
}

struct built {
  request_set requests;
  std::size_t lines_per_request = 0;
  std::size_t out_of_order = 0;
  double mean_line_bytes = 0;
};

// The load: block b holds steps [b*F, (b+1)*F) of every technician, cut into
// requests of F steps of G = lines/F technicians each, step by step.
built build_requests(const settings& s, const std::vector<drive>& drives, const std::string& host,
                     const std::string& token, std::int64_t start_us, std::mt19937_64& rng) {
  built out;
  const std::size_t f = s.fixes_per_tech, g = s.lines / f;
  const std::size_t groups = drives.size() / g;
  const double total_lines = s.budget * (s.seconds + s.warmup) + double(s.lines) * s.conns * 2;
  const auto requests = static_cast<std::size_t>(std::ceil(total_lines / double(s.lines)));
  out.lines_per_request = g * f;
  std::uniform_real_distribution<double> share(0, 1);
  std::string body;
  std::size_t line_bytes = 0, line_count = 0;
  out.requests.reserve(requests, requests * (s.lines * 150 + 300));
  for (std::size_t r = 0; r < requests; ++r) {
    const std::size_t block = r / groups, group = r % groups;
    body.clear();
    for (std::size_t k = 0; k < f; ++k) {
      std::size_t step = block * f + k;
      for (std::size_t t = group * g; t < (group + 1) * g; ++t) {
        const auto& d = drives[t];
        std::size_t at_step = step;
        if (step > 10 && share(rng) < s.out_of_order) {
          at_step = step - 10;  // a backlog fix: older than what the phone sent before
          ++out.out_of_order;
        }
        const auto [lat, lon] = position(d, at_step, rng);
        char line[256];
        const std::string when =
            rfc3339(start_us + static_cast<std::int64_t>(at_step) * fix_every_s * 1000000);
        int n;
        if (t % 4 != 3)  // three phones in four report their speed
          n = std::snprintf(line, sizeof line,
                            "{\"technician_id\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,\"recorded_at\":"
                            "\"%s\",\"speed_mps\":%.1f}\n",
                            d.technician_id.c_str(), lat, lon, when.c_str(),
                            at_step * d.speed * fix_every_s < d.distance_m ? d.speed : 0.0);
        else
          n = std::snprintf(line, sizeof line,
                            "{\"technician_id\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,\"recorded_at\":"
                            "\"%s\"}\n",
                            d.technician_id.c_str(), lat, lon, when.c_str());
        body.append(line, static_cast<std::size_t>(n));
        line_bytes += static_cast<std::size_t>(n);
        ++line_count;
      }
    }
    out.requests.add(
        post_request(host, "/api/v1/locations", token, "application/x-ndjson", body, true));
  }
  out.mean_line_bytes = line_count ? double(line_bytes) / double(line_count) : 0;
  return out;
}

// Runs `call(i)` for i in [0, n) on `threads` threads; the first error wins.
void in_parallel(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& call) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::string error;
  std::mutex mutex;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; !failed && (i = next++) < n;) {
        try {
          call(i);
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          if (!failed.exchange(true)) error = e.what();
        }
      }
    });
  for (auto& t : pool) t.join();
  if (failed) throw std::runtime_error(error);
}

struct setup_client {
  const serve_child* server;
  std::string token;

  nlohmann::json post(const std::string& path, const nlohmann::json& body, int expect) const {
    const std::string bearer = token;
    auto r = http_call(
        server->ep,
        post_request(server->url.host_port(), path, bearer, "application/json", body.dump(), false),
        std::chrono::milliseconds(30000));
    if (r.status != expect)
      throw std::runtime_error("POST " + path + " " + body.dump() + " answered " +
                               std::to_string(r.status) + " (expected " + std::to_string(expect) +
                               "): " + r.body.substr(0, 400));
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_discarded() ? nlohmann::json() : j;
  }
};

std::string phone(const char* area, std::size_t i) {
  char out[24];
  std::snprintf(out, sizeof out, "+1%s555%04zu", area, i % 10000);
  return out;
}

// Registers every customer, technician and job (assigned), gives each
// technician a first fix where it starts, and sets the en-route ones on
// their way. Returns the fixes recorded here.
std::size_t populate(const setup_client& c, const std::vector<drive>& drives,
                     std::int64_t start_us) {
  const unsigned threads = 8;
  in_parallel(drives.size() * 2, threads, [&](std::size_t i) {
    const auto& d = drives[i / 2];
    const std::size_t n = i / 2;
    if (i % 2 == 0)
      c.post("/api/v1/customers",
             {{"id", d.customer_id},
              {"first_name", "Customer"},
              {"last_name", std::to_string(n)},
              {"phone", phone("312", n)}},
             201);
    else
      c.post("/api/v1/technicians",
             {{"id", d.technician_id},
              {"first_name", "Tech"},
              {"last_name", std::to_string(n)},
              {"phone", phone("773", n)}},
             201);
  });
  const std::string scheduled = rfc3339(start_us + 3LL * 3600 * 1000000);
  in_parallel(drives.size(), threads, [&](std::size_t i) {
    const auto& d = drives[i];
    c.post("/api/v1/jobs",
           {{"id", d.job_id},
            {"customer_id", d.customer_id},
            {"technician_id", d.technician_id},
            {"address", std::to_string(100 + i) + " W Madison St"},
            {"lat", d.job_lat},
            {"lon", d.job_lon},
            {"scheduled_at", scheduled},
            {"invoice_link", "https://pay.example/inv/" + std::to_string(i)}},
           201);
    c.post("/api/v1/technicians/" + d.technician_id + "/location",
           {{"lat", d.from_lat},
            {"lon", d.from_lon},
            {"recorded_at", rfc3339(start_us - 1000000)},
            {"speed_mps", d.speed}},
           201);
    if (d.enroute)
      c.post("/api/v1/technicians/" + d.technician_id + "/status",
             {{"status", "enroute"}, {"job_id", d.job_id}}, 200);
  });
  return drives.size();
}

// Event counts by type from `fieldline replay`'s NDJSON.
std::map<std::string, std::uint64_t> count_types(const std::filesystem::path& ndjson) {
  std::map<std::string, std::uint64_t> out;
  std::ifstream in(ndjson);
  constexpr std::string_view key = "\"type\":\"";
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find(key);
    if (at == std::string::npos) {
      ++out["(no type)"];
      continue;
    }
    const auto from = at + key.size();
    ++out[line.substr(from, line.find('"', from) - from)];
  }
  return out;
}

int run(const settings& s) {
  if (s.lines % s.fixes_per_tech != 0 || s.technicians % (s.lines / s.fixes_per_tech) != 0)
    throw std::runtime_error(
        "--lines must be a multiple of --fixes-per-tech, and --technicians a multiple of "
        "lines / fixes-per-tech (the technicians of one request)");
  scratch_dir scratch(s.dir, s.keep);
  const auto data = scratch / "data";
  std::printf(
      "locations benchmark: POST /api/v1/locations, NDJSON of %zu lines (%zu fixes of each of %zu "
      "technicians) over %u keep-alive connections, closed loop, %g s warm-up + %g s measured\n",
      s.lines, s.fixes_per_tech, s.lines / s.fixes_per_tech, s.conns, s.warmup, s.seconds);
  std::printf("%s\n", machine_line(scratch.path()).c_str());
  std::printf("date: %s; %s\n", utc_now().c_str(), commit_line(FL_SOURCE_DIR).c_str());
  std::fflush(stdout);

  std::mt19937_64 rng(20261206);
  const auto drives = plan_drives(s, rng);
  const std::int64_t start_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() -
                                600LL * 1000000;

  auto fl = start_serve(s.binary, data, scratch / "fieldline.log");
  const auto started = bench_clock::now();
  wait_for_200(fl, "/readyz", started, std::chrono::seconds(60), std::chrono::milliseconds(20));
  setup_client admin{&fl, fl.operator_token};
  auto tenant = admin.post("/api/v1/tenants",
                           {{"name", "Bench Field Service"},
                            {"timezone", "America/Chicago"},
                            {"phone_number", "+15005550006"},
                            {"twilio_account_sid", "AC00000000000000000000000000000001"},
                            {"twilio_auth_token", random_token().substr(0, 32)}},
                           201);
  if (!tenant.contains("api_token") || !tenant["api_token"].is_string())
    throw std::runtime_error("POST /api/v1/tenants: no api_token in " + tenant.dump());
  setup_client client{&fl, tenant["api_token"].get<std::string>()};
  const auto setup_from = bench_clock::now();
  const std::size_t enroute = static_cast<std::size_t>(
      std::count_if(drives.begin(), drives.end(), [](const drive& d) { return d.enroute; }));
  const std::size_t setup_fixes = populate(client, drives, start_us);
  std::printf(
      "fieldline: %s serve --data %s, sandbox transport; set up in %.1f s: %zu customers, "
      "technicians and jobs (assigned), %zu technicians en route (15-40 km from their job, "
      "11-17 m/s), %zu available\n",
      s.binary.c_str(), data.string().c_str(), seconds_since(setup_from), drives.size(), enroute,
      drives.size() - enroute);

  const auto built_from = bench_clock::now();
  built b = build_requests(s, drives, fl.url.host_port(), client.token, start_us, rng);
  std::printf(
      "requests: %s built in %.1f s before any timing (%s lines, mean %.0f bytes a line, %.1f%% "
      "older than the technician's previous fix, a fix every %d s of device time)\n",
      with_commas(b.requests.size()).c_str(), seconds_since(built_from),
      with_commas(b.requests.size() * b.lines_per_request).c_str(), b.mean_line_bytes,
      100.0 * double(b.out_of_order) / double(b.requests.size() * b.lines_per_request),
      fix_every_s);
  std::fflush(stdout);

  std::vector<outcome> outcomes(b.requests.size(), outcome::not_sent);
  std::atomic<std::size_t> next{0};
  load_plan plan;
  plan.target = &fl.ep;
  plan.requests = &b.requests;
  plan.next = &next;
  plan.outcomes = &outcomes;
  plan.expect_in_ok_body = "\"rejected\":0";
  plan.drain_timeout = std::chrono::milliseconds(60000);
  const std::function<double()> fl_cpu = [&fl] { return fl.process->cpu_seconds(); };
  const std::string load_before = load_average();
  const auto f = run_load(plan, {s.conns, 1, 0, s.warmup, s.seconds}, fl_cpu, false);
  const std::string load_after = load_average();
  if (!fl.process->running())
    throw std::runtime_error("fieldline exited during the run (" + fl.process->how_it_ended() +
                             "); its log:\n" + fl.process->log_tail());
  const double per_request = double(b.lines_per_request);
  const double fixes_per_s = f.ok_per_s * per_request;
  std::printf("\n%12s %9s %9s %9s %9s %10s %10s %8s %8s\n", "fixes/s", "req/s", "p50 ms", "p99 ms",
              "max ms", "srv us/fix", "cli us/fix", "non200", "errors");
  std::printf("%12s %9.1f %9.1f %9.1f %9.1f %10.2f %10.2f %8llu %8llu\n",
              with_commas(static_cast<std::uint64_t>(fixes_per_s)).c_str(), f.ok_per_s, f.p50_ms,
              f.p99_ms, f.max_ms, f.server_cpu_us / per_request, f.client_cpu_us / per_request,
              static_cast<unsigned long long>(f.tally.non_ok()),
              static_cast<unsigned long long>(f.tally.error_count()));
  std::printf(
      "fixes/s: lines of the 200 answers (\"rejected\":0) read in the measured window per second; "
      "p50/p99/max: request latency (a request is %zu lines); srv us/fix: fieldline's CPU time "
      "(all threads, /proc, 10 ms ticks) per fix; cli us/fix: this program's load thread\n",
      b.lines_per_request);
  std::printf("load average: %s before the run, %s after\n", load_before.c_str(),
              load_after.c_str());
  std::printf("target >= 50,000 fixes/s: %s (%s fixes/s)\n",
              fixes_per_s >= 50000 ? "met" : "MISSED",
              with_commas(static_cast<std::uint64_t>(fixes_per_s)).c_str());
  if (f.tally.exhausted)
    std::printf("RAN OUT of pre-built requests: the figures are short; raise --budget\n");
  std::fflush(stdout);

  std::uint64_t answered_ok = 0, sent = 0;
  for (auto o : outcomes) {
    answered_ok += o == outcome::ok;
    sent += o != outcome::not_sent;
  }
  int rc = 0;
  if (s.check) {
    std::printf("\ncheck: stopping fieldline (SIGTERM)... ");
    std::fflush(stdout);
    const int code = fl.process->stop(std::chrono::seconds(120));
    std::printf("exit code %d\n", code);
    const int verified =
        run_to_file({s.binary, "verify", "--data", data.string()}, scratch / "verify.txt", true);
    std::ifstream vin(scratch / "verify.txt");
    std::string vtext((std::istreambuf_iterator<char>(vin)), std::istreambuf_iterator<char>());
    while (!vtext.empty() && vtext.back() == '\n') vtext.pop_back();
    std::printf("check: fieldline verify: exit %d: %s\n", verified, vtext.c_str());
    const auto replay = scratch / "replay.ndjson";
    const int replayed = run_to_file({s.binary, "replay", "--data", data.string()}, replay, false);
    const auto types = count_types(replay);
    std::filesystem::remove(replay);
    std::uint64_t all = 0;
    std::string listed;
    for (const auto& [type, n] : types) {
      all += n;
      listed += (listed.empty() ? "" : ", ") + type + " " + with_commas(n);
    }
    std::printf("check: fieldline replay: exit %d, %s events: %s\n", replayed,
                with_commas(all).c_str(), listed.c_str());
    const auto located = types.count("technician_located") ? types.at("technician_located") : 0;
    const std::uint64_t accepted = answered_ok * b.lines_per_request;
    const bool equal = located == accepted + setup_fixes;
    std::printf(
        "check: %s technician_located = %s lines accepted in %s answers 200 + %zu set-up fixes: "
        "%s (%s requests sent, %s without a 200)\n",
        with_commas(located).c_str(), with_commas(accepted).c_str(),
        with_commas(answered_ok).c_str(), setup_fixes, equal ? "EQUAL" : "NOT EQUAL",
        with_commas(sent).c_str(), with_commas(sent - answered_ok).c_str());
    if (!equal || verified != 0 || replayed != 0 || code != 0) rc = 1;
  } else {
    const int code = fl.process->stop(std::chrono::seconds(120));
    if (code != 0) std::printf("fieldline stopped with exit code %d\n", code);
  }
  if (s.keep) std::printf("kept %s (data/, fieldline.log)\n", scratch.path().string().c_str());
  return rc;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{
      "Location-stream benchmark: fixes per second through POST /api/v1/locations of the "
      "fieldline binary (geofence/ETA, durable appends)"};
  app.add_option("--technicians", s.technicians, "technicians (each with a customer and a job)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--enroute", s.enroute_share, "share of the technicians en route to their job")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--lines", s.lines, "NDJSON lines per request")
      ->check(CLI::Range(1, 50000))
      ->capture_default_str();
  app.add_option("--fixes-per-tech", s.fixes_per_tech,
                 "consecutive fixes of each technician in one request")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--conns", s.conns, "keep-alive connections, one request in flight each")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seconds", s.seconds, "measured seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", s.warmup, "warm-up seconds (not measured)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--budget", s.budget, "fixes/s the pre-built requests must last for")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--out-of-order", s.out_of_order,
                 "share of lines older than the technician's previous fix")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--binary", s.binary, "the fieldline binary to start")->capture_default_str();
  app.add_option("--dir", s.dir, "scratch directory for the server's data (removed afterwards)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory");
  app.add_flag("!--no-check", s.check,
               "skip stopping the server, `fieldline verify` and counting the stored fixes");
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nlocations benchmark failed: %s\n", e.what());
    return 1;
  }
}
