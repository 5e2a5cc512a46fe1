// Recovery is a fold of evolve: a state rebuilt from the recorded events
// equals the state decide and evolve made live.

#include <catch2/catch.hpp>

#include "domain/customer.hpp"
#include "domain/sms_settings_state.hpp"
#include "domain/template_library.hpp"
#include "events/codec.hpp"
#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;

namespace {

// The events as the log gives them back: encoded and decoded again.
std::vector<events::event> through_the_log(const std::vector<events::event>& in) {
  std::vector<events::event> out;
  for (const auto& e : in) {
    auto decoded = events::decode_data(events::type_name_of(e), events::schema_version_of(e),
                                       events::encode_data(e));
    REQUIRE(decoded);
    out.push_back(*decoded);
  }
  return out;
}

void check_same_track(const technician_state& a, const technician_state& b) {
  CHECK(a.track.size() == b.track.size());
  REQUIRE((a.track.latest() == nullptr) == (b.track.latest() == nullptr));
  if (a.track.latest()) {
    CHECK(a.track.latest()->at == b.track.latest()->at);
    CHECK(a.track.latest()->recorded_at == b.track.latest()->recorded_at);
    CHECK(a.track.latest()->speed_mps == b.track.latest()->speed_mps);
  }
  CHECK(a.track.average_speed_mps() == b.track.average_speed_mps());
}

}  // namespace

TEST_CASE("a job and its technician rebuilt from their logs equal the live states",
          "[job][replay]") {
  world w;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.ctx.now = at("2026-11-22T22:00:00-06:00");
  w.assign();  // held until morning
  w.run_job(reschedule_job{at("2026-11-24T14:30:00-06:00")});
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});
  w.run_job(record_notification_queued{sms_trigger::scheduled, "msg_1"});
  w.ctx.now = at("2026-11-24T13:00:00-06:00");
  w.fix(km_north(30), 60s, 20.0);
  w.status("enroute");
  w.fix(km_north(25));
  w.run_tech(record_location{30.0, -97.0, at("2026-11-24T12:00:00-06:00"), std::nullopt});
  w.fix(km_north(9));
  w.fix(km_north(0.05));
  w.run_job(record_notification_skipped{sms_trigger::reminder, "opted_out"});
  w.status("complete");

  job_state job;
  for (const auto& e : through_the_log(w.job_log)) evolve(job, e);
  CHECK(job == w.job);
  CHECK(job.version == w.job_log.size());
  CHECK(job.status == job_status::complete);

  technician_state tech;
  for (const auto& e : through_the_log(w.tech_log)) evolve(tech, e);
  CHECK(tech.status == w.tech.status);
  CHECK(tech.job_id == w.tech.job_id);
  CHECK(tech.stale_fixes == 1);
  CHECK(tech.stale_fixes == w.tech.stale_fixes);
  CHECK(tech.version == w.tech.version);
  check_same_track(tech, w.tech);
}

TEST_CASE("a rebuilt job decides the same as the live one: nothing fires twice after a restart",
          "[job][replay]") {
  world w;
  w.assign();
  w.status("enroute");
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});

  job_state job;
  for (const auto& e : through_the_log(w.job_log)) evolve(job, e);
  w.ctx.technician = &w.tech;
  for (job_command cmd :
       {job_command{send_reminder{}},
        job_command{follow_technician_status{"tech_1", technician_status::enroute}},
        job_command{assign_job{"tech_1"}}}) {
    auto live = decide(w.job, cmd, w.ctx);
    auto rebuilt = decide(job, cmd, w.ctx);
    REQUIRE(live);
    REQUIRE(rebuilt);
    CHECK(*live == *rebuilt);
    CHECK(rebuilt->empty());
  }
}

TEST_CASE("customers, settings and templates rebuilt from their logs equal the live states",
          "[replay]") {
  customer_state customer;
  std::vector<events::event> customer_log;
  for (customer_command cmd :
       {customer_command{register_customer{"cus_1", {"Jane", "Doe", "+15551234567", "1 Elm"}}},
        customer_command{update_customer{{"Jane", "Roe", "+15551234568", "2 Oak"}}}}) {
    auto decided = decide(customer, cmd, {});
    REQUIRE(decided);
    for (const auto& e : *decided) {
      evolve(customer, e);
      customer_log.push_back(e);
    }
  }
  customer_state rebuilt_customer;
  for (const auto& e : through_the_log(customer_log)) evolve(rebuilt_customer, e);
  CHECK(rebuilt_customer == customer);

  sms_settings_state settings;
  auto wanted = default_sms_settings("Acme");
  wanted.triggers.arrived = false;
  auto changed = decide(settings, change_sms_settings{wanted}, "Acme");
  REQUIRE(changed);
  for (const auto& e : *changed) evolve(settings, e);
  sms_settings_state rebuilt_settings;
  for (const auto& e : through_the_log(*changed)) evolve(rebuilt_settings, e);
  CHECK(rebuilt_settings == settings);

  template_library_state templates;
  template_library_context ctx{[n = 0]() mutable { return "tpl_" + std::to_string(++n); }};
  std::vector<events::event> template_log;
  for (template_command cmd :
       {template_command{seed_default_templates{}},
        template_command{set_template_enabled{"tpl_2", false}},
        template_command{delete_template{"tpl_3"}},
        template_command{save_template{std::nullopt, std::nullopt, "Thanks", "Thanks!", true}}}) {
    auto decided = decide(templates, cmd, ctx);
    REQUIRE(decided);
    for (const auto& e : *decided) {
      evolve(templates, e);
      template_log.push_back(e);
    }
  }
  template_library_state rebuilt_templates;
  for (const auto& e : through_the_log(template_log)) evolve(rebuilt_templates, e);
  CHECK(rebuilt_templates == templates);
  CHECK(templates.templates.size() == 6);
}
