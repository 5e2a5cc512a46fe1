// Each customer notification fires once and only once per job, on the input
// the issue names, and repeats of that input fire nothing.

#include "domain/job_notifications.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;
using strings = std::vector<std::string>;

TEST_CASE("assigning a job to a technician fires scheduled once; reassigning fires nothing",
          "[job][notifications]") {
  world w;
  auto first = w.run_job(assign_job{"tech_1"});
  REQUIRE(first.size() == 2);
  CHECK(as<events::job_assigned>(first[0]).technician_id == "tech_1");
  const auto& scheduled = as<events::notification_triggered>(first[1]);
  CHECK(scheduled.trigger == "scheduled");
  CHECK(scheduled.job_id == "job_1");
  CHECK(scheduled.technician_id == "tech_1");
  CHECK(scheduled.scheduled_at_us == to_micros(at("2026-11-24T14:30:00-06:00")));
  CHECK(!scheduled.held_until_us);
  CHECK(!scheduled.by_hand);
  CHECK(w.job.status == job_status::scheduled);

  CHECK(w.run_job(assign_job{"tech_1"}).empty());
  auto reassigned = w.run_job(assign_job{"tech_2"});
  CHECK(triggers_in(reassigned).empty());
  CHECK(w.job.technician_id == "tech_2");
}

TEST_CASE("the technician setting out fires enroute once, with the ETA from its last fix",
          "[job][notifications]") {
  world w;
  w.assign();
  w.fix(km_north(30));
  auto out = w.status("enroute");
  const auto& enroute = only_trigger(out);
  CHECK(enroute.trigger == "enroute");
  // 30 km at the default 11 m/s: 45.5 minutes, rounded up.
  REQUIRE(enroute.eta_minutes);
  CHECK(*enroute.eta_minutes == 46);
  CHECK(w.job.status == job_status::enroute);

  CHECK(w.status("enroute").empty());  // the same status again records nothing
  // Away and back: the technician's status moves, the job's text does not repeat.
  w.run_tech(change_technician_status{"available", std::nullopt});
  CHECK(triggers_in(w.status("enroute")).empty());
}

TEST_CASE("enroute without any fix fires without an ETA", "[job][notifications]") {
  world w;
  w.assign();
  const auto& enroute = only_trigger(w.status("enroute"));
  CHECK(!enroute.eta_minutes);
}

TEST_CASE("the ETA uses the reported speed, else the recent average, else the default",
          "[job][notifications]") {
  const double distance = haversine_m(km_north(30), job_place);
  SECTION("reported speed") {
    world w;
    w.assign();
    w.fix(km_north(30), 60s, 25.0);
    CHECK(*only_trigger(w.status("enroute")).eta_minutes == eta_minutes(distance, 25.0));
  }
  SECTION("recent average between fixes") {
    world w;
    w.assign();
    w.fix(km_north(31.2));
    w.fix(km_north(30), 60s);  // 1.2 km in a minute: about 20 m/s
    const double average = haversine_m(km_north(31.2), km_north(30)) / 60.0;
    CHECK(*only_trigger(w.status("enroute")).eta_minutes == eta_minutes(distance, average));
    CHECK(eta_minutes(distance, average) < eta_minutes(distance, 11.0));
  }
}

TEST_CASE("the first fix with an ETA of 15 minutes or less fires 15_min once",
          "[job][notifications]") {
  world w;
  w.assign();
  w.fix(km_north(30));
  w.status("enroute");
  CHECK(triggers_in(w.fix(km_north(20))).empty());  // 31 min away
  CHECK(triggers_in(w.fix(km_north(11))).empty());  // 17 min away
  const auto& fifteen = only_trigger(w.fix(km_north(9)));
  CHECK(fifteen.trigger == "15_min");
  REQUIRE(fifteen.eta_minutes);
  CHECK(*fifteen.eta_minutes <= 15);
  CHECK(triggers_in(w.fix(km_north(5))).empty());
  CHECK(triggers_in(w.fix(km_north(3))).empty());
}

