// POST /sms/trigger/{type}: a person fires one notification on purpose.

#include <catch2/catch.hpp>

#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;

TEST_CASE("a trigger by hand fires once, marked by_hand, whatever the switches and quiet hours",
          "[job][by_hand]") {
  world w;
  w.ctx.settings.enabled = false;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.ctx.now = at("2026-11-23T23:00:00-06:00");
  const auto& fired = only_trigger(w.run_job(trigger_notification{"scheduled"}));
  CHECK(fired.trigger == "scheduled");
  CHECK(fired.by_hand);
  CHECK(!fired.held_until_us);
  CHECK(w.job_error_of(trigger_notification{"scheduled"}) == job_errc::already_sent);
}

TEST_CASE("a trigger by hand counts for the automation: it does not fire again after",
          "[job][by_hand]") {
  world w;
  w.run_job(trigger_notification{"scheduled"});
  CHECK(triggers_in(w.run_job(assign_job{"tech_1"})).empty());
}

TEST_CASE("a trigger the automation fired cannot be fired again by hand", "[job][by_hand]") {
  world w;
  w.assign();
  CHECK(w.job_error_of(trigger_notification{"scheduled"}) == job_errc::already_sent);
}

TEST_CASE("15_min by hand carries the ETA when the technician has a fix", "[job][by_hand]") {
  world w;
  w.assign();
  w.fix(km_north(20));
  const auto& fired = only_trigger(w.run_job(trigger_notification{"15_min"}));
  REQUIRE(fired.eta_minutes);
  CHECK(*fired.eta_minutes > 15);
}

TEST_CASE(
    "a trigger by hand is refused for an unknown type, an opted-out customer or a "
    "cancelled job",
    "[job][by_hand]") {
  world w;
  CHECK(w.job_error_of(trigger_notification{"manual"}) == job_errc::unknown_trigger);
  CHECK(w.job_error_of(trigger_notification{"reply"}) == job_errc::unknown_trigger);
  CHECK(w.job_error_of(trigger_notification{"fifteen_min"}) == job_errc::unknown_trigger);
  CHECK(w.job_error_of(trigger_notification{""}) == job_errc::unknown_trigger);
  w.ctx.customer_opted_out = true;
  CHECK(w.job_error_of(trigger_notification{"arrived"}) == job_errc::opted_out);
  w.ctx.customer_opted_out = false;
  w.run_job(cancel_job{});
  CHECK(w.job_error_of(trigger_notification{"arrived"}) == job_errc::job_closed);
}

TEST_CASE("a reminder by hand stands for the appointment's reminder", "[job][by_hand]") {
  world w;
  w.run_job(trigger_notification{"reminder"});
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());
}
