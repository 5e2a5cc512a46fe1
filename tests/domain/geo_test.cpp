#include "domain/geo.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace fl;
using namespace fl::domain;
using namespace std::chrono_literals;

namespace {

const timestamp t0 = from_micros(1'790'000'000'000'000);
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

const geo_point jfk{40.6413, -73.7781};
const geo_point lax{33.9416, -118.4085};
const geo_point london{51.5074, -0.1278};
const geo_point paris{48.8566, 2.3522};

// A point `metres` due north of `p` (a degree of latitude is 111 195 m on
// the haversine sphere).
geo_point north_of(geo_point p, double metres) {
  return {p.lat + metres / 111'195.08, p.lon};
}

location_fix fix(geo_point at, timestamp when, std::optional<double> speed = std::nullopt) {
  return location_fix{at, when, speed};
}

}  // namespace

TEST_CASE("haversine agrees with published city-pair distances within 0.5%", "[geo]") {
  // JFK to LAX: 3983 km (2475 mi) on the WGS 84 ellipsoid.
  CHECK(haversine_m(jfk, lax) == Approx(3'983'000).epsilon(0.005));
  // Central London to central Paris: 344 km.
  CHECK(haversine_m(london, paris) == Approx(344'000).epsilon(0.005));
}

TEST_CASE("a degree of longitude on the equator is 111.195 km on the mean sphere", "[geo]") {
  CHECK(haversine_m({0, 0}, {0, 1}) == Approx(111'195.08).margin(1));
  CHECK(haversine_m({0, 179.5}, {0, -179.5}) == Approx(111'195.08).margin(1));  // across 180°
}

TEST_CASE("the distance is symmetric, zero to itself and finite at the antipodes", "[geo]") {
  CHECK(haversine_m(jfk, lax) == Approx(haversine_m(lax, jfk)));
  CHECK(haversine_m(paris, paris) == 0);
  auto half_way_round = haversine_m({0, 0}, {0, 180});
  CHECK(std::isfinite(half_way_round));
  CHECK(half_way_round == Approx(20'015'086).margin(10));
  CHECK(haversine_m({90, 0}, {-90, 0}) == Approx(20'015'086).margin(10));
}

TEST_CASE("short distances are accurate to the metre", "[geo]") {
  geo_point job{41.8781, -87.6298};
  CHECK(haversine_m(job, north_of(job, 150)) == Approx(150).margin(0.01));
  CHECK(haversine_m(job, {41.8781, -87.6288}) == Approx(82.79).margin(0.01));
}

TEST_CASE("a position must be finite and on the globe", "[geo]") {
  CHECK(is_valid_position({0, 0}));
  CHECK(is_valid_position({90, 180}));
  CHECK(is_valid_position({-90, -180}));
  CHECK_FALSE(is_valid_position({90.0001, 0}));
  CHECK_FALSE(is_valid_position({0, -180.5}));
  CHECK_FALSE(is_valid_position({not_a_number, 0}));
  CHECK_FALSE(is_valid_position({0, infinity}));
}

TEST_CASE("inside the geofence means within the radius, its edge included", "[geo]") {
  geo_point job{41.8781, -87.6298};
  CHECK(inside_geofence(job, job, 150));
  CHECK(inside_geofence(north_of(job, 149), job, 150));
  CHECK_FALSE(inside_geofence(north_of(job, 151), job, 150));
  CHECK_FALSE(inside_geofence(north_of(job, 10), job, not_a_number));
}

TEST_CASE("the ETA is whole minutes rounded up, and at least one", "[geo]") {
  CHECK(eta_minutes(600, 10) == 1);  // 60 s
  CHECK(eta_minutes(601, 10) == 2);  // 60.1 s
  CHECK(eta_minutes(1, 10) == 1);
  CHECK(eta_minutes(0, 10) == 1);       // at the door
  CHECK(eta_minutes(9'900, 11) == 15);  // 900 s exactly
  CHECK(eta_minutes(9'901, 11) == 16);
  CHECK(eta_minutes(60'000, 20) == 50);
}

TEST_CASE("a nonsense speed or distance does not make a nonsense ETA", "[geo]") {
  CHECK(eta_minutes(6'600, 0) == 10);  // the 11 m/s default
  CHECK(eta_minutes(6'600, -5) == 10);
  CHECK(eta_minutes(6'600, not_a_number) == 10);
  CHECK(eta_minutes(6'600, infinity) == 10);
  CHECK(eta_minutes(not_a_number, 10) == 1);
  CHECK(eta_minutes(-100, 10) == 1);
  CHECK(eta_minutes(infinity, 10) == 1);
  CHECK(eta_minutes(20'000'000, 1e-9) == max_eta_minutes);
}

TEST_CASE("the reported speed is used when the technician is moving", "[geo]") {
  CHECK(choose_speed_mps(15.0, 8.0) == 15.0);
  CHECK(choose_speed_mps(0.6, 8.0) == 0.6);
}

TEST_CASE(
    "a standing or missing reported speed falls back to the recent average, then the "
    "default",
    "[geo]") {
  CHECK(choose_speed_mps(0.0, 8.0) == 8.0);
  CHECK(choose_speed_mps(0.5, 8.0) == 8.0);
  CHECK(choose_speed_mps(std::nullopt, 8.0) == 8.0);
  CHECK(choose_speed_mps(std::nullopt, std::nullopt) == 11.0);
  CHECK(choose_speed_mps(0.0, 0.1) == 11.0);
  CHECK(choose_speed_mps(not_a_number, not_a_number) == 11.0);
  CHECK(choose_speed_mps(-3.0, std::nullopt) == 11.0);
}

TEST_CASE("an implausible reported speed is a glitch and is not used", "[geo]") {
  CHECK(choose_speed_mps(300.0, 9.0) == 9.0);
  CHECK(choose_speed_mps(infinity, std::nullopt) == 11.0);
}

TEST_CASE("the default speed and thresholds are configurable", "[geo]") {
  eta_options slow;
  slow.default_speed_mps = 5;
  slow.min_moving_speed_mps = 2;
  CHECK(choose_speed_mps(1.5, std::nullopt, slow) == 5);
  CHECK(choose_speed_mps(2.5, std::nullopt, slow) == 2.5);
}

TEST_CASE("a track keeps fixes in time order and refuses one not newer than the latest", "[geo]") {
  recent_track track;
  CHECK(track.latest() == nullptr);
  geo_point a{41.0, -87.0}, b{41.001, -87.0}, c{40.9, -87.0};
  CHECK(track.add(fix(a, t0)));
  CHECK(track.add(fix(b, t0 + 30s)));
  CHECK_FALSE(track.add(fix(c, t0 + 10s)));  // uploaded late: must not move the technician back
  CHECK_FALSE(track.add(fix(c, t0 + 30s)));  // same instant: not newer
  REQUIRE(track.latest() != nullptr);
  CHECK(track.latest()->at == b);
  CHECK(track.size() == 2);
}

TEST_CASE("a track holds a bounded number of fixes, dropping the oldest", "[geo]") {
  recent_track track(5);
  for (int i = 0; i < 100; ++i) CHECK(track.add(fix({41.0 + i * 0.001, -87.0}, t0 + i * 10s)));
  CHECK(track.size() == 5);
  CHECK(track.latest()->recorded_at == t0 + 990s);
  recent_track tiny(0);  // at least two, or there is no average
  tiny.add(fix({41, -87}, t0));
  tiny.add(fix({41.001, -87}, t0 + 10s));
  tiny.add(fix({41.002, -87}, t0 + 20s));
  CHECK(tiny.size() == 2);
}

TEST_CASE("the recent average speed is distance over time between fixes", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  CHECK_FALSE(track.average_speed_mps());
  track.add(fix(p, t0));
  CHECK_FALSE(track.average_speed_mps());  // one fix has no speed
  track.add(fix(north_of(p, 100), t0 + 10s));
  track.add(fix(north_of(p, 300), t0 + 20s));
  auto avg = track.average_speed_mps();
  REQUIRE(avg);
  CHECK(*avg == Approx(15.0).epsilon(0.001));  // 300 m in 20 s
}

TEST_CASE("a GPS jump is left out of the average", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  track.add(fix(p, t0));
  track.add(fix(north_of(p, 100), t0 + 10s));
  track.add(fix(north_of(p, 5'100), t0 + 20s));  // 500 m/s
  track.add(fix(north_of(p, 5'200), t0 + 30s));
  CHECK(track.average_speed_mps().value() == Approx(10.0).epsilon(0.001));
}

TEST_CASE("only travel within the recent window counts towards the average", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  track.add(fix(p, t0));
  track.add(fix(north_of(p, 20'000), t0 + 20min));  // 16.7 m/s, long ago
  track.add(fix(north_of(p, 20'000), t0 + 60min));  // parked 40 min
  track.add(fix(north_of(p, 20'050), t0 + 60min + 10s));
  track.add(fix(north_of(p, 20'100), t0 + 60min + 20s));
  // Only the last two pairs lie within 15 min of the latest fix.
  CHECK(track.average_speed_mps().value() == Approx(5.0).epsilon(0.001));
}

TEST_CASE("a technician standing still has no usable average: the ETA uses the default", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  track.add(fix(p, t0, 0.0));
  track.add(fix(p, t0 + 30s, 0.0));
  CHECK(track.average_speed_mps().value() == 0.0);
  // 6.5 km at the 11 m/s default: 591 s.
  CHECK(track.eta_minutes_to(north_of(p, 6'500)) == 10);
}

TEST_CASE("the ETA to a job uses the latest fix's reported speed first", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  CHECK_FALSE(track.eta_minutes_to(p));  // no fix yet
  track.add(fix(p, t0));
  track.add(fix(north_of(p, 100), t0 + 10s, 20.0));
  auto job = north_of(p, 100 + 11'900);
  CHECK(track.eta_minutes_to(job) == 10);  // 11.9 km at 20 m/s: 595 s
}

TEST_CASE("stopped at a light, the ETA uses the recent average", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  track.add(fix(p, t0, 10.0));
  track.add(fix(north_of(p, 100), t0 + 10s, 10.0));
  track.add(fix(north_of(p, 100), t0 + 20s, 0.0));  // at a red light
  // 100 m in 20 s: 5 m/s; 8.9 km at 5 m/s is 29.7 min.
  CHECK(track.eta_minutes_to(north_of(p, 9'000)) == 30);
}

TEST_CASE("an ETA of 15 minutes or less is the 15-minute mark; 16 is not", "[geo]") {
  recent_track track;
  geo_point p{41.0, -87.0};
  track.add(fix(p, t0, 10.0));
  CHECK(track.eta_minutes_to(north_of(p, 8'990)) == 15);
  CHECK(track.eta_minutes_to(north_of(p, 9'010)) == 16);
}
