#pragma once

// A dispatch runtime over a real event log, with the conversations it texts
// through and a fake clock, for the tests of the customer notifications.

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>

#include "actors/dispatch_runtime.hpp"
#include "actors/messaging_runtime.hpp"
#include "tests/domain/time_test_support.hpp"
#include "tests/support/recording_outbox.hpp"
#include "tests/support/temp_dir.hpp"

namespace fl::testing {

inline const std::string dispatch_tenant = "tn_acme";
inline const std::string tenant_number = "+15005550006";

struct settable_clock {
  std::atomic<std::int64_t> us{0};
  fl::timestamp now() const { return from_micros(us.load()); }
  void set(fl::timestamp t) { us = to_micros(t); }
};

template <class State>
actors::dispatch_result<State> wait_for(std::future<actors::dispatch_result<State>>& f) {
  using namespace std::chrono_literals;
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

/// The log, the tenant (America/Chicago), its SMS settings, the
/// conversations and the dispatch actors; rebuilt over the same log by
/// `restart()`.
struct dispatch_fixture {
  temp_dir dir;
  std::unique_ptr<storage::event_store> store;
  domain::tenant_directory tenants;
  recording_outbox out;
  settable_clock clock;
  actors::consent_registry consent;
  std::unique_ptr<notifications::sms_config_service> config;
  std::unique_ptr<actors::messaging_runtime> conversations;
  std::unique_ptr<actors::dispatch_runtime> dispatch;

  explicit dispatch_fixture(fl::timestamp start);
  /// With the dispatch options edited by `tune` (after the fixture's own:
  /// the fake clock, no reminder sweep, no periodic passivation).
  dispatch_fixture(fl::timestamp start, std::function<void(actors::dispatch_options&)> tune);
  ~dispatch_fixture();

  /// Stops the actors and starts new ones over the same log.
  void restart();

  actors::dispatch_result<domain::customer_state> customer(const std::string& id,
                                                           domain::customer_command c);
  actors::dispatch_result<domain::technician_state> technician(const std::string& id,
                                                               domain::technician_command c);
  actors::location_batch_result technician_locations(std::string id,
                                                     std::vector<domain::record_location> fixes);
  actors::dispatch_result<domain::job_state> job(const std::string& id, domain::job_command c,
                                                 std::optional<fl::timestamp> as_of = std::nullopt);
  actors::reminder_sweep_result send_reminders(std::optional<fl::timestamp> as_of);

  /// The events of a stream, in order.
  std::vector<events::event> stream(const std::string& name) const;
  /// Every sms_queued of the customer's conversation.
  std::vector<events::sms_queued> texts_to(const std::string& phone) const;

  void set_settings(const std::function<void(domain::sms_settings&)>& edit);

 private:
  std::function<void(actors::dispatch_options&)> tune_;
  void start();
};

/// The customer of the dispatch tests and where her job is: downtown
/// Chicago; `far` is ~10 km north, where the technician starts.
inline const std::string jane_phone = "+13125550147";
inline constexpr double job_lat = 41.8781, job_lon = -87.6298;
inline constexpr double far_lat = 41.9681, far_lon = -87.6298;

inline domain::person_details jane() {
  return {"Jane", "Doe", jane_phone, "1 Main St"};
}

/// Registers Jane (c1), technician Mike (t1) and job j1 at Jane's, tomorrow
/// 2:30 PM in Chicago; assigned to Mike unless `assign` is false.
inline void book(dispatch_fixture& f, bool assign = true) {
  REQUIRE(f.customer("c1", domain::register_customer{"c1", jane()}));
  REQUIRE(
      f.technician("t1", domain::register_technician{"t1", {"Mike", "Ross", "+13125550190", ""}}));
  REQUIRE(f.job("j1", domain::create_job{"j1", "c1", "1 Main St", job_lat, job_lon,
                                         fl::time_test::at("2026-12-08T14:30:00-06:00"),
                                         "https://pay.example/inv/1"}));
  if (assign) REQUIRE(f.job("j1", domain::assign_job{"t1"}));
}

}  // namespace fl::testing
