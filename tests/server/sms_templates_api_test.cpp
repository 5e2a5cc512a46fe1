// /api/v1/sms/templates… over loopback HTTP: seeding, create, read, change,
// delete, preview, idempotence, restart, and hostile input.

#include "tests/server/sms_config_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string templates = "/api/v1/sms/templates";

http_response post(running_server& s, const test_tenant& t, const std::string& path,
                   const std::string& body) {
  return send_json(s, "POST", path, body, t.api_token);
}

json create(running_server& s, const test_tenant& t, const json& body) {
  return expect_json(post(s, t, templates, body.dump()), 201);
}

json preview(running_server& s, const test_tenant& t, const json& body) {
  return expect_json(post(s, t, templates + "/preview", body.dump()), 200);
}

const json tomorrow{{"name", "Tomorrow"},
                    {"trigger", "reminder"},
                    {"body", "Hi {customer_first_name}, see you tomorrow at {scheduled_time}."}};

}  // namespace

TEST_CASE("a tenant starts with no templates; seeding adds the six defaults once",
          "[sms_templates]") {
  running_server s;
  auto t = s.create_tenant();
  CHECK(expect_json(s.get(templates, t.api_token), 200) ==
        json{{"items", json::array()}, {"next_cursor", nullptr}});
  auto seeded = expect_json(post(s, t, templates + "/seed", ""), 200);
  REQUIRE(seeded["added"].size() == 6);
  std::vector<std::string> triggers;
  for (const auto& tpl : seeded["added"]) {
    triggers.push_back(tpl["trigger"]);
    CHECK(tpl["is_default"] == true);
    CHECK(tpl["enabled"] == true);
    CHECK(tpl["id"].get<std::string>().starts_with("tpl_"));
    CHECK_FALSE(tpl["variables"].empty());
  }
  CHECK(triggers == std::vector<std::string>{"scheduled", "reminder", "enroute", "15_min",
                                             "arrived", "complete"});
  CHECK(seeded["position"].get<std::uint64_t>() == s.app().store().last_position());
  auto again = expect_json(post(s, t, templates + "/seed", "{}"), 200);
  CHECK(again["added"].empty());
  CHECK(again["position"] == seeded["position"]);
  CHECK(template_events(s, t) == 6);
  auto list = expect_json(s.get(templates, t.api_token), 200);
  CHECK(list["items"] == seeded["added"]);
  CHECK(list["next_cursor"].is_null());
}

TEST_CASE("a created template is answered with its id and position and read back",
          "[sms_templates]") {
  running_server s;
  auto t = s.create_tenant();
  auto created = create(s, t, tomorrow);
  std::string id = created["id"];
  CHECK(id.starts_with("tpl_"));
  CHECK(created["position"].get<std::uint64_t>() == s.app().store().last_position());
  CHECK(created["name"] == "Tomorrow");
  CHECK(created["trigger"] == "reminder");
  CHECK(created["enabled"] == true);
  CHECK(created["is_default"] == false);
  CHECK(created["variables"] == json{"customer_first_name", "scheduled_time"});
  auto got = expect_json(s.get(templates + "/" + id, t.api_token), 200);
  created.erase("position");
  CHECK(got == created);
  // Without a trigger it is kept for manual use.
  auto manual = create(s, t, {{"name", "Running late"}, {"body", "Sorry, we are running late."}});
  CHECK(manual["trigger"].is_null());
  CHECK(manual["variables"].empty());
  // The notification sender sees the library.
  auto library = s.app().sms_config().templates_of(t.id);
  REQUIRE(library->state.templates.size() == 2);
  REQUIRE(domain::template_for(library->state, domain::sms_trigger::reminder));
  CHECK(domain::template_for(library->state, domain::sms_trigger::reminder)->id == id);
}

