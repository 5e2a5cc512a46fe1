// Inbound webhooks per second and their latency through the real `fieldline`
// binary (durable appends), against a ceiling measured in the same run: an
// in-process RESTinio server answering the same requests with `<Response/>`
// and doing nothing else. Closed loop at several connection counts, then an
// open loop at a fixed rate. Prints figures; asserts no time. With --check,
// also verifies afterwards that every 200 answer left exactly one
// `sms_received` event in the log.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <restinio/all.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench/bench_util.hpp"
#include "bench/http_load.hpp"
#include "bench/inbound_requests.hpp"
#include "bench/restinio_ceiling.hpp"
#include "bench/server_process.hpp"

namespace fl::bench {
namespace {

struct settings {
  std::vector<unsigned> conns{1, 8, 64};
  double seconds = 5;
  double warmup = 1;
  double rate = 1000;        // open loop; 0 skips it
  unsigned open_conns = 64;  // the open loop's connection pool
  std::size_t requests = 200000;
  std::size_t customers = 10000;
  unsigned client_threads = 1;
  unsigned ceiling_threads = 2;
  std::string binary = FL_BINARY;
  std::string dir = "/work/benchdata/webhook";
  bool keep = false;
  bool check = false;
  bool ceiling_only = false;
  bool no_ceiling = false;
  double serve_ceiling = 0;  // only run the ceiling server this long, for other load generators
  // An already running server instead of a child process.
  std::string url, public_url, auth_token, to;
  std::string account_sid = "AC00000000000000000000000000000001";
};

// What fieldline answers to an inbound text: empty TwiML (replies go through
// the REST API). The ceiling answers the same bytes.
constexpr const char* empty_twiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

// The ceiling's routes: the webhook answered with the same TwiML, and
// /healthz so that --url can load it too.
std::vector<ceiling_route> ceiling_routes() {
  return {{restinio::http_method_post(), "/sms/webhook", "text/xml", empty_twiml},
          {restinio::http_method_get(), "/healthz", "", "ok"}};
}

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string get_request(const std::string& host, const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
}

std::string post_json(const std::string& host, const std::string& path, const std::string& bearer,
                      const std::string& json) {
  return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + bearer +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
         "\r\nConnection: close\r\n\r\n" + json;
}

// The server under test, as this run reaches it.
struct target {
  http_url url;
  endpoint ep;
  std::string public_url;
  std::string auth_token;
  std::string to;
  std::string account_sid;
  std::string description;
  std::unique_ptr<server_process> child;  // when this program started it
  std::filesystem::path data_dir;
};

void wait_healthy(target& t, std::chrono::seconds timeout) {
  const auto deadline = bench_clock::now() + timeout;
  std::string last;
  while (bench_clock::now() < deadline) {
    if (t.child && !t.child->running())
      throw std::runtime_error("fieldline exited (" + t.child->how_it_ended() +
                               ") before answering /healthz; its log:\n" + t.child->log_tail());
    try {
      auto r = http_call(t.ep, get_request(t.url.host_port(), "/healthz"),
                         std::chrono::milliseconds(2000));
      if (r.status == 200) return;
      last = "answered " + std::to_string(r.status);
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("fieldline did not answer GET /healthz with 200 within " +
                           std::to_string(timeout.count()) + " s (last: " + last + ")" +
                           (t.child ? "; its log:\n" + t.child->log_tail() : ""));
}

// Creates the benchmark's tenant through the operator API; its id.
std::string create_tenant(target& t, const std::string& operator_token) {
  const nlohmann::json body{{"name", "Bench HVAC"},
                            {"timezone", "America/Chicago"},
                            {"phone_number", t.to},
                            {"twilio_account_sid", t.account_sid},
                            {"twilio_auth_token", t.auth_token}};
  auto r =
      http_call(t.ep, post_json(t.url.host_port(), "/api/v1/tenants", operator_token, body.dump()),
                std::chrono::milliseconds(10000));
  if (r.status == 404 || r.status == 405)
    throw std::runtime_error(
        "creating the benchmark tenant: fieldline answered " + std::to_string(r.status) +
        " to POST /api/v1/tenants — this build has no tenants endpoint yet. The benchmark "
        "needs it to create a tenant with a known Twilio auth token. Meanwhile: --ceiling-only "
        "measures the ceiling alone; --url URL --auth-token T --to NUMBER loads a server that "
        "already has a tenant. Answer body: " +
        r.body.substr(0, 300));
  if (r.status != 201)
    throw std::runtime_error("creating the benchmark tenant: POST /api/v1/tenants answered " +
                             std::to_string(r.status) +
                             " (expected 201): " + r.body.substr(0, 500));
  auto parsed = nlohmann::json::parse(r.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("id"))
    throw std::runtime_error("creating the benchmark tenant: the 201 answer has no \"id\": " +
                             r.body.substr(0, 500));
  return parsed["id"].is_string() ? parsed["id"].get<std::string>() : parsed["id"].dump();
}

target start_fieldline(const settings& s, const scratch_dir& scratch) {
  target t;
  const std::uint16_t port = free_loopback_port();
  t.url = parse_http_url("http://127.0.0.1:" + std::to_string(port));
  t.ep = resolve(t.url.host, t.url.port);
  t.public_url = t.url.origin;
  t.auth_token = random_hex(16);
  t.to = s.to.empty() ? "+15005550006" : s.to;
  t.account_sid = s.account_sid;
  t.data_dir = scratch / "data";
  const std::string operator_token = random_hex(24);
  // Nothing from the caller's environment reaches the child's configuration:
  // no real Twilio or Anthropic credentials, no other data directory.
  t.child = std::make_unique<server_process>(
      std::vector<std::string>{s.binary, "serve", "--listen", t.url.host_port(), "--data",
                               t.data_dir.string()},
      std::vector<std::string>{"FIELDLINE_", "TWILIO_", "ANTHROPIC_"},
      std::vector<std::pair<std::string, std::string>>{{"FIELDLINE_OPERATOR_TOKEN", operator_token},
                                                       {"FIELDLINE_PUBLIC_URL", t.public_url},
                                                       {"FIELDLINE_SMS_TRANSPORT", "sandbox"}},
      scratch / "fieldline.log");
  wait_healthy(t, std::chrono::seconds(30));
  const std::string tenant = create_tenant(t, operator_token);
  t.description = s.binary + " serve --listen " + t.url.host_port() + " --data " +
                  t.data_dir.string() + " (" + filesystem_type(scratch.path()) +
                  "), sandbox transport; tenant " + tenant + ", To " + t.to;
  return t;
}

target existing_server(const settings& s) {
  if (s.auth_token.empty() || s.to.empty())
    throw std::runtime_error(
        "--url needs --auth-token (the tenant's Twilio auth token) and --to "
        "(the tenant's number)");
  target t;
  t.url = parse_http_url(s.url);
  t.ep = resolve(t.url.host, t.url.port);
  t.public_url = s.public_url.empty() ? t.url.origin : s.public_url;
  while (!t.public_url.empty() && t.public_url.back() == '/') t.public_url.pop_back();
  t.auth_token = s.auth_token;
  t.to = s.to;
  t.account_sid = s.account_sid;
  wait_healthy(t, std::chrono::seconds(5));
  t.description =
      "already running at " + t.url.origin + " (public URL " + t.public_url + "), To " + t.to;
  return t;
}

std::string ms_cell(double v) {
  char out[16];
  std::snprintf(out, sizeof out, "%7.2f", v);
  return out;
}

// One side's columns of a row.
std::string columns(const load_figures* f) {
  char out[160];
  if (!f) {
    std::snprintf(out, sizeof out, "%8s %7s %7s %7s %6s %6s %6s %6s", "-", "-", "-", "-", "-", "-",
                  "-", "-");
    return out;
  }
  char srv[16];
  if (f->server_cpu_us >= 0)
    std::snprintf(srv, sizeof srv, "%6.1f", f->server_cpu_us);
  else
    std::snprintf(srv, sizeof srv, "%6s", "-");
  std::snprintf(out, sizeof out, "%8.0f %s %s %s %6llu %6llu %s %6.1f", f->ok_per_s,
                ms_cell(f->p50_ms).c_str(), ms_cell(f->p99_ms).c_str(), ms_cell(f->max_ms).c_str(),
                static_cast<unsigned long long>(f->tally.non_ok()),
                static_cast<unsigned long long>(f->tally.error_count()), srv, f->client_cpu_us);
  return out;
}

std::string counts_line(const load_tally& t) {
  std::string out =
      with_commas(t.ok) + " answered 200, " + with_commas(t.non_ok()) + " other answers";
  if (!t.other_status.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [status, n] : t.other_status) {
      out += (first ? "" : ", ") +
             (status == 200 ? std::string("200 without <Response") : std::to_string(status)) +
             ": " + with_commas(n);
      first = false;
    }
    out += ")";
  }
  out += ", " + with_commas(t.error_count()) + " errors";
  if (!t.errors.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [kind, n] : t.errors) {
      out += (first ? "" : "; ") + kind + ": " + with_commas(n);
      first = false;
    }
    out += ")";
  }
  out += ", " + with_commas(t.reconnects) + " reconnects";
  if (!t.first_malformed.empty()) out += "; first malformed answer: " + t.first_malformed;
  return out;
}

// After the run: stop the server, verify the chain, and count the stored
// inbound texts against the 200 answers. True if they match.
bool check_log(const settings& s, target& t, const scratch_dir& scratch, std::uint64_t seed,
               const std::vector<outcome>& outcomes, std::size_t used) {
  std::printf("\ncheck: stopping fieldline (SIGTERM)... ");
  std::fflush(stdout);
  const int code = t.child->stop(std::chrono::seconds(60));
  std::printf("exit code %d\n", code);
  const auto verify_out = scratch / "verify.txt";
  const int verified =
      run_to_file({s.binary, "verify", "--data", t.data_dir.string()}, verify_out, true);
  std::ifstream verify_in(verify_out);
  std::string verify_text((std::istreambuf_iterator<char>(verify_in)),
                          std::istreambuf_iterator<char>());
  while (!verify_text.empty() && verify_text.back() == '\n') verify_text.pop_back();
  std::printf("check: fieldline verify --data %s: exit %d: %s\n", t.data_dir.string().c_str(),
              verified, verify_text.c_str());

  const auto replay_out = scratch / "replay.ndjson";
  std::filesystem::remove(replay_out);
  const int replayed =
      run_to_file({s.binary, "replay", "--data", t.data_dir.string()}, replay_out, false);
  std::unordered_map<std::string, std::size_t> index_of;
  index_of.reserve(used);
  for (std::size_t i = 0; i < used; ++i) index_of.emplace(inbound_message_sid(seed, i), i);
  std::vector<std::uint8_t> seen(used, 0);
  std::uint64_t lines = 0, received = 0, bad_lines = 0, unknown = 0, duplicates = 0,
                stored_with_200 = 0, stored_without_200 = 0;
  std::ifstream in(replay_out);
  for (std::string line; std::getline(in, line);) {
    ++lines;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++bad_lines;
      continue;
    }
    if (j.value("type", "") != "sms_received") continue;
    ++received;
    std::string sid;
    if (j.contains("data") && j["data"].is_object()) sid = j["data"].value("message_sid", "");
    auto it = index_of.find(sid);
    if (it == index_of.end()) {
      ++unknown;
      continue;
    }
    if (seen[it->second]++) ++duplicates;
    if (outcomes[it->second] == outcome::ok)
      ++stored_with_200;
    else
      ++stored_without_200;
  }
  std::uint64_t answered_200 = 0, missing = 0;
  for (std::size_t i = 0; i < used; ++i)
    if (outcomes[i] == outcome::ok) {
      ++answered_200;
      if (!seen[i]) ++missing;
    }
  std::printf("check: fieldline replay: exit %d, %s events, %s of them sms_received%s\n", replayed,
              with_commas(lines).c_str(), with_commas(received).c_str(),
              bad_lines ? (", " + with_commas(bad_lines) + " lines not JSON").c_str() : "");
  const bool equal = received == answered_200 && missing == 0 && duplicates == 0 && unknown == 0;
  std::printf(
      "check: %s sms_received events vs %s answers 200: %s (200 but not stored: %s; stored "
      "twice: %s; stored without a 200, i.e. requests that got an error or no answer: %s; not "
      "ours: %s)\n",
      with_commas(received).c_str(), with_commas(answered_200).c_str(),
      equal ? "EQUAL" : "NOT EQUAL", with_commas(missing).c_str(), with_commas(duplicates).c_str(),
      with_commas(stored_without_200).c_str(), with_commas(unknown).c_str());
  (void)stored_with_200;
  return equal && verified == 0 && replayed == 0 && code == 0;
}

int serve_ceiling_only(const settings& s) {
  ceiling_server ce(ceiling_routes(), s.ceiling_threads);
  std::printf("ceiling: RESTinio at http://127.0.0.1:%u, POST /sms/webhook, for %g s\n",
              static_cast<unsigned>(ce.port()), s.serve_ceiling);
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::duration<double>(s.serve_ceiling));
  return 0;
}

