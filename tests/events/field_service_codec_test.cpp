// The field-service events survive encode → decode unchanged: optional
// fields present and absent, coordinates as doubles, nested trigger switches.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "events/codec.hpp"

using namespace fl;
using namespace fl::events;

namespace {

event round_trip(const event& e) {
  std::string json = encode_data(e);
  auto decoded = decode_data(type_name_of(e), schema_version_of(e), json);
  INFO("encoded: " << json);
  if (!decoded) FAIL("decode failed: " << decoded.error().message);
  CHECK(encode_data(*decoded) == json);
  return std::move(*decoded);
}

template <class T>
T round_trip_as(const T& e) {
  auto back = round_trip(e);
  REQUIRE(std::holds_alternative<T>(back));
  return std::get<T>(back);
}

}  // namespace

TEST_CASE("every event type round-trips from its default value to its own alternative",
          "[events][codec]") {
  auto check = []<std::size_t... I>(std::index_sequence<I...>) {
    (
        [] {
          using T = std::variant_alternative_t<I, event>;
          INFO(T::type_name);
          event e{std::in_place_index<I>};
          CHECK(round_trip(e).index() == I);
        }(),
        ...);
  };
  check(std::make_index_sequence<std::variant_size_v<event>>{});
}

TEST_CASE("technician_located round-trips coordinates exactly, with and without a speed",
          "[events][codec]") {
  technician_located e{30.267153, -97.743057, 1795453200123456, 13.4};
  CHECK(round_trip_as(e) == e);

  e.speed_mps.reset();
  CHECK(round_trip_as(e) == e);

  // Values whose shortest decimal form is awkward still come back bit for bit.
  for (double v : {0.1 + 0.2, 1e-7, -0.0, 89.99999999999999, -180.0, 5e-324, 1.0 / 3.0}) {
    e.lat = v;
    e.lon = -v;
    auto back = round_trip_as(e);
    CHECK(std::signbit(back.lat) == std::signbit(v));
    CHECK(back.lat == v);
    CHECK(back.lon == -v);
  }
}

TEST_CASE("a coordinate stored as a JSON integer decodes as a double", "[events][codec]") {
  auto decoded = decode_data("technician_located", 1,
                             R"({"lat":30,"lon":-97,"recorded_at_us":1,"speed_mps":null})");
  REQUIRE(decoded);
  const auto& e = std::get<technician_located>(*decoded);
  CHECK(e.lat == 30.0);
  CHECK(e.lon == -97.0);
  CHECK(!e.speed_mps);
}

TEST_CASE("a non-finite coordinate is written as null, which does not decode", "[events][codec]") {
  technician_located e{std::numeric_limits<double>::quiet_NaN(), 1.0, 0, std::nullopt};
  std::string json = encode_data(e);
  CHECK(json == R"({"lat":null,"lon":1,"recorded_at_us":0,"speed_mps":null})");
  auto decoded = decode_data("technician_located", 1, json);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().code == decode_errc::wrong_type);
}

TEST_CASE("job_created round-trips with and without a place and an invoice link",
          "[events][codec]") {
  job_created e{"job_1", "cus_1", "1 Main St", 30.1, -97.2, 1795539600000000, "https://x.io/i"};
  CHECK(round_trip_as(e) == e);
  e.lat.reset();
  e.lon.reset();
  e.invoice_link.reset();
  e.address = "";
  CHECK(round_trip_as(e) == e);
}

TEST_CASE("notification_triggered round-trips every optional field present or absent",
          "[events][codec]") {
  notification_triggered e;
  e.job_id = "job_1";
  e.trigger = "15_min";
  e.scheduled_at_us = 1795539600000000;
  e.technician_id = "tech_1";
  e.eta_minutes = 0;  // zero is a value, not absence
  e.held_until_us = 1795500000000000;
  e.by_hand = true;
  CHECK(round_trip_as(e) == e);
  e.technician_id.reset();
  e.eta_minutes.reset();
  e.held_until_us.reset();
  e.by_hand = false;
  CHECK(round_trip_as(e) == e);
}

TEST_CASE("sms_settings_changed round-trips each trigger switch on its own key",
          "[events][codec]") {
  sms_settings_changed e;
  e.opt_out_message = "Acme: unsubscribed.";
  for (int off = 0; off < 6; ++off) {
    bool* switches[] = {&e.triggers.scheduled,   &e.triggers.reminder, &e.triggers.enroute,
                        &e.triggers.fifteen_min, &e.triggers.arrived,  &e.triggers.complete};
    e.triggers = {};
    *switches[off] = false;
    CHECK(round_trip_as(e) == e);
  }
  e.triggers = {};
  e.triggers.fifteen_min = false;
  CHECK(encode_data(e).find(R"("15_min":false)") != std::string::npos);
  e.quiet_hours_start.reset();
  e.quiet_hours_end.reset();
  CHECK(round_trip_as(e) == e);
}

TEST_CASE("sms_template_saved round-trips with and without a trigger", "[events][codec]") {
  sms_template_saved e{"tpl_1", "reminder", "Reminder", "See you {scheduled_time}", false};
  CHECK(round_trip_as(e) == e);
  e.trigger.reset();
  CHECK(round_trip_as(e) == e);
}

TEST_CASE("technician_status_changed round-trips with and without a job", "[events][codec]") {
  technician_status_changed e{"enroute", "job_1", "reported"};
  CHECK(round_trip_as(e) == e);
  e = {"available", std::nullopt, "reported"};
  CHECK(round_trip_as(e) == e);
}