TEST_CASE("a body with an unknown variable is refused naming it, and nothing is recorded",
          "[sms_templates]") {
  running_server s;
  auto t = s.create_tenant();
  auto e =
      expect_error(post(s, t, templates,
                        json{{"name", "x"}, {"body", "Hi {customer_first_name} {oops}"}}.dump()),
                   400);
  CHECK(e["code"] == "unknown_variable");
  CHECK(e["field"] == "body");
  CHECK(e["variable"] == "oops");
  CHECK(e["message"].get<std::string>().find("oops") != std::string::npos);
  // A variable its trigger never fills: no ETA once the job is complete.
  e = expect_error(
      post(s, t, templates,
           json{{"name", "x"}, {"trigger", "complete"}, {"body", "In {eta_minutes}"}}.dump()),
      400);
  CHECK(e["code"] == "unavailable_variable");
  CHECK(e["variable"] == "eta_minutes");
  CHECK(template_events(s, t) == 0);
}

TEST_CASE("a PUT changes the fields it gives; the same PUT twice records nothing",
          "[sms_templates]") {
  running_server s;
  auto t = s.create_tenant();
  std::string id = create(s, t, tomorrow)["id"];
  auto path = templates + "/" + id;
  auto off = expect_json(send_json(s, "PUT", path, R"({"enabled":false})", t.api_token), 200);
  CHECK(off["enabled"] == false);
  CHECK(off["body"] == tomorrow["body"]);
  CHECK(off["trigger"] == "reminder");
  auto again = expect_json(send_json(s, "PUT", path, R"({"enabled":false})", t.api_token), 200);
  CHECK(again == off);
  CHECK(template_events(s, t) == 2);
  auto renamed = expect_json(
      send_json(s, "PUT", path, R"({"name":"  Day before  ","trigger":null})", t.api_token), 200);
  CHECK(renamed["name"] == "Day before");
  CHECK(renamed["trigger"].is_null());
  CHECK(renamed["position"].get<std::uint64_t>() > off["position"].get<std::uint64_t>());
  auto e = expect_error(send_json(s, "PUT", path, R"({"body":"{nope}"})", t.api_token), 400);
  CHECK(e["code"] == "unknown_variable");
  CHECK(e["variable"] == "nope");
  CHECK(template_events(s, t) == 3);
}

TEST_CASE("a deleted template is gone, and deleting it again is 404", "[sms_templates]") {
  running_server s;
  auto t = s.create_tenant();
  std::string id = create(s, t, tomorrow)["id"];
  auto path = templates + "/" + id;
  auto deleted = expect_json(send_json(s, "DELETE", path, "", t.api_token), 200);
  CHECK(deleted["id"] == id);
  CHECK(deleted["position"].get<std::uint64_t>() == s.app().store().last_position());
  CHECK(s.get(path, t.api_token).status == 404);
  CHECK(expect_error(send_json(s, "DELETE", path, "", t.api_token), 404)["code"] == "not_found");
  CHECK(send_json(s, "PUT", path, R"({"enabled":true})", t.api_token).status == 404);
  CHECK(expect_json(s.get(templates, t.api_token), 200)["items"].empty());
  // Deleting a default lets seeding bring it back.
  auto seeded = expect_json(post(s, t, templates + "/seed", ""), 200);
  std::string arrived = seeded["added"][4]["id"];
  REQUIRE(send_json(s, "DELETE", templates + "/" + arrived, "", t.api_token).status == 200);
  auto reseeded = expect_json(post(s, t, templates + "/seed", ""), 200);
  REQUIRE(reseeded["added"].size() == 1);
  CHECK(reseeded["added"][0]["trigger"] == "arrived");
}