int run(const settings& s) {
  if (s.serve_ceiling > 0) return serve_ceiling_only(s);
  const bool fieldline = !s.ceiling_only;
  const bool ceiling = !s.no_ceiling;
  if (!fieldline && !ceiling)
    throw std::runtime_error("--ceiling-only and --no-ceiling exclude each other");
  if (s.check && (!fieldline || !s.url.empty()))
    throw std::runtime_error(
        "--check needs the fieldline server started by this program (no --url, no --ceiling-only)");

  std::optional<scratch_dir> scratch;
  if (fieldline && s.url.empty()) scratch.emplace(s.dir, s.keep);
  const std::filesystem::path shown_dir = scratch ? scratch->path() : std::filesystem::path(".");

  std::string levels;
  for (unsigned c : s.conns) levels += (levels.empty() ? "" : ", ") + std::to_string(c);
  std::printf(
      "webhook benchmark: POST /sms/webhook, pre-built signed inbound SMS webhooks (a distinct "
      "MessageSid each) over keep-alive connections\n");
  std::printf("closed loop at %s connections, %g s warm-up + %g s measured each", levels.c_str(),
              s.warmup, s.seconds);
  if (s.rate > 0)
    std::printf("; then open loop at %g req/s on a pool of %u connections, %g s + %g s", s.rate,
                s.open_conns, s.warmup, s.seconds);
  std::printf("\n");
  std::printf(
      "client: this program, %u client thread%s (epoll; the open loop on 1), in the same machine: "
      "%u hardware threads shared by the client, the server and whatever else runs\n",
      s.client_threads, s.client_threads == 1 ? "" : "s", std::thread::hardware_concurrency());
  std::printf("%s\n", machine_line(shown_dir).c_str());
  std::printf("date: %s; %s\n", utc_now().c_str(), commit_line(FL_SOURCE_DIR).c_str());
  std::fflush(stdout);

  std::optional<target> fl;
  if (fieldline) {
    fl.emplace(s.url.empty() ? start_fieldline(s, *scratch) : existing_server(s));
    std::printf("fieldline: %s\n", fl->description.c_str());
  }
  std::unique_ptr<ceiling_server> ce;
  endpoint ce_ep;
  if (ceiling) {
    ce = std::make_unique<ceiling_server>(ceiling_routes(), s.ceiling_threads);
    ce_ep = resolve("127.0.0.1", ce->port());
    std::printf(
        "ceiling: in-process RESTinio %llu.%llu.%llu (express router, %u threads, the server's "
        "limits) "
        "answering 200 text/xml with fieldline's empty TwiML at 127.0.0.1:%u, doing nothing else\n",
        static_cast<unsigned long long>(RESTINIO_VERSION_MAJOR),
        static_cast<unsigned long long>(RESTINIO_VERSION_MINOR),
        static_cast<unsigned long long>(RESTINIO_VERSION_PATCH), s.ceiling_threads,
        static_cast<unsigned>(ce->port()));
  }

  // The requests, signed for the server under test (the ceiling gets the same
  // bytes and ignores them).
  inbound_settings is;
  is.seed = random_seed();
  is.customers = s.customers;
  if (fl) {
    is.host_header = fl->url.host_port();
    is.public_url = fl->public_url;
    is.auth_token = secret(fl->auth_token);
    is.account_sid = fl->account_sid;
    is.to = fl->to;
  } else {
    is.host_header = ce_ep.name;
    is.public_url = "http://" + ce_ep.name;
    is.auth_token = secret(random_hex(16));
    is.account_sid = s.account_sid;
    is.to = s.to.empty() ? "+15005550006" : s.to;
  }
  request_set requests;
  const auto built_from = bench_clock::now();
  const inbound_stats stats = build_inbound_requests(is, s.requests, requests);
  std::printf(
      "requests: %s built and signed in %.1f s before any timing: mean %.0f bytes (Body %.0f "
      "bytes; %zu UCS-2, %zu of two segments), From %zu customers\n",
      with_commas(requests.size()).c_str(), seconds_since(built_from), stats.mean_request_bytes,
      stats.mean_body_chars, stats.ucs2_bodies, stats.two_segment_bodies, s.customers);

  std::vector<outcome> outcomes(requests.size(), outcome::not_sent);
  std::atomic<std::size_t> fl_next{0};
  load_tally fl_total, ce_total;
  if (fl) {
    // One request first, so that a missing route or a refused signature stops
    // the run with a clear message instead of a table of errors.
    const std::size_t i = fl_next++;
    auto r = http_call(fl->ep, requests.at(i), std::chrono::milliseconds(10000));
    const bool ok = r.status == 200 && r.body.find("<Response") != std::string::npos;
    outcomes[i] = ok ? outcome::ok : outcome::other_status;
    ++fl_total.sent;
    if (!ok)
      throw std::runtime_error("a signed inbound webhook to fieldline's POST /sms/webhook got " +
                               std::to_string(r.status) +
                               " (expected 200 <Response/>): " + r.body.substr(0, 300));
    ++fl_total.ok;
  }
  std::printf("\n");

  std::printf("%-14s | %-60s | %-60s |\n", "", fl ? "fieldline" : "fieldline (not run)",
              ce ? "ceiling" : "ceiling (not run)");
  const char* head = "%8s %7s %7s %7s %6s %6s %6s %6s";
  char side[160];
  std::snprintf(side, sizeof side, head, "req/s", "p50 ms", "p99 ms", "max ms", "non200", "errors",
                "srv us", "cli us");
  std::printf("%5s %-8s | %s | %s | %s\n", "conns", "load", side, side, "ratio");
  std::fflush(stdout);

  load_plan fl_plan;
  if (fl) {
    fl_plan.target = &fl->ep;
    fl_plan.requests = &requests;
    fl_plan.next = &fl_next;
    fl_plan.outcomes = &outcomes;
    fl_plan.expect_in_ok_body = "<Response";
  }
  std::atomic<std::size_t> ce_next{0};
  load_plan ce_plan;
  ce_plan.target = &ce_ep;
  ce_plan.requests = &requests;
  ce_plan.next = &ce_next;
  ce_plan.wrap = true;  // the ceiling stores nothing: it may see a request twice
  ce_plan.expect_in_ok_body = "<Response";

  std::function<double()> fl_cpu;
  if (fl && fl->child) fl_cpu = [&fl] { return fl->child->cpu_seconds(); };
  const std::function<double()> ce_cpu = [] { return process_cpu_seconds(); };

  std::optional<load_figures> fl64, fl_open, ce64;
  auto row = [&](const std::string& load, unsigned conns, const load_shape& shape) {
    std::optional<load_figures> a, b;
    if (fl) {
      a = run_load(fl_plan, shape, fl_cpu, false);
      if (!fl->child || fl->child->running())
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    if (ce) b = run_load(ce_plan, shape, ce_cpu, true);
    char ratio[16] = "    -";
    if (a && b && shape.rate == 0 && b->ok_per_s > 0)
      std::snprintf(ratio, sizeof ratio, "%5.2f", a->ok_per_s / b->ok_per_s);
    std::printf("%5u %-8s | %s | %s | %s\n", conns, load.c_str(),
                columns(a ? &*a : nullptr).c_str(), columns(b ? &*b : nullptr).c_str(), ratio);
    std::fflush(stdout);
    if (a) {
      if (shape.rate == 0 && conns == 64) fl64 = *a;
      if (shape.rate > 0) fl_open = *a;
      fl_total.merge(std::move(a->tally));
    }
    if (b) {
      if (shape.rate == 0 && conns == 64) ce64 = *b;
      ce_total.merge(std::move(b->tally));
    }
    if (fl && fl->child && !fl->child->running())
      throw std::runtime_error("fieldline exited during the run (" + fl->child->how_it_ended() +
                               "); its log:\n" + fl->child->log_tail());
  };
  for (unsigned c : s.conns) row("closed", c, {c, s.client_threads, 0, s.warmup, s.seconds});
  if (s.rate > 0) {
    char load[24];
    std::snprintf(load, sizeof load, "%g/s", s.rate);
    row(load, s.open_conns, {s.open_conns, 1, s.rate, s.warmup, s.seconds});
  }

  std::printf(
      "\nreq/s: 200 answers carrying <Response per second of the measured window (ratio: "
      "fieldline / ceiling); p50, p99, max: latency of the answers in the window, from sending "
      "the request (closed loop) or from its scheduled time (open loop);\nnon200, errors: answers "
      "other than such a 200, and requests without a usable answer, over the whole row (warm-up "
      "and drain included); srv us: server CPU time per answer in the window (fieldline: its "
      "process, from /proc, 10 ms ticks; ceiling: this process minus the client threads); cli "
      "us: the client threads' CPU time per answer.\n");
  const std::size_t used = std::min(fl_next.load(), requests.size());
  if (fl) {
    std::printf(
        "fieldline: %s of %s pre-built requests sent, each MessageSid once (the probe "
        "request included): %s\n",
        with_commas(used).c_str(), with_commas(requests.size()).c_str(),
        counts_line(fl_total).c_str());
    if (fl_total.exhausted)
      std::printf(
          "fieldline: RAN OUT of pre-built requests; the figures after that point are "
          "short: raise --requests\n");
    if (fl_open)
      std::printf("fieldline open loop: at most %zu requests waited for a free connection\n",
                  fl_open->tally.max_pending);
  }
  if (ce)
    std::printf("ceiling: %s requests sent: %s\n", with_commas(ce_total.sent).c_str(),
                counts_line(ce_total).c_str());
  if (fl64) {
    char versus[64] = "";
    if (ce64 && ce64->ok_per_s > 0)
      std::snprintf(versus, sizeof versus, ", %.2f of the ceiling's %.0f",
                    fl64->ok_per_s / ce64->ok_per_s, ce64->ok_per_s);
    std::printf("target >= 5,000 durable inbound webhooks/s at 64 connections: %s (%.0f req/s%s)\n",
                fl64->ok_per_s >= 5000 ? "met" : "MISSED", fl64->ok_per_s, versus);
  }
  if (fl_open && s.rate == 1000)
    std::printf(
        "target p99 <= 10 ms at 1,000 req/s (open loop): %s (p99 %.2f ms, %.0f answers/s, "
        "%s non-200, %s errors)\n",
        fl_open->p99_ms <= 10 && fl_open->tally.non_ok() == 0 && fl_open->tally.error_count() == 0
            ? "met"
            : "MISSED",
        fl_open->p99_ms, static_cast<double>(fl_open->tally.answers_in_window) / s.seconds,
        with_commas(fl_open->tally.non_ok()).c_str(),
        with_commas(fl_open->tally.error_count()).c_str());
  std::fflush(stdout);

  ce.reset();
  int rc = 0;
  if (s.check && !check_log(s, *fl, *scratch, is.seed, outcomes, used)) rc = 1;
  if (fl && fl->child) {
    const int code = fl->child->stop(std::chrono::seconds(60));
    if (!s.check && code != 0) std::printf("fieldline stopped with exit code %d\n", code);
  }
  if (scratch && s.keep)
    std::printf("kept %s (data/, fieldline.log)\n", scratch->path().string().c_str());
  return rc;
}

}  // namespace
}  // namespace fl::bench

