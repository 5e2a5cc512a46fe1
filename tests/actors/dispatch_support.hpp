#pragma once

// A dispatch runtime over a real event log, with the conversations it texts
// through and a fake clock, for the tests of the customer notifications.

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>

#include "actors/dispatch_runtime.hpp"
#include "actors/messaging_runtime.hpp"
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

}  // namespace fl::testing