TEST_CASE("templates survive a restart of the server", "[sms_templates][restart]") {
  temp_dir dir;
  test_tenant t;
  json list;
  {
    running_server s({}, {}, &dir);
    t = s.create_tenant();
    REQUIRE(post(s, t, templates + "/seed", "").status == 200);
    create(s, t, tomorrow);
    list = expect_json(s.get(templates, t.api_token), 200);
  }
  running_server s({}, {}, &dir);
  CHECK(expect_json(s.get(templates, t.api_token), 200) == list);
  CHECK(expect_json(post(s, t, templates + "/seed", ""), 200)["added"].empty());
  std::string id = list["items"][6]["id"];
  CHECK(expect_json(s.get(templates + "/" + id, t.api_token), 200)["name"] == "Tomorrow");
}

TEST_CASE("each default template previews as one GSM-7 segment", "[sms_templates][preview]") {
  running_server s;
  auto t = s.create_tenant();
  auto seeded = expect_json(post(s, t, templates + "/seed", ""), 200);
  for (const auto& tpl : seeded["added"]) {
    INFO(tpl["trigger"]);
    auto by_id = preview(s, t, {{"template_id", tpl["id"]}});
    CHECK(by_id["segments"] == 1);
    CHECK(by_id["encoding"] == "gsm7");
    CHECK(by_id["text"].get<std::string>().find('{') == std::string::npos);
    CHECK(by_id["variables"] == tpl["variables"]);
    CHECK(preview(s, t, {{"body", tpl["body"]}}) == by_id);
  }
}

TEST_CASE("a preview fills the values given, samples for the rest, and counts an emoji as UCS-2",
          "[sms_templates][preview]") {
  running_server s;
  auto t = s.create_tenant();
  auto p =
      preview(s, t,
              {{"body", "Hi {customer_first_name}, {tech_first_name} is {eta_minutes} min out"},
               {"variables", {{"tech_first_name", "Rosa"}, {"eta_minutes", 7}}}});
  CHECK(p["text"] == "Hi Jane, Rosa is 7 min out");
  CHECK(p["characters"] == 26);
  CHECK(p["units"] == 26);
  auto emoji = preview(s, t, {{"body", "See you soon {customer_first_name} \xF0\x9F\x98\x80"}});
  CHECK(emoji["encoding"] == "ucs2");
  CHECK(emoji["segments"] == 1);
  CHECK(emoji["characters"] == 19);
  CHECK(emoji["units"] == 20);
  auto long_text = preview(s, t, {{"body", std::string(161, 'a')}});
  CHECK(long_text["segments"] == 2);
  CHECK(template_events(s, t) == 0);
}

TEST_CASE("a preview refuses unknown variables, bad bodies and another tenant's template",
          "[sms_templates][preview][hostile]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  auto bad = [&](const json& body, long status = 400) {
    return expect_error(post(s, a, templates + "/preview", body.dump()), status);
  };
  auto e = bad({{"body", "Hi {oops}"}});
  CHECK(e["code"] == "unknown_variable");
  CHECK(e["variable"] == "oops");
  e = bad({{"body", "Hi"}, {"variables", {{"oops", "x"}}}});
  CHECK(e["code"] == "unknown_variable");
  CHECK(e["field"] == "variables.oops");
  CHECK(bad({{"body", "Hi"}, {"variables", {{"tech_first_name", true}}}})["field"] ==
        "variables.tech_first_name");
  CHECK(bad({{"body", "Hi"}, {"variables", json::array()}})["field"] == "variables");
  CHECK(bad({{"body", "Hi {unclosed"}})["field"] == "body");
  CHECK(bad({{"body", ""}})["field"] == "body");
  CHECK(bad({{"body", std::string(1601, 'a')}})["field"] == "body");
  CHECK(bad(json::object())["code"] == "invalid_field");
  CHECK(bad({{"body", "Hi"}, {"template_id", "tpl_x"}})["code"] == "invalid_field");
  CHECK(bad({{"body", 5}})["field"] == "body");
  CHECK(bad({{"body", "Hi"}, {"trigger", "scheduled"}})["code"] == "unknown_field");
  std::string theirs = create(s, b, tomorrow)["id"];
  CHECK(bad({{"template_id", theirs}}, 404)["code"] == "not_found");
  CHECK(bad({{"template_id", "tpl_nope"}}, 404)["code"] == "not_found");
}

