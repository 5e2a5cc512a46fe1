// GET|PUT /api/v1/sms/settings over loopback HTTP: defaults, saving,
// merging, idempotence, restart, and every refusal naming its field.

#include "domain/sms_settings_state.hpp"
#include "tests/server/sms_config_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string path = "/api/v1/sms/settings";

json get_settings(running_server& s, const test_tenant& t) {
  return expect_json(s.get(path, t.api_token), 200);
}

http_response put_settings(running_server& s, const test_tenant& t, const std::string& body) {
  return send_json(s, "PUT", path, body, t.api_token);
}

json changed_settings() {
  return {{"enabled", true},
          {"triggers",
           {{"scheduled", true},
            {"reminder", false},
            {"enroute", true},
            {"15_min", false},
            {"arrived", true},
            {"complete", true}}},
          {"reminder_hour", 17},
          {"opt_out_message", "Acme: no more texts. Reply START to come back."},
          {"quiet_hours_start", "21:00"},
          {"quiet_hours_end", "08:00"},
          {"geofence_radius_m", 250}};
}

}  // namespace

TEST_CASE("before any save the settings are the defaults, with the tenant's name",
          "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  auto j = get_settings(s, t);
  CHECK(j == json{{"enabled", true},
                  {"triggers",
                   {{"scheduled", true},
                    {"reminder", true},
                    {"enroute", true},
                    {"15_min", true},
                    {"arrived", true},
                    {"complete", true}}},
                  {"reminder_hour", 18},
                  {"opt_out_message",
                   "Acme HVAC: you are unsubscribed and will receive no more texts. Reply START "
                   "to resubscribe."},
                  {"quiet_hours_start", nullptr},
                  {"quiet_hours_end", nullptr},
                  {"geofence_radius_m", 150}});
  CHECK(settings_events(s, t) == 0);
  CHECK(s.app().sms_config().settings_of(t.id).opt_out_message.starts_with("Acme HVAC:"));
}

TEST_CASE("saved settings are answered with their position and read back", "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  auto j = expect_json(put_settings(s, t, changed_settings().dump()), 200);
  CHECK(j["position"].get<std::uint64_t>() == s.app().store().last_position());
  j.erase("position");
  CHECK(j == changed_settings());
  CHECK(get_settings(s, t) == changed_settings());
  CHECK(settings_events(s, t) == 1);
  // The notification sender's view is the same.
  auto in_force = s.app().sms_config().settings_of(t.id);
  CHECK(in_force.geofence_radius_m == 250);
  CHECK_FALSE(in_force.triggers.fifteen_min);
}

TEST_CASE("a partial PUT changes only the fields it gives", "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  REQUIRE(put_settings(s, t, changed_settings().dump()).status == 200);
  auto j =
      expect_json(put_settings(s, t, R"({"triggers":{"reminder":true},"enabled":false})"), 200);
  auto want = changed_settings();
  want["triggers"]["reminder"] = true;
  want["enabled"] = false;
  j.erase("position");
  CHECK(j == want);
  // null clears the quiet hours, both ends together.
  j = expect_json(put_settings(s, t, R"({"quiet_hours_start":null,"quiet_hours_end":null})"), 200);
  CHECK(j["quiet_hours_start"].is_null());
  CHECK(j["quiet_hours_end"].is_null());
  CHECK(j["reminder_hour"] == 17);
  CHECK(settings_events(s, t) == 3);
}

TEST_CASE("the same PUT twice records nothing the second time and answers the same position",
          "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  auto first = expect_json(put_settings(s, t, changed_settings().dump()), 200);
  auto second = expect_json(put_settings(s, t, changed_settings().dump()), 200);
  CHECK(first == second);
  CHECK(settings_events(s, t) == 1);
  // The defaults put back on a tenant that never saved: nothing, position 0.
  auto u = s.create_tenant("+15005550007");
  auto defaults = get_settings(s, u);
  auto j = expect_json(put_settings(s, u, defaults.dump()), 200);
  CHECK(j["position"] == 0);
  CHECK(settings_events(s, u) == 0);
  CHECK(expect_json(put_settings(s, u, "{}"), 200)["position"] == 0);
}

TEST_CASE("saved settings survive a restart of the server", "[sms_settings][restart]") {
  temp_dir dir;
  test_tenant t;
  std::uint64_t position = 0;
  {
    running_server s({}, {}, &dir);
    t = s.create_tenant();
    position = expect_json(put_settings(s, t, changed_settings().dump()), 200)["position"]
                   .get<std::uint64_t>();
  }
  running_server s({}, {}, &dir);
  CHECK(get_settings(s, t) == changed_settings());
  // Loaded with its version: the same PUT still records nothing.
  CHECK(expect_json(put_settings(s, t, changed_settings().dump()), 200)["position"] == position);
  CHECK(settings_events(s, t) == 1);
}

