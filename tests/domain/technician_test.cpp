// A technician: details, reported status, and location fixes — stored every
// one, but a late fix never moves the technician back.

#include <catch2/catch.hpp>

#include <limits>

#include "tests/domain/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace fl::testing::dispatch;

namespace {

struct technician_fixture {
  technician_state s;
  technician_context ctx;
  technician_fixture() {
    ctx.now = at("2026-11-23T10:00:00-06:00");
    run(register_technician{"tech_1", {" Mike ", "Alvarez", "555-765-4322", ""}});
  }
  std::vector<events::event> run(const technician_command& cmd) {
    auto decided = decide(s, cmd, ctx);
    if (!decided) FAIL("refused: " << decided.error().message);
    for (const auto& e : *decided) evolve(s, e);
    return *decided;
  }
  directory_errc error_of(const technician_command& cmd) {
    auto decided = decide(s, cmd, ctx);
    REQUIRE_FALSE(decided);
    CHECK_FALSE(decided.error().message.empty());
    return decided.error().code;
  }
  std::vector<events::event> fix_at(geo_point p, const char* when,
                                    std::optional<double> speed = std::nullopt) {
    return run(record_location{p.lat, p.lon, at(when), speed});
  }
};

}  // namespace

TEST_CASE("registering a technician records its checked details; it starts available",
          "[technician]") {
  technician_fixture f;
  CHECK(f.s.registered());
  CHECK(f.s.first_name == "Mike");
  CHECK(f.s.phone == "+15557654322");
  CHECK(f.s.status == technician_status::available);
  CHECK(f.run(register_technician{"tech_1", {"Mike", "Alvarez", "+15557654322", ""}}).empty());
  CHECK(f.error_of(register_technician{"tech_1", {"Bob", "Alvarez", "+15557654322", ""}}) ==
        directory_errc::already_registered);
}

TEST_CASE("a technician needs a valid id, a first name and a phone number", "[technician]") {
  technician_state s;
  technician_context ctx;
  auto error_of = [&](register_technician cmd) {
    auto decided = decide(s, cmd, ctx);
    REQUIRE_FALSE(decided);
    return decided.error();
  };
  CHECK(error_of({"", {"Mike", "", "+15557654322", ""}}).code == directory_errc::invalid_id);
  CHECK(error_of({"tech:1", {"Mike", "", "+15557654322", ""}}).code == directory_errc::invalid_id);
  CHECK(error_of({"tech_1", {"  ", "A", "+15557654322", ""}}).code == directory_errc::blank_name);
  auto bad_phone = error_of({"tech_1", {"Mike", "", "call me", ""}});
  CHECK(bad_phone.code == directory_errc::invalid_phone);
  CHECK(bad_phone.field == "phone");
  CHECK(error_of({"tech_1", {"Mi\x01ke", "", "+15557654322", ""}}).code ==
        directory_errc::invalid_text);
  CHECK(error_of({"tech_1", {std::string(101, 'a'), "", "+15557654322", ""}}).code ==
        directory_errc::too_long);
}

TEST_CASE("a technician never registered takes nothing but registration", "[technician]") {
  technician_state s;
  auto decided = decide(s, change_technician_status{"enroute", std::string("job_1")}, {});
  REQUIRE_FALSE(decided);
  CHECK(decided.error().code == directory_errc::not_registered);
}

TEST_CASE("updating a technician records the new details; the same again nothing", "[technician]") {
  technician_fixture f;
  auto out = f.run(update_technician{{"Michael", "Alvarez", "+15557654322", ""}});
  REQUIRE(out.size() == 1);
  CHECK(f.s.first_name == "Michael");
  CHECK(f.run(update_technician{{"Michael", "Alvarez", "+15557654322", ""}}).empty());
}

TEST_CASE("a status change is recorded with its job; the same again records nothing",
          "[technician]") {
  technician_fixture f;
  auto out = f.run(change_technician_status{"enroute", std::string("job_1")});
  const auto& e = as<events::technician_status_changed>(out.front());
  CHECK(e.status == "enroute");
  CHECK(e.job_id == "job_1");
  CHECK(e.source == "reported");
  CHECK(f.s.en_route_to("job_1"));
  CHECK(f.run(change_technician_status{"enroute", std::string("job_1")}).empty());
  // on_site without a job is about the current one.
  out = f.run(change_technician_status{"on_site", std::nullopt});
  CHECK(as<events::technician_status_changed>(out.front()).job_id == "job_1");
  // available clears the job.
  f.run(change_technician_status{"available", std::string("job_1")});
  CHECK(!f.s.job_id);
}

TEST_CASE("an unknown status, or enroute to no job, is refused", "[technician]") {
  technician_fixture f;
  for (const char* status : {"", "EnRoute", "en_route", "on-site", "busy", "available "})
    CHECK(f.error_of(change_technician_status{status, std::string("job_1")}) ==
          directory_errc::unknown_status);
  CHECK(f.error_of(change_technician_status{"enroute", std::nullopt}) ==
        directory_errc::missing_job);
  CHECK(f.error_of(change_technician_status{"enroute", std::string("job/1")}) ==
        directory_errc::invalid_id);
}