TEST_CASE("another tenant's template is 404 for every route, and nothing changes",
          "[sms_templates][hostile]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  std::string theirs = create(s, b, tomorrow)["id"];
  auto path = templates + "/" + theirs;
  CHECK(s.get(path, a.api_token).status == 404);
  CHECK(send_json(s, "PUT", path, R"({"enabled":false})", a.api_token).status == 404);
  CHECK(send_json(s, "DELETE", path, "", a.api_token).status == 404);
  CHECK(expect_json(s.get(templates, a.api_token), 200)["items"].empty());
  CHECK(expect_json(s.get(path, b.api_token), 200)["enabled"] == true);
  CHECK(template_events(s, a) == 0);
  CHECK(template_events(s, b) == 1);
  // No token, a wrong one, or the operator's: 401.
  for (const std::string token : {"", "fl_wrong", operator_token}) {
    CHECK(send_json(s, "GET", templates, "", token).status == 401);
    CHECK(send_json(s, "POST", templates, tomorrow.dump(), token).status == 401);
    CHECK(send_json(s, "POST", templates + "/seed", "", token).status == 401);
    CHECK(send_json(s, "DELETE", path, "", token).status == 401);
  }
  // Ids that could never be a template's.
  for (const std::string& id :
       std::vector<std::string>{"..%2F..%2Fetc", "tpl_%00", std::string(300, 'x'), "%F0%9F%98%80"})
    CHECK(s.get(templates + "/" + id, a.api_token).status == 404);
}

TEST_CASE("template fields of the wrong type, unknown, too long or malformed are refused by name",
          "[sms_templates][hostile]") {
  running_server s;
  auto t = s.create_tenant();
  auto refused = [&](const std::string& body) {
    return expect_error(post(s, t, templates, body), 400);
  };
  CHECK(refused(R"({"body":"Hi"})")["field"] == "name");
  CHECK(refused(R"({"name":"x"})")["field"] == "body");
  CHECK(refused(R"({"name":"   ","body":"Hi"})")["field"] == "name");
  CHECK(refused(json{{"name", std::string(101, 'n')}, {"body", "Hi"}}.dump())["field"] == "name");
  CHECK(refused(json{{"name", "x"}, {"body", std::string(1601, 'b')}}.dump())["field"] == "body");
  CHECK(refused(json{{"name", "x"}, {"body", std::string(60000, 'b')}}.dump())["field"] == "body");
  CHECK(refused(R"({"name":"x","body":"Hi","trigger":"bogus"})")["field"] == "trigger");
  CHECK(refused(R"({"name":"x","body":"Hi","trigger":5})")["field"] == "trigger");
  CHECK(refused(R"({"name":["x"],"body":"Hi"})")["field"] == "name");
  CHECK(refused(R"({"name":"x","body":null})")["field"] == "body");
  CHECK(refused(R"({"name":"x","body":"Hi","enabled":"no"})")["field"] == "enabled");
  CHECK(refused(R"({"name":"x","body":"Hi","id":"tpl_mine"})")["code"] == "unknown_field");
  CHECK(refused("{\"name\":\"a\x01\",\"body\":\"Hi\"}")["code"] == "invalid_json");
  CHECK(refused("{\"name\":\"x\",\"body\":\"Hi \xC3\x28\"}")["code"] == "invalid_json");
  CHECK(refused("{\"name\":\"x\"")["code"] == "invalid_json");
  CHECK(refused("[]")["code"] == "invalid_json");
  CHECK(post(s, t, templates, json{{"name", "x"}, {"body", std::string(70 * 1024, 'b')}}.dump())
            .status == 413);
  CHECK(template_events(s, t) == 0);
}
