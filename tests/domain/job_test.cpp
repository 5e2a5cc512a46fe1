// The job's own facts: booking, place, time, technician, status, and the
// refusals of input that cannot be right.

#include <catch2/catch.hpp>

#include <limits>

#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;

namespace {

create_job booking(std::string id = "job_2") {
  create_job c;
  c.id = std::move(id);
  c.customer_id = "cus_1";
  c.address = "  9 Pine Rd  ";
  c.lat = 30.3;
  c.lon = -97.7;
  c.scheduled_at = at("2026-11-25T09:00:00-06:00");
  c.invoice_link = "https://pay.example.com/inv/2";
  return c;
}

job_errc create_error(const create_job& c) {
  auto decided = decide(job_state{}, c, notification_context{});
  REQUIRE_FALSE(decided);
  return decided.error().code;
}

}  // namespace

TEST_CASE("creating a job records it unassigned, with its address trimmed", "[job]") {
  job_state s;
  auto decided = decide(s, booking(), notification_context{});
  REQUIRE(decided);
  REQUIRE(decided->size() == 1);
  const auto& e = as<events::job_created>(decided->front());
  CHECK(e.address == "9 Pine Rd");
  CHECK(e.lat == 30.3);
  evolve(s, e);
  CHECK(s.created());
  CHECK(s.status == job_status::unassigned);
  CHECK(s.location == geo_point{30.3, -97.7});
  CHECK(s.invoice_link == "https://pay.example.com/inv/2");
}

TEST_CASE("creating the same job again records nothing; another job under its id is refused",
          "[job]") {
  job_state s;
  auto created = decide(s, booking(), notification_context{});
  REQUIRE(created);
  for (const auto& e : *created) evolve(s, e);
  auto again = decide(s, booking(), notification_context{});
  REQUIRE(again);
  CHECK(again->empty());
  auto other = booking();
  other.customer_id = "cus_9";
  auto refused = decide(s, other, notification_context{});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == job_errc::already_created);
}

TEST_CASE("a job needs valid ids, a place on Earth and an http(s) invoice link", "[job]") {
  auto c = booking("");
  CHECK(create_error(c) == job_errc::invalid_id);
  c = booking("job:1");
  CHECK(create_error(c) == job_errc::invalid_id);
  c = booking();
  c.customer_id = "cus 1";
  CHECK(create_error(c) == job_errc::invalid_id);
  for (auto [lat, lon] : {std::pair{91.0, 0.0}, std::pair{0.0, -180.5},
                          std::pair{std::numeric_limits<double>::quiet_NaN(), 0.0},
                          std::pair{0.0, std::numeric_limits<double>::infinity()}}) {
    c = booking();
    c.lat = lat;
    c.lon = lon;
    CHECK(create_error(c) == job_errc::invalid_position);
  }
  c = booking();
  c.lon.reset();
  CHECK(create_error(c) == job_errc::invalid_position);
  c = booking();
  c.invoice_link = "javascript:alert(1)";
  CHECK(create_error(c) == job_errc::invalid_link);
  c.invoice_link = "https://x.io/a b";
  CHECK(create_error(c) == job_errc::invalid_link);
  c = booking();
  c.address = "bad\xFF";
  CHECK(create_error(c) == job_errc::invalid_text);
}

TEST_CASE("a job without a place or an invoice link is fine; an empty link is none", "[job]") {
  auto c = booking();
  c.lat.reset();
  c.lon.reset();
  c.invoice_link = "  ";
  auto decided = decide(job_state{}, c, notification_context{});
  REQUIRE(decided);
  const auto& e = as<events::job_created>(decided->front());
  CHECK(!e.lat);
  CHECK(!e.invoice_link);
}

TEST_CASE("anything but creating is refused for a job never created", "[job]") {
  job_state s;
  for (job_command cmd : {job_command{assign_job{"tech_1"}}, job_command{send_reminder{}}}) {
    auto decided = decide(s, cmd, notification_context{});
    REQUIRE_FALSE(decided);
    CHECK(decided.error().code == job_errc::not_created);
  }
}

TEST_CASE("updating a job replaces its place and link; the same again records nothing", "[job]") {
  world w;
  auto out = w.run_job(update_job{"1210 Elm St", 30.2675, -97.7428, "https://pay.example.com/7"});
  REQUIRE(out.size() == 1);
  CHECK(w.job.address == "1210 Elm St");
  CHECK(w.job.invoice_link == "https://pay.example.com/7");
  CHECK(
      w.run_job(update_job{"1210 Elm St", 30.2675, -97.7428, "https://pay.example.com/7"}).empty());
}