TEST_CASE("each invalid value is refused with 400 naming the field, and nothing is recorded",
          "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  const std::vector<std::pair<json, std::string>> cases{
      {{{"reminder_hour", 24}}, "reminder_hour"},
      {{{"reminder_hour", -1}}, "reminder_hour"},
      {{{"geofence_radius_m", 9}}, "geofence_radius_m"},
      {{{"geofence_radius_m", 5001}}, "geofence_radius_m"},
      {{{"opt_out_message", ""}}, "opt_out_message"},
      {{{"opt_out_message", " \n\t "}}, "opt_out_message"},
      {{{"opt_out_message", std::string(321, 'x')}}, "opt_out_message"},
      {{{"quiet_hours_start", "25:00"}, {"quiet_hours_end", "08:00"}}, "quiet_hours_start"},
      {{{"quiet_hours_start", "21:00"}, {"quiet_hours_end", "8pm"}}, "quiet_hours_end"},
      {{{"quiet_hours_start", "21:00"}}, "quiet_hours_end"},
      {{{"quiet_hours_end", "08:00"}}, "quiet_hours_start"},
      {{{"quiet_hours_start", "21:00"}, {"quiet_hours_end", "21:00"}}, "quiet_hours_end"},
      // A reminder inside the quiet hours would always be held to the day itself.
      {{{"quiet_hours_start", "17:00"}, {"quiet_hours_end", "20:00"}}, "reminder_hour"},
  };
  for (const auto& [body, field] : cases) {
    INFO(body.dump());
    auto e = expect_error(put_settings(s, t, body.dump()), 400);
    CHECK(e["code"] == "invalid_field");
    CHECK(e["field"] == field);
    CHECK(e["message"].get<std::string>().find(field) != std::string::npos);
  }
  CHECK(settings_events(s, t) == 0);
  CHECK(get_settings(s, t)["reminder_hour"] == 18);
}

TEST_CASE("wrong types, unknown fields and malformed bodies are refused by name",
          "[sms_settings][hostile]") {
  running_server s;
  auto t = s.create_tenant();
  const std::vector<std::pair<std::string, std::string>> typed{
      {R"({"enabled":"yes"})", "enabled"},
      {R"({"enabled":null})", "enabled"},
      {R"({"reminder_hour":"18"})", "reminder_hour"},
      {R"({"reminder_hour":18.5})", "reminder_hour"},
      {R"({"reminder_hour":99999999999999999999})", "reminder_hour"},
      {R"({"reminder_hour":18446744073709551615})", "reminder_hour"},
      {R"({"geofence_radius_m":-9223372036854775808})", "geofence_radius_m"},
      {R"({"geofence_radius_m":true})", "geofence_radius_m"},
      {R"({"opt_out_message":42})", "opt_out_message"},
      {R"({"quiet_hours_start":2100,"quiet_hours_end":"08:00"})", "quiet_hours_start"},
      {R"({"triggers":[true]})", "triggers"},
      {R"({"triggers":{"15_min":1}})", "triggers.15_min"},
  };
  for (const auto& [body, field] : typed) {
    INFO(body);
    auto e = expect_error(put_settings(s, t, body), 400);
    CHECK(e["code"] == "invalid_field");
    CHECK(e["field"] == field);
  }
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"enable":true})", "enable"},
           {R"({"position":3})", "position"},
           {R"({"triggers":{"manual":true}})", "triggers.manual"},
           {R"({"triggers":{"15min":true}})", "triggers.15min"}}) {
    INFO(body);
    auto e = expect_error(put_settings(s, t, body), 400);
    CHECK(e["code"] == "unknown_field");
    CHECK(e["field"] == field);
  }
  for (const std::string body : {"", "not json", "[]", "null", R"({"opt_out_message":"a)",
                                 "{\"opt_out_message\":\"bad \xff\xfe utf-8\"}"}) {
    INFO(body);
    CHECK(expect_error(put_settings(s, t, body), 400)["code"] == "invalid_json");
  }
  // A huge string is refused by its length; a huge body before it is read.
  json long_text{{"opt_out_message", std::string(60 * 1024, 'a')}};
  CHECK(expect_error(put_settings(s, t, long_text.dump()), 400)["field"] == "opt_out_message");
  json too_big{{"opt_out_message", std::string(70 * 1024, 'a')}};
  CHECK(put_settings(s, t, too_big.dump()).status == 413);
  CHECK(settings_events(s, t) == 0);
}

TEST_CASE("settings need a tenant token and are each tenant's own", "[sms_settings][hostile]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  CHECK(s.get(path).status == 401);
  CHECK(s.get(path, "fl_not_a_token").status == 401);
  CHECK(s.get(path, operator_token).status == 401);
  CHECK(send_json(s, "PUT", path, changed_settings().dump(), "").status == 401);
  CHECK(send_json(s, "PUT", path, changed_settings().dump(), operator_token).status == 401);
  REQUIRE(put_settings(s, a, changed_settings().dump()).status == 200);
  CHECK(get_settings(s, a) == changed_settings());
  CHECK(get_settings(s, b)["reminder_hour"] == 18);
  CHECK(settings_events(s, b) == 0);
}

TEST_CASE("a write that finds the stream moved on re-reads it and decides again",
          "[sms_settings]") {
  running_server s;
  auto t = s.create_tenant();
  // Another writer (the service is meant to be the only one) saves first.
  auto theirs = domain::default_sms_settings("Acme HVAC");
  theirs.geofence_radius_m = 400;
  storage::append_request request;
  request.tenant = t.id;
  request.stream = domain::sms_settings_stream(t.id);
  request.events.push_back(domain::to_event(theirs));
  REQUIRE(s.app().store().append(std::move(request)));
  auto j = expect_json(put_settings(s, t, R"({"reminder_hour":9})"), 200);
  // The partial PUT merged onto what the log held, not onto the stale defaults.
  CHECK(j["geofence_radius_m"] == 400);
  CHECK(j["reminder_hour"] == 9);
  CHECK(j["position"].get<std::uint64_t>() == s.app().store().last_position());
  CHECK(settings_events(s, t) == 2);
  CHECK(get_settings(s, t)["geofence_radius_m"] == 400);
}
