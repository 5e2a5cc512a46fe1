#include "domain/sms_settings.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace fl::domain;

namespace {

sms_settings valid() {
  return default_sms_settings("Acme HVAC");
}

settings_error refusal(const sms_settings& s) {
  auto checked = validate_sms_settings(s);
  REQUIRE_FALSE(checked);
  return checked.error();
}

}  // namespace

TEST_CASE("default settings: on, every trigger on, reminders at 6 PM, 150 m, no quiet hours",
          "[sms_settings]") {
  auto s = valid();
  CHECK(s.enabled);
  CHECK(s.triggers == sms_trigger_switches{});
  for (auto t : all_sms_triggers) CHECK(switched_on(s.triggers, t));
  CHECK(s.reminder_hour == 18);
  CHECK(s.geofence_radius_m == 150);
  CHECK_FALSE(s.quiet_hours_start);
  CHECK_FALSE(s.quiet_hours_end);
  CHECK(validate_sms_settings(s));
}

TEST_CASE("the default opt-out text names the company and is the tenant's STOP confirmation",
          "[sms_settings]") {
  auto s = valid();
  CHECK(s.opt_out_message.find("Acme HVAC") != std::string::npos);
  CHECK(s.opt_out_message.find("START") != std::string::npos);
}

TEST_CASE("a trigger's switch turns just that trigger off", "[sms_settings]") {
  auto s = valid();
  set_switch(s.triggers, sms_trigger::fifteen_min, false);
  CHECK_FALSE(s.triggers.fifteen_min);
  CHECK_FALSE(sends_automatically(s, sms_trigger::fifteen_min));
  CHECK(sends_automatically(s, sms_trigger::enroute));
  set_switch(s.triggers, sms_trigger::manual, false);  // manual has no switch
  CHECK(switched_on(s.triggers, sms_trigger::manual));
}

TEST_CASE("the master switch stops every automated text but not manual ones or replies",
          "[sms_settings]") {
  auto s = valid();
  s.enabled = false;
  for (auto t : all_sms_triggers) CHECK(sends_automatically(s, t) == !is_automated(t));
}

TEST_CASE("the reminder hour must be 0 to 23", "[sms_settings]") {
  auto s = valid();
  s.reminder_hour = 0;
  CHECK(validate_sms_settings(s));
  s.reminder_hour = 23;
  CHECK(validate_sms_settings(s));
  for (int bad : {-1, 24, 100, -2147483647 - 1}) {
    s.reminder_hour = bad;
    auto e = refusal(s);
    CHECK(e.code == settings_errc::out_of_range);
    CHECK(e.field == "reminder_hour");
  }
}

TEST_CASE("the opt-out text must be non-blank UTF-8 of at most 320 characters", "[sms_settings]") {
  auto s = valid();
  s.opt_out_message = "";
  CHECK(refusal(s).code == settings_errc::blank_text);
  s.opt_out_message = " \n\t ";
  CHECK(refusal(s).field == "opt_out_message");
  s.opt_out_message = std::string(320, 'x');
  CHECK(validate_sms_settings(s));
  s.opt_out_message = std::string(321, 'x');
  CHECK(refusal(s).code == settings_errc::too_long);
  std::string emoji;
  for (int i = 0; i < 320; ++i) emoji += "🛑";
  s.opt_out_message = emoji;  // 320 characters, 1280 bytes
  CHECK(validate_sms_settings(s));
  s.opt_out_message = "Bye \xC0\x80";
  CHECK(refusal(s).code == settings_errc::invalid_utf8);
}

TEST_CASE("quiet hours are both \"HH:MM\" or both null", "[sms_settings]") {
  auto s = valid();
  s.quiet_hours_start = "21:00";
  s.quiet_hours_end = "08:00";
  CHECK(validate_sms_settings(s));
  s.quiet_hours_end = std::nullopt;
  auto e = refusal(s);
  CHECK(e.code == settings_errc::incomplete_quiet_hours);
  CHECK(e.field == "quiet_hours_end");
  s.quiet_hours_start = std::nullopt;
  s.quiet_hours_end = "08:00";
  CHECK(refusal(s).field == "quiet_hours_start");
}

TEST_CASE("a quiet-hours bound that is not \"HH:MM\" is refused, naming the field",
          "[sms_settings]") {
  for (const char* bad :
       {"24:00", "9:00", "09:60", "0900", "09:00:00", " 09:00", "", "ab:cd", "-1:00", "９:00"}) {
    INFO(bad);
    auto s = valid();
    s.quiet_hours_start = "21:00";
    s.quiet_hours_end = bad;
    auto e = refusal(s);
    CHECK(e.code == settings_errc::bad_clock_time);
    CHECK(e.field == "quiet_hours_end");
  }
  auto s = valid();
  s.quiet_hours_start = "25:00";
  s.quiet_hours_end = "08:00";
  CHECK(refusal(s).field == "quiet_hours_start");
}

TEST_CASE("quiet hours that start when they end are refused", "[sms_settings]") {
  auto s = valid();
  s.quiet_hours_start = "22:00";
  s.quiet_hours_end = "22:00";
  auto e = refusal(s);
  CHECK(e.code == settings_errc::empty_quiet_hours);
  CHECK(e.field == "quiet_hours_end");
}

TEST_CASE("the geofence radius must be 10 to 5000 metres", "[sms_settings]") {
  auto s = valid();
  for (int ok : {10, 150, 5000}) {
    s.geofence_radius_m = ok;
    CHECK(validate_sms_settings(s));
  }
  for (int bad : {9, 0, -150, 5001, 1'000'000}) {
    s.geofence_radius_m = bad;
    auto e = refusal(s);
    CHECK(e.code == settings_errc::out_of_range);
    CHECK(e.field == "geofence_radius_m");
  }
}

TEST_CASE("a reminder hour inside the quiet hours is refused: it would be held to the day itself",
          "[sms_settings]") {
  auto s = valid();
  s.quiet_hours_start = "21:00";
  s.quiet_hours_end = "08:00";
  s.reminder_hour = 21;
  auto e = refusal(s);
  CHECK(e.code == settings_errc::reminder_in_quiet_hours);
  CHECK(e.field == "reminder_hour");
  s.reminder_hour = 7;
  CHECK(refusal(s).code == settings_errc::reminder_in_quiet_hours);
  s.reminder_hour = 8;  // the window ends at 08:00
  CHECK(validate_sms_settings(s));
  s.reminder_hour = 20;
  CHECK(validate_sms_settings(s));
  s.quiet_hours_start = "20:30";  // 20:00 is still before the window
  CHECK(validate_sms_settings(s));
}

TEST_CASE("the first fault in api.md's field order is the one reported", "[sms_settings]") {
  auto s = valid();
  s.reminder_hour = 99;
  s.opt_out_message = "";
  s.geofence_radius_m = 0;
  CHECK(refusal(s).field == "reminder_hour");
  s.reminder_hour = 18;
  CHECK(refusal(s).field == "opt_out_message");
  s.opt_out_message = "ok";
  CHECK(refusal(s).field == "geofence_radius_m");
}

TEST_CASE("settings error codes have names", "[sms_settings]") {
  CHECK(to_string(settings_errc::bad_clock_time) == "bad_clock_time");
  CHECK(to_string(settings_errc::reminder_in_quiet_hours) == "reminder_in_quiet_hours");
}
