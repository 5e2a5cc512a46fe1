#pragma once

// `fieldline serve` as a benchmark's child process: on a free loopback port,
// sandbox transport, nothing from the caller's environment in its
// configuration; and plain GET requests to it.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench/http_load.hpp"
#include "bench/server_process.hpp"

namespace fl::bench {

struct serve_child {
  std::unique_ptr<server_process> process;
  http_url url;
  endpoint ep;
  std::string operator_token;  // FIELDLINE_OPERATOR_TOKEN of the child
};

/// 48 random hex digits: the child's operator token.
inline std::string random_token() {
  std::random_device rd;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 48; ++i) out += digits[rd() & 15];
  return out;
}

inline serve_child start_serve(const std::string& binary, const std::filesystem::path& data_dir,
                               const std::filesystem::path& log) {
  serve_child s;
  s.url = parse_http_url("http://127.0.0.1:" + std::to_string(free_loopback_port()));
  s.ep = resolve(s.url.host, s.url.port);
  s.operator_token = random_token();
  s.process = std::make_unique<server_process>(
      std::vector<std::string>{binary, "serve", "--listen", s.url.host_port(), "--data",
                               data_dir.string()},
      std::vector<std::string>{"FIELDLINE_", "TWILIO_", "ANTHROPIC_"},
      std::vector<std::pair<std::string, std::string>>{
          {"FIELDLINE_OPERATOR_TOKEN", s.operator_token},
          {"FIELDLINE_PUBLIC_URL", s.url.origin},
          {"FIELDLINE_SMS_TRANSPORT", "sandbox"}},
      log);
  return s;
}

/// A GET with keep-alive (for the load) or `Connection: close` (one-off calls).
inline std::string get_request(const std::string& host, const std::string& target,
                               const std::string& bearer, bool keep_alive) {
  std::string r = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
  if (!bearer.empty()) r += "Authorization: Bearer " + bearer + "\r\n";
  if (!keep_alive) r += "Connection: close\r\n";
  return r + "\r\n";
}

/// Polls GET `target` every `every` until it answers 200; the seconds from
/// `since` to that answer. Throws if the server exits or `timeout` passes.
inline double wait_for_200(serve_child& s, const std::string& target, bench_clock::time_point since,
                           std::chrono::seconds timeout, std::chrono::milliseconds every) {
  const auto deadline = since + timeout;
  const std::string request = get_request(s.url.host_port(), target, "", false);
  std::string last = "no answer";
  while (bench_clock::now() < deadline) {
    if (!s.process->running())
      throw std::runtime_error("fieldline exited (" + s.process->how_it_ended() + ") before GET " +
                               target + " answered 200; its log:\n" + s.process->log_tail());
    try {
      auto r = http_call(s.ep, request, std::chrono::milliseconds(2000));
      if (r.status == 200) return seconds_since(since);
      last = "answered " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(every);
  }
  throw std::runtime_error("GET " + target + " did not answer 200 within " +
                           std::to_string(timeout.count()) + " s (last: " + last + "); log:\n" +
                           s.process->log_tail());
}

}  // namespace fl::bench