int main(int argc, char** argv) {
  fl::bench::settings s;
  CLI::App app{
      "Inbound-webhook load benchmark: the fieldline binary (durable appends) against an "
      "in-process RESTinio ceiling"};
  app.add_option("--conns", s.conns, "closed-loop connection counts, e.g. 1,8,64")
      ->delimiter(',')
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seconds", s.seconds, "measured seconds per run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", s.warmup, "warm-up seconds per run (not measured)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rate", s.rate, "open-loop requests per second (0: no open-loop run)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--open-conns", s.open_conns, "connections the open loop may use")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--requests", s.requests,
                 "requests to pre-build; fieldline never gets the same one twice")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--customers", s.customers, "distinct From numbers (at most 10000)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--client-threads", s.client_threads, "client threads of the closed loop")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  app.add_option("--ceiling-threads", s.ceiling_threads, "the ceiling server's threads")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--binary", s.binary, "the fieldline binary to start")->capture_default_str();
  app.add_option("--dir", s.dir, "scratch directory for the server's data (removed afterwards)")
      ->capture_default_str();
  app.add_flag("--keep", s.keep, "keep the scratch directory");
  app.add_flag("--check", s.check,
               "afterwards stop the server, run `fieldline verify` and count the stored "
               "sms_received events against the 200 answers");
  app.add_flag("--ceiling-only", s.ceiling_only, "measure only the ceiling (no fieldline)");
  app.add_flag("--no-ceiling", s.no_ceiling, "measure only fieldline");
  app.add_option("--serve-ceiling", s.serve_ceiling,
                 "only run the ceiling server for this many seconds (to load it with another tool)")
      ->check(CLI::PositiveNumber);
  app.add_option("--url", s.url, "load an already running server (http://host:port) instead");
  app.add_option("--public-url", s.public_url,
                 "with --url: the server's FIELDLINE_PUBLIC_URL (default: --url)");
  app.add_option("--auth-token", s.auth_token, "with --url: the tenant's Twilio auth token");
  app.add_option("--to", s.to, "the tenant's number (default +15005550006)");
  app.add_option("--account-sid", s.account_sid, "the tenant's Twilio account sid")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    return fl::bench::run(s);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "\nwebhook benchmark failed: %s\n", e.what());
    return 1;
  }
}
