// The SMS settings as a stream: every change records all of them.

#include "domain/sms_settings_state.hpp"

#include <catch2/catch.hpp>

using namespace fl;
using namespace fl::domain;

TEST_CASE("before any change a tenant has the default settings", "[sms_settings_state]") {
  sms_settings_state s;
  CHECK(effective_settings(s, "Acme HVAC") == default_sms_settings("Acme HVAC"));
}

TEST_CASE("a change records all the settings and becomes the settings in force",
          "[sms_settings_state]") {
  sms_settings_state s;
  auto wanted = default_sms_settings("Acme HVAC");
  wanted.triggers.fifteen_min = false;
  wanted.quiet_hours_start = "21:00";
  wanted.quiet_hours_end = "08:00";
  wanted.geofence_radius_m = 300;
  auto decided = decide(s, change_sms_settings{wanted}, "Acme HVAC");
  REQUIRE(decided);
  REQUIRE(decided->size() == 1);
  const auto& e = std::get<events::sms_settings_changed>(decided->front());
  CHECK_FALSE(e.triggers.fifteen_min);
  CHECK(e.geofence_radius_m == 300);
  evolve(s, decided->front());
  CHECK(effective_settings(s, "Acme HVAC") == wanted);
  CHECK(s.version == 1);
}

TEST_CASE("settings equal to those in force record nothing", "[sms_settings_state]") {
  sms_settings_state s;
  auto decided = decide(s, change_sms_settings{default_sms_settings("Acme")}, "Acme");
  REQUIRE(decided);
  CHECK(decided->empty());
}

TEST_CASE("invalid settings are refused with the field at fault", "[sms_settings_state]") {
  sms_settings_state s;
  auto bad = default_sms_settings("Acme");
  bad.reminder_hour = 24;
  auto decided = decide(s, change_sms_settings{bad}, "Acme");
  REQUIRE_FALSE(decided);
  CHECK(decided.error().code == settings_errc::out_of_range);
  CHECK(decided.error().field == "reminder_hour");
}

TEST_CASE("settings survive the trip through their event", "[sms_settings_state]") {
  auto s = default_sms_settings("Acme");
  s.enabled = false;
  s.reminder_hour = 7;
  for (auto t : {sms_trigger::scheduled, sms_trigger::reminder, sms_trigger::enroute,
                 sms_trigger::fifteen_min, sms_trigger::arrived, sms_trigger::complete}) {
    auto one_off = s;
    set_switch(one_off.triggers, t, false);
    CHECK(settings_of(to_event(one_off)) == one_off);
  }
}
