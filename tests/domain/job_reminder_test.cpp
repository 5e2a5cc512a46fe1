// The day-before reminder: once per appointment time, on the tenant's clock;
// a rescheduled job gets a new one.

#include <catch2/catch.hpp>

#include "domain/job_notifications.hpp"
#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;
using strings = std::vector<std::string>;

TEST_CASE("the sweep sends the reminder from the reminder hour the day before, once",
          "[job][reminder]") {
  world w;
  w.assign();
  w.ctx.now = at("2026-11-23T17:59:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());  // before 6 PM
  w.ctx.now = at("2026-11-23T18:00:00-06:00");
  const auto& reminder = only_trigger(w.run_job(send_reminder{}));
  CHECK(reminder.trigger == "reminder");
  CHECK(reminder.scheduled_at_us == to_micros(w.job.scheduled_at));
  CHECK(!reminder.held_until_us);
  w.ctx.now = at("2026-11-23T19:00:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());  // never twice
  auto d = decide_notification(w.job, reminder_sweep{}, w.ctx);
  CHECK(d.skipped == notification_skip::already_sent);
}

TEST_CASE("the sweep sends at the reminder hour the tenant set", "[job][reminder]") {
  world w;
  w.ctx.settings.reminder_hour = 9;
  w.ctx.now = at("2026-11-23T08:59:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());
  w.ctx.now = at("2026-11-23T09:00:00-06:00");
  CHECK(triggers_in(w.run_job(send_reminder{})) == strings{"reminder"});
}

TEST_CASE("a job without a technician still gets its reminder", "[job][reminder]") {
  world w;
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  const auto& reminder = only_trigger(w.run_job(send_reminder{}));
  CHECK(!reminder.technician_id);
}

TEST_CASE("a reminder missed until the appointment day is skipped, not sent late",
          "[job][reminder]") {
  world w;
  w.ctx.now = at("2026-11-24T07:00:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());
}

TEST_CASE("a job rescheduled after its reminder gets a new one for the new time",
          "[job][reminder]") {
  world w;
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});
  w.run_job(reschedule_job{at("2026-11-26T10:00:00-06:00")});
  CHECK(w.run_job(send_reminder{}).empty());  // not the day before the new time yet
  w.ctx.now = at("2026-11-25T18:00:00-06:00");
  const auto& again = only_trigger(w.run_job(send_reminder{}));
  CHECK(again.scheduled_at_us == to_micros(at("2026-11-26T10:00:00-06:00")));
  CHECK(w.run_job(send_reminder{}).empty());
  CHECK(triggers_in(w.job_log) == strings{"reminder", "reminder"});
}

TEST_CASE("rescheduling to the same time does not re-arm the reminder", "[job][reminder]") {
  world w;
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});
  CHECK(w.run_job(reschedule_job{w.job.scheduled_at}).empty());
  CHECK(w.run_job(send_reminder{}).empty());
}

TEST_CASE("rescheduling re-arms only the reminder: scheduled does not fire again",
          "[job][reminder]") {
  world w;
  w.assign();
  w.run_job(reschedule_job{at("2026-11-26T10:00:00-06:00")});
  w.run_job(assign_job{"tech_2"});
  CHECK(triggers_in(w.job_log) == strings{"scheduled"});
}

TEST_CASE("no reminder for a cancelled or complete job", "[job][reminder]") {
  world w;
  w.run_job(cancel_job{});
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  CHECK(w.run_job(send_reminder{}).empty());
}

TEST_CASE("a reminder held by quiet hours past its window is skipped", "[job][reminder][quiet]") {
  world w;
  w.ctx.settings.quiet_hours_start = "21:00";
  w.ctx.settings.quiet_hours_end = "08:00";
  w.ctx.now = at("2026-11-23T21:30:00-06:00");  // the sweep ran late
  CHECK(w.run_job(send_reminder{}).empty());
  auto d = decide_notification(w.job, reminder_sweep{}, w.ctx);
  CHECK(d.skipped == notification_skip::too_late);
}

TEST_CASE("a reminder held by quiet hours that end before midnight is held, not dropped",
          "[job][reminder][quiet]") {
  world w;
  w.ctx.settings.reminder_hour = 17;
  w.ctx.settings.quiet_hours_start = "18:00";
  w.ctx.settings.quiet_hours_end = "19:30";
  w.ctx.now = at("2026-11-23T18:15:00-06:00");
  const auto& reminder = only_trigger(w.run_job(send_reminder{}));
  REQUIRE(reminder.held_until_us);
  CHECK(from_micros(*reminder.held_until_us) == at("2026-11-23T19:30:00-06:00"));
}
