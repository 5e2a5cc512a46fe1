#pragma once

// Writes chosen field-service events (customers, technicians, jobs, their
// notifications, and the consent of conversations) straight to the log, for
// the directory projection's tests.

#include <cstdint>
#include <optional>
#include <string>

#include "domain/dispatch_streams.hpp"
#include "tests/projections/log_builder.hpp"

namespace fl::testing {

class directory_log {
 public:
  explicit directory_log(storage::event_store& store) : log_(store) {}

  log_builder& log() { return log_; }

  std::uint64_t customer(const std::string& tenant, const std::string& id,
                         const std::string& first_name, const std::string& phone,
                         const std::string& address = "1 Main St") {
    return log_.append(tenant, domain::customer_stream(tenant, id),
                       events::customer_registered{id, first_name, "Doe", phone, address});
  }
  std::uint64_t update_customer(const std::string& tenant, const std::string& id,
                                const std::string& first_name, const std::string& phone,
                                const std::string& address = "1 Main St") {
    return log_.append(tenant, domain::customer_stream(tenant, id),
                       events::customer_updated{first_name, "Doe", phone, address});
  }
  std::uint64_t opt_out(const std::string& tenant, const std::string& phone) {
    return log_.append(tenant, log_builder::stream(tenant, phone),
                       events::opted_out{phone, "keyword", "STOP"});
  }
  std::uint64_t opt_in(const std::string& tenant, const std::string& phone) {
    return log_.append(tenant, log_builder::stream(tenant, phone),
                       events::opted_in{phone, "START"});
  }

  std::uint64_t technician(const std::string& tenant, const std::string& id,
                           const std::string& first_name, const std::string& phone) {
    return log_.append(tenant, domain::technician_stream(tenant, id),
                       events::technician_registered{id, first_name, "Tech", phone});
  }
  std::uint64_t technician_status(const std::string& tenant, const std::string& id,
                                  const std::string& status,
                                  std::optional<std::string> job_id = std::nullopt) {
    return log_.append(tenant, domain::technician_stream(tenant, id),
                       events::technician_status_changed{status, std::move(job_id), "reported"});
  }
  std::uint64_t located(const std::string& tenant, const std::string& id, double lat, double lon,
                        std::int64_t recorded_at_us,
                        std::optional<double> speed_mps = std::nullopt) {
    return log_.append(tenant, domain::technician_stream(tenant, id),
                       events::technician_located{lat, lon, recorded_at_us, speed_mps});
  }

  std::uint64_t job(const std::string& tenant, const std::string& id,
                    const std::string& customer_id, std::int64_t scheduled_at_us,
                    const std::string& address = "1 Main St") {
    events::job_created c;
    c.job_id = id;
    c.customer_id = customer_id;
    c.address = address;
    c.lat = 41.8781;
    c.lon = -87.6298;
    c.scheduled_at_us = scheduled_at_us;
    return log_.append(tenant, domain::job_stream(tenant, id), c);
  }
  std::uint64_t job_event(const std::string& tenant, const std::string& id, events::event e) {
    return log_.append(tenant, domain::job_stream(tenant, id), std::move(e));
  }
  std::uint64_t assign(const std::string& tenant, const std::string& id,
                       const std::string& technician_id) {
    return job_event(tenant, id, events::job_assigned{technician_id});
  }
  std::uint64_t job_status(const std::string& tenant, const std::string& id,
                           const std::string& status) {
    return job_event(tenant, id, events::job_status_changed{status, std::nullopt});
  }

 private:
  log_builder log_;
};

}  // namespace fl::testing
