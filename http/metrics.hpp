#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fl::http {

/// Values read at scrape time (gauges of the runtime, the log, the outbox).
struct metric_sample {
  std::string name;
  std::string help;
  double value = 0;
};

/// The server's Prometheus metrics (prometheus-cpp core), rendered in the
/// text exposition format by `GET /metrics`.
///
/// Thread safety: every member may be called from any thread.
class metrics {
 public:
  metrics();
  ~metrics();
  metrics(const metrics&) = delete;
  metrics& operator=(const metrics&) = delete;

  /// One answered HTTP request: its route pattern (not the raw path, to keep
  /// label cardinality bounded), status and duration.
  void observe_request(std::string_view route, int status, double seconds);
  /// One Twilio webhook by kind ("inbound", "status") and outcome.
  void count_webhook(std::string_view kind, std::string_view outcome);
  /// Adds gauges sampled at each scrape.
  void add_sampler(std::function<std::vector<metric_sample>()> sampler);

  std::string render();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::http
