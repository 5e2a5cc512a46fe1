// The tenant's settings, quiet hours and the customer's opt-out decide
// whether a notification goes, and when.

#include <catch2/catch.hpp>

#include "domain/job_notifications.hpp"
#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;
using strings = std::vector<std::string>;

TEST_CASE("a trigger switched off in the settings fires nothing", "[job][notifications]") {
  world w;
  w.ctx.settings.triggers.scheduled = false;
  CHECK(triggers_in(w.run_job(assign_job{"tech_1"})).empty());
  CHECK_FALSE(w.job.fired.fired(sms_trigger::scheduled));
  // The others still go.
  CHECK(triggers_in(w.status("enroute")) == strings{"enroute"});
}

TEST_CASE("each trigger's own switch turns off that trigger alone", "[job][notifications]") {
  for (auto off : {sms_trigger::enroute, sms_trigger::fifteen_min, sms_trigger::arrived,
                   sms_trigger::complete}) {
    INFO(to_string(off));
    world w;
    set_switch(w.ctx.settings.triggers, off, false);
    w.assign();
    w.status("enroute");
    w.fix(km_north(9));
    w.fix(km_north(0.05));
    w.status("complete");
    auto fired = triggers_in(w.job_log);
    CHECK(std::find(fired.begin(), fired.end(), std::string(to_string(off))) == fired.end());
    CHECK(fired.size() == 4);
  }
}

TEST_CASE("the master switch off fires no automated notification", "[job][notifications]") {
  world w;
  w.ctx.settings.enabled = false;
  w.assign();
  w.fix(km_north(30));
  w.status("enroute");
  w.fix(km_north(9));
  w.fix(km_north(0.05));
  w.status("complete");
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});
  CHECK(triggers_in(w.job_log).empty());
  auto d = decide_notification(w.job, job_was_assigned{}, w.ctx);
  CHECK(d.skipped != notification_skip::none);
}

TEST_CASE("a customer who opted out gets no notification", "[job][notifications]") {
  world w;
  w.ctx.customer_opted_out = true;
  w.assign();
  w.status("enroute");
  w.status("on_site");
  auto d = decide_notification(w.job, job_was_assigned{}, w.ctx);
  CHECK(d.skipped == notification_skip::opted_out);
  w.status("complete");
  CHECK(triggers_in(w.job_log).empty());
}

TEST_CASE("quiet hours hold scheduled until they end", "[job][notifications][quiet]") {
  world w;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.ctx.now = at("2026-11-23T22:15:00-06:00");
  const auto& scheduled = only_trigger(w.run_job(assign_job{"tech_1"}));
  REQUIRE(scheduled.held_until_us);
  CHECK(from_micros(*scheduled.held_until_us) == at("2026-11-24T08:00:00-06:00"));
  // Held, not dropped: pending until then.
  CHECK(due_notifications(w.job, w.ctx.now).empty());
  CHECK(next_release_at(w.job) == at("2026-11-24T08:00:00-06:00"));
  REQUIRE(due_notifications(w.job, at("2026-11-24T08:00:00-06:00")).size() == 1);
}

TEST_CASE("quiet hours hold complete", "[job][notifications][quiet]") {
  world w;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.assign();
  w.status("on_site");
  w.ctx.now = at("2026-11-23T21:30:00-06:00");
  const auto& complete = only_trigger(w.status("complete"));
  REQUIRE(complete.held_until_us);
  CHECK(from_micros(*complete.held_until_us) == at("2026-11-24T08:00:00-06:00"));
}

TEST_CASE("quiet hours do not hold enroute, 15_min or arrived", "[job][notifications][quiet]") {
  world w;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.assign();
  w.ctx.now = at("2026-11-23T22:00:00-06:00");
  w.fix(km_north(30));
  const auto& enroute = only_trigger(w.status("enroute"));
  CHECK(!enroute.held_until_us);
  const auto& fifteen = only_trigger(w.fix(km_north(9)));
  CHECK(fifteen.trigger == "15_min");
  CHECK(!fifteen.held_until_us);
  const auto& arrived = only_trigger(w.fix(km_north(0.05)));
  CHECK(arrived.trigger == "arrived");
  CHECK(!arrived.held_until_us);
  // With scheduled, assigned at 10 AM, none is held.
  CHECK(due_notifications(w.job, w.ctx.now).size() == 4);
}