TEST_CASE("assigning a job to no technician, or to a malformed id, is refused", "[job]") {
  world w;
  CHECK(w.job_error_of(assign_job{""}) == job_errc::invalid_id);
  CHECK(w.job_error_of(assign_job{"tech 1"}) == job_errc::invalid_id);
  CHECK(!w.job.technician_id);
  CHECK(w.job.status == job_status::unassigned);
}

TEST_CASE("a technician status for a job with no technician is refused", "[job]") {
  world w;
  CHECK(w.job_error_of(follow_technician_status{"tech_1", technician_status::enroute}) ==
        job_errc::not_assigned);
}

TEST_CASE("a status from a technician the job is not assigned to is refused", "[job]") {
  world w;
  w.assign();
  CHECK(w.job_error_of(follow_technician_status{"tech_9", technician_status::enroute}) ==
        job_errc::wrong_technician);
  // A fix from one is no error, and does nothing.
  CHECK(w.run_job(follow_technician_location{"tech_9"}).empty());
}

TEST_CASE("the technician becoming available leaves the job as it is", "[job]") {
  world w;
  w.assign();
  w.status("enroute");
  CHECK(w.run_job(follow_technician_status{"tech_1", technician_status::available}).empty());
  CHECK(w.job.status == job_status::enroute);
}

TEST_CASE("a closed job takes no new technician, time or status", "[job]") {
  world w;
  w.assign();
  w.status("complete");
  CHECK(w.job_error_of(assign_job{"tech_2"}) == job_errc::job_closed);
  CHECK(w.job_error_of(reschedule_job{at("2026-12-01T09:00:00-06:00")}) == job_errc::job_closed);
  CHECK(w.job_error_of(follow_technician_status{"tech_1", technician_status::enroute}) ==
        job_errc::job_closed);
  CHECK(w.job_error_of(cancel_job{}) == job_errc::job_closed);
}

TEST_CASE("cancelling a job closes it and stops its notifications", "[job]") {
  world w;
  w.assign();
  auto out = w.run_job(cancel_job{});
  CHECK(as<events::job_status_changed>(out.front()).status == "cancelled");
  CHECK(w.run_job(cancel_job{}).empty());
  CHECK(w.job_error_of(follow_technician_status{"tech_1", technician_status::on_site}) ==
        job_errc::job_closed);
  w.run_tech(change_technician_status{"enroute", std::string("job_1")});
  const auto near = km_north(0.05);
  w.run_tech(record_location{near.lat, near.lon, std::nullopt, std::nullopt});
  CHECK(w.run_job(follow_technician_location{"tech_1"}).empty());
}

TEST_CASE("a notification is pending until its text is queued or skipped", "[job]") {
  world w;
  w.assign();
  REQUIRE(w.job.pending.size() == 1);
  CHECK(w.job.pending[0].trigger == sms_trigger::scheduled);
  auto queued = w.run_job(record_notification_queued{sms_trigger::scheduled, "msg_1"});
  CHECK(as<events::notification_queued>(queued.front()).message_id == "msg_1");
  CHECK(w.job.pending.empty());
  CHECK(w.run_job(record_notification_queued{sms_trigger::scheduled, "msg_1"}).empty());

  w.status("enroute");
  auto skipped = w.run_job(record_notification_skipped{sms_trigger::enroute, "no_template"});
  CHECK(as<events::notification_skipped>(skipped.front()).reason == "no_template");
  CHECK(w.job.pending.empty());
  CHECK(w.job.fired.fired(sms_trigger::enroute));  // skipped still counts as fired
}

TEST_CASE("a held reminder for an appointment since moved is stale", "[job]") {
  world w;
  w.ctx.now = at("2026-11-23T18:30:00-06:00");
  w.run_job(send_reminder{});
  REQUIRE(w.job.pending.size() == 1);
  CHECK(!stale_reason(w.job, w.job.pending[0]));
  w.run_job(reschedule_job{at("2026-11-27T09:00:00-06:00")});
  CHECK(stale_reason(w.job, w.job.pending[0]) == "rescheduled");
  w.run_job(cancel_job{});
  CHECK(stale_reason(w.job, w.job.pending[0]) == "cancelled");
}