TEST_CASE("15_min needs the technician en route to this job", "[job][notifications]") {
  world w;
  w.assign();
  w.fix(km_north(9));
  CHECK(triggers_in(w.fix(km_north(5))).empty());  // available, not en route
  w.run_tech(change_technician_status{"enroute", std::string("job_other")});
  CHECK(triggers_in(w.fix(km_north(4))).empty());  // en route, to another job
}

TEST_CASE("the first fix inside the geofence fires arrived and sets the technician on site",
          "[job][notifications]") {
  world w;
  w.assign();
  w.fix(km_north(30));
  w.status("enroute");
  w.fix(km_north(9));
  auto out = w.fix(km_north(0.1));  // 100 m: inside the default 150 m
  CHECK(triggers_in(out) == strings{"arrived"});
  CHECK(w.tech.status == technician_status::on_site);
  CHECK(w.job.status == job_status::on_site);
  const auto& by_geofence = as<events::technician_status_changed>(w.tech_log.back());
  CHECK(by_geofence.source == "geofence");
  CHECK(by_geofence.job_id == "job_1");

  CHECK(triggers_in(w.fix(km_north(0.05))).empty());
  CHECK(triggers_in(w.status("on_site")).empty());  // the status says what the fence did
}

TEST_CASE("a fix outside the geofence does not fire arrived; the configured radius counts",
          "[job][notifications]") {
  world w;
  w.ctx.settings.geofence_radius_m = 50;
  w.assign();
  w.fix(km_north(5));
  w.status("enroute");
  w.fix(km_north(1));
  CHECK(triggers_in(w.fix(km_north(0.1))).empty());  // 100 m, outside 50 m
  CHECK(w.tech.status == technician_status::enroute);
  CHECK(triggers_in(w.fix(km_north(0.03))) == strings{"arrived"});
}

TEST_CASE("a first fix already inside the geofence fires arrived, not 15_min",
          "[job][notifications]") {
  world w;
  w.assign();
  w.status("enroute");
  CHECK(triggers_in(w.fix(km_north(0.05))) == strings{"arrived"});
  CHECK_FALSE(w.job.fired.fired(sms_trigger::fifteen_min));
}

TEST_CASE("the technician reporting on_site fires arrived once", "[job][notifications]") {
  world w;
  w.assign();
  w.status("enroute");
  CHECK(triggers_in(w.status("on_site")) == strings{"arrived"});
  CHECK(w.status("on_site").empty());
}

TEST_CASE("the technician reporting complete fires complete once", "[job][notifications]") {
  world w;
  w.assign();
  w.status("on_site");
  auto out = w.status("complete");
  CHECK(triggers_in(out) == strings{"complete"});
  CHECK(as<events::job_status_changed>(out[0]).status == "complete");
  CHECK(w.job.status == job_status::complete);
  CHECK(w.status("complete").empty());
  CHECK(w.run_job(follow_technician_status{"tech_1", technician_status::complete}).empty());
}

TEST_CASE("a later notification makes an earlier one moot: no enroute or 15_min after arrived",
          "[job][notifications]") {
  world w;
  w.assign();
  w.status("on_site");
  auto enroute = w.status("enroute");  // a mis-tap after arriving
  CHECK(triggers_in(enroute).empty());
  CHECK(w.job.status == job_status::enroute);
  CHECK(triggers_in(w.fix(km_north(5))).empty());
  auto d =
      decide_notification(w.job, technician_reported_status{technician_status::enroute}, w.ctx);
  CHECK(d.skipped == notification_skip::superseded);
}

TEST_CASE("every trigger fires at most once over a whole visit", "[job][notifications]") {
  world w;
  w.assign();
  w.fix(km_north(30));
  w.status("enroute");
  for (double km : {25.0, 15.0, 9.0, 8.0, 4.0, 0.1, 0.05}) w.fix(km_north(km));
  w.status("on_site");
  w.status("complete");
  w.status("complete");
  CHECK(triggers_in(w.job_log) == strings{"scheduled", "enroute", "15_min", "arrived", "complete"});
}
