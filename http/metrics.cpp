#include "http/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>

namespace fl::http {

struct metrics::impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("fieldline_http_requests_total")
          .Help("HTTP requests answered, by route and status")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("fieldline_http_request_duration_seconds")
          .Help("Time from request to answer, by route")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& webhooks =
      prometheus::BuildCounter()
          .Name("fieldline_twilio_webhooks_total")
          .Help("Twilio webhooks by kind and outcome")
          .Register(*registry);
  std::map<std::string, prometheus::Gauge*> sampled;  // by metric name
  std::mutex samplers_mutex;
  std::vector<std::function<std::vector<metric_sample>()>> samplers;
};

metrics::metrics() : impl_(std::make_unique<impl>()) {}
metrics::~metrics() = default;

void metrics::observe_request(std::string_view route, int status, double seconds) {
  std::string r(route);
  impl_->requests.Add({{"route", r}, {"status", std::to_string(status)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries buckets{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                               0.025,  0.05,  0.1,    0.25,  1.0};
  impl_->durations.Add({{"route", r}}, buckets).Observe(seconds);
}

void metrics::count_webhook(std::string_view kind, std::string_view outcome) {
  impl_->webhooks.Add({{"kind", std::string(kind)}, {"outcome", std::string(outcome)}}).Increment();
}

void metrics::add_sampler(std::function<std::vector<metric_sample>()> sampler) {
  std::lock_guard lock(impl_->samplers_mutex);
  impl_->samplers.push_back(std::move(sampler));
}

std::string metrics::render() {
  {
    std::lock_guard lock(impl_->samplers_mutex);
    for (const auto& sampler : impl_->samplers)
      for (const auto& s : sampler()) {
        auto& gauge = impl_->sampled[s.name];
        if (!gauge)
          gauge = &prometheus::BuildGauge()
                       .Name(s.name)
                       .Help(s.help)
                       .Register(*impl_->registry)
                       .Add({});
        gauge->Set(s.value);
      }
  }
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace fl::http