TEST_CASE("each location fix is recorded with the device's time and speed", "[technician]") {
  technician_fixture f;
  auto out = f.fix_at({30.3, -97.7}, "2026-11-23T09:59:00-06:00", 12.0);
  REQUIRE(out.size() == 1);
  const auto& e = as<events::technician_located>(out.front());
  CHECK(e.lat == 30.3);
  CHECK(e.recorded_at_us == to_micros(at("2026-11-23T09:59:00-06:00")));
  CHECK(e.speed_mps == 12.0);
  REQUIRE(f.s.track.latest());
  CHECK(f.s.track.latest()->at == geo_point{30.3, -97.7});
}

TEST_CASE("a fix without the device's time is taken at the context's now", "[technician]") {
  technician_fixture f;
  auto out = f.run(record_location{30.3, -97.7, std::nullopt, std::nullopt});
  CHECK(as<events::technician_located>(out.front()).recorded_at_us == to_micros(f.ctx.now));
}

TEST_CASE("a negative or non-finite speed is recorded as no speed", "[technician]") {
  technician_fixture f;
  for (double speed :
       {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    f.ctx.now += std::chrono::seconds(10);
    auto out = f.run(record_location{30.3, -97.7, std::nullopt, speed});
    CHECK(!as<events::technician_located>(out.front()).speed_mps);
  }
}

TEST_CASE("an out-of-order fix is stored but does not move the technician back", "[technician]") {
  technician_fixture f;
  f.fix_at({30.30, -97.70}, "2026-11-23T10:05:00-06:00");
  auto late = f.fix_at({30.10, -97.90}, "2026-11-23T10:01:00-06:00");
  REQUIRE(late.size() == 1);  // recorded all the same
  CHECK(f.s.track.latest()->at == geo_point{30.30, -97.70});
  CHECK(f.s.track.size() == 1);
  CHECK(f.s.stale_fixes == 1);
  // A fix at the same instant as the latest does not move it either.
  f.fix_at({30.20, -97.80}, "2026-11-23T10:05:00-06:00");
  CHECK(f.s.track.latest()->at == geo_point{30.30, -97.70});
  f.fix_at({30.31, -97.70}, "2026-11-23T10:06:00-06:00");
  CHECK(f.s.track.latest()->at == geo_point{30.31, -97.70});
}

TEST_CASE("only a fix newer than the latest moves the technician", "[technician]") {
  technician_fixture f;
  events::technician_located first{30.3, -97.7, to_micros(at("2026-11-23T10:05:00-06:00")), {}};
  CHECK(moves_technician(f.s, first));
  evolve(f.s, first);
  auto late = first;
  late.recorded_at_us -= 1;
  CHECK_FALSE(moves_technician(f.s, late));
  CHECK_FALSE(moves_technician(f.s, first));
  auto next = first;
  next.recorded_at_us += 1;
  CHECK(moves_technician(f.s, next));
}

TEST_CASE("a late fix inside the geofence does not set the technician on site", "[technician]") {
  technician_fixture f;
  f.ctx.destination = job_place;
  f.run(change_technician_status{"enroute", std::string("job_1")});
  f.fix_at(km_north(5), "2026-11-23T10:05:00-06:00");
  auto late = f.fix_at(job_place, "2026-11-23T10:01:00-06:00");
  CHECK(late.size() == 1);
  CHECK(f.s.status == technician_status::enroute);
}

TEST_CASE("a fix inside the geofence of the job en route to sets the technician on site",
          "[technician]") {
  technician_fixture f;
  f.ctx.destination = job_place;
  f.ctx.geofence_radius_m = 150;
  f.run(change_technician_status{"enroute", std::string("job_1")});
  CHECK(f.fix_at(km_north(0.2), "2026-11-23T10:05:00-06:00").size() == 1);  // 200 m
  auto out = f.fix_at(km_north(0.1), "2026-11-23T10:06:00-06:00");          // 100 m
  REQUIRE(out.size() == 2);
  const auto& status = as<events::technician_status_changed>(out[1]);
  CHECK(status.status == "on_site");
  CHECK(status.source == "geofence");
  CHECK(f.s.status == technician_status::on_site);
  CHECK(f.fix_at(job_place, "2026-11-23T10:07:00-06:00").size() == 1);  // once
}

TEST_CASE("a fix near a job while not en route changes no status", "[technician]") {
  technician_fixture f;
  f.ctx.destination = job_place;
  CHECK(f.fix_at(job_place, "2026-11-23T10:05:00-06:00").size() == 1);
  CHECK(f.s.status == technician_status::available);
}

TEST_CASE("a fix off the globe or not a number is refused", "[technician]") {
  technician_fixture f;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (auto [lat, lon] : {std::pair{90.0001, 0.0}, std::pair{-91.0, 0.0}, std::pair{0.0, 180.01},
                          std::pair{0.0, -181.0}, std::pair{nan, 0.0}, std::pair{0.0, nan},
                          std::pair{inf, 0.0}, std::pair{0.0, -inf}}) {
    INFO(lat << ", " << lon);
    CHECK(f.error_of(record_location{lat, lon, std::nullopt, std::nullopt}) ==
          directory_errc::invalid_position);
  }
  CHECK(f.s.track.size() == 0);
}

TEST_CASE("technician statuses have wire names and parse only exactly", "[technician]") {
  for (auto s : {technician_status::available, technician_status::enroute,
                 technician_status::on_site, technician_status::complete})
    CHECK(parse_technician_status(to_string(s)) == s);
  CHECK(!parse_technician_status("ENROUTE"));
}
