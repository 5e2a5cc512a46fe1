#pragma once

// Random field-service traffic beside the SMS traffic of `sms_workload`:
// customers registered and edited (their phones among the conversations'
// numbers, so opt-outs cross them), technicians with statuses and location
// fixes out of order, jobs with assignments, statuses and notifications.

#include <random>
#include <string>
#include <vector>

#include "domain/dispatch_streams.hpp"
#include "tests/projections/ticket_workload.hpp"
#include "tests/projections/workload.hpp"

namespace fl::testing {

class dispatch_workload {
 public:
  dispatch_workload(std::uint64_t seed, std::vector<std::string> tenants, int phones = 6)
      : rng_(seed * 7919 + 17), tenants_(std::move(tenants)), phones_(phones) {}

  /// One more append: one or two events on a customer's, technician's, job's
  /// or conversation's stream.
  storage::append_request next() {
    const auto& tenant = tenants_[pick(tenants_.size())];
    storage::append_request r;
    r.tenant = tenant;
    std::string id = std::to_string(pick(8));
    int dice = static_cast<int>(pick(100));
    if (dice < 12) {
      r.stream = domain::customer_stream(tenant, "cu_" + id);
      r.events.push_back(events::customer_registered{"cu_" + id, "Dana", "Doe", phone(), "1 Elm"});
    } else if (dice < 22) {
      r.stream = domain::customer_stream(tenant, "cu_" + id);
      r.events.push_back(events::customer_updated{"Dana", "Roe", phone(), "2 Elm"});
    } else if (dice < 28) {
      r.stream = domain::technician_stream(tenant, "te_" + id);
      r.events.push_back(events::technician_registered{"te_" + id, "Mike", "Tech", phone()});
    } else if (dice < 38) {
      static const char* statuses[] = {"available", "enroute", "on_site", "complete"};
      r.stream = domain::technician_stream(tenant, "te_" + id);
      std::string status = statuses[pick(4)];
      r.events.push_back(events::technician_status_changed{
          status, status == "available" ? std::nullopt : std::optional("jb_" + id), "reported"});
    } else if (dice < 55) {
      r.stream = domain::technician_stream(tenant, "te_" + id);
      // Around a moving clock, so some fixes come older than the latest.
      clock_us_ += 1'000'000;
      auto at = clock_us_ - static_cast<std::int64_t>(pick(5)) * 2'000'000;
      r.events.push_back(events::technician_located{41.0 + static_cast<double>(pick(1000)) / 1e4,
                                                    -87.0 - static_cast<double>(pick(1000)) / 1e4,
                                                    at,
                                                    pick(2) ? std::optional(8.5) : std::nullopt});
      if (pick(6) == 0)
        r.events.push_back(events::technician_status_changed{"on_site", "jb_" + id, "geofence"});
    } else if (dice < 65) {
      events::job_created c;
      c.job_id = "jb_" + id;
      c.customer_id = "cu_" + std::to_string(pick(8));
      c.address = "3 Oak";
      if (pick(2)) {
        c.lat = 41.5;
        c.lon = -87.5;
      }
      c.scheduled_at_us =
          1'795'000'000'000'000 + static_cast<std::int64_t>(pick(100)) * 3'600'000'000;
      r.stream = domain::job_stream(tenant, c.job_id);
      r.events.push_back(c);
    } else if (dice < 72) {
      r.stream = domain::job_stream(tenant, "jb_" + id);
      r.events.push_back(events::job_assigned{"te_" + std::to_string(pick(8))});
    } else if (dice < 78) {
      static const char* statuses[] = {"enroute", "on_site", "complete", "cancelled", "bogus"};
      r.stream = domain::job_stream(tenant, "jb_" + id);
      r.events.push_back(events::job_status_changed{statuses[pick(5)], std::nullopt});
      if (pick(3) == 0)
        r.events.push_back(events::job_rescheduled{
            1'795'000'000'000'000 + static_cast<std::int64_t>(pick(9)) * 60'000'000});
    } else if (dice < 90) {
      static const char* triggers[] = {"scheduled", "reminder", "enroute", "15_min", "arrived"};
      std::string trigger = triggers[pick(5)];
      r.stream = domain::job_stream(tenant, "jb_" + id);
      auto step = pick(3);
      if (step == 0)
        r.events.push_back(events::notification_triggered{
            "jb_" + id, trigger, 1'795'000'000'000'000 + static_cast<std::int64_t>(pick(2)), "te_1",
            pick(2) ? std::optional<std::int64_t>(9) : std::nullopt, std::nullopt, pick(4) == 0});
      else if (step == 1)
        r.events.push_back(events::notification_queued{"jb_" + id, trigger, "msg_n" + id});
      else
        r.events.push_back(events::notification_skipped{"jb_" + id, trigger, "opted_out"});
    } else {
      auto p = phone();
      r.stream = "conversation:" + tenant + ":" + p;
      if (pick(2))
        r.events.push_back(events::opted_out{p, "keyword", "STOP"});
      else
        r.events.push_back(events::opted_in{p, "START"});
    }
    return r;
  }

 private:
  std::uint64_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }
  std::string phone() {
    return "+1512555" + std::to_string(1000 + pick(static_cast<std::size_t>(phones_)));
  }

  std::mt19937_64 rng_;
  std::vector<std::string> tenants_;
  int phones_;
  std::int64_t clock_us_ = 1'795'000'000'000'000;
};

/// SMS, field-service and ticket-session traffic interleaved, over the same
/// tenants and numbers.
class mixed_workload {
 public:
  explicit mixed_workload(std::uint64_t seed, int tenants = 2)
      : sms_(seed, tenants),
        dispatch_(seed, names(sms_, tenants)),
        tickets_(seed, names(sms_, tenants)),
        rng_(seed) {}

  std::vector<storage::append_request> tenant_appends() const { return sms_.tenant_appends(); }
  const std::string& tenant(std::size_t i) const { return sms_.tenant(i); }
  storage::append_request next() {
    int dice = std::uniform_int_distribution<int>(0, 99)(rng_);
    if (dice < 40) return dispatch_.next();
    if (dice < 55) return tickets_.next();
    return sms_.next();
  }

 private:
  static std::vector<std::string> names(const sms_workload& w, int tenants) {
    std::vector<std::string> out;
    for (int i = 0; i < tenants; ++i) out.push_back(w.tenant(static_cast<std::size_t>(i)));
    return out;
  }
  sms_workload sms_;
  dispatch_workload dispatch_;
  ticket_workload tickets_;
  std::mt19937_64 rng_;
};

}  // namespace fl::testing
