// POST|GET /contractors, GET|PUT /contractors/{id}, GET|PUT
// /contractors/{id}/preferences, POST|GET /properties, GET /properties/{id}
// over loopback HTTP: what each answers, refusals naming their field,
// hostile requests, and retries recording once.

#include "domain/dispatch_streams.hpp"
#include "tests/server/contractor_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string mike_phone = "+13125550147";

struct contractor_fixture {
  running_server s{{}, dispatch_options()};
  tenant_client c{s, s.create_tenant()};
  std::string stream(const std::string& id) const { return domain::contractor_stream(c.t.id, id); }
};

}  // namespace

TEST_CASE("POST /contractors registers a contractor and answers it with its position",
          "[contractors_http]") {
  contractor_fixture f;
  auto j = expect_json(
      f.c.post("/api/v1/contractors", contractor_body("con_1", " Mike Plow ", "(312) 555-0147")),
      201);
  CHECK(j["position"].get<std::uint64_t>() == f.s.app().store().last_position());
  CHECK(j["id"] == "con_1");
  CHECK(j["name"] == "Mike Plow");
  CHECK(j["phone"] == mike_phone);
  CHECK(j["sms_notifications_enabled"] == true);
  CHECK(j["preferences"]["notify_on_assignment"] == true);
  CHECK(j["preferences"]["quiet_hours_start"].is_null());
  CHECK(stream_types(f.s, f.stream("con_1")) == std::vector<std::string>{"contractor_registered"});
}

TEST_CASE("GET /contractors/{id} reads the contractor back at the write's position",
          "[contractors_http]") {
  contractor_fixture f;
  auto p = position_of(
      f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)), 201);
  auto j = f.c.get("/api/v1/contractors/con_1?min_position=" + std::to_string(p));
  CHECK(j["name"] == "Mike");
  CHECK(j["phone"] == mike_phone);
  CHECK(j["property_ids"] == json::array());
  auto list = f.c.get("/api/v1/contractors?min_position=" + std::to_string(p));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["id"] == "con_1");
  CHECK(list["next_cursor"].is_null());
}

TEST_CASE("POST /contractors without an id gets a new con_ id", "[contractors_http]") {
  contractor_fixture f;
  auto body = contractor_body("", "Mike", mike_phone);
  body.erase("id");
  auto j = expect_json(f.c.post("/api/v1/contractors", body), 201);
  CHECK(j["id"].get<std::string>().starts_with("con_"));
}

TEST_CASE("POST /contractors refuses missing or wrong fields, naming each, recording nothing",
          "[contractors_http]") {
  contractor_fixture f;
  auto before = recorded(f.c);
  auto no_name = contractor_body("con_1", "", mike_phone);
  no_name.erase("name");
  CHECK(expect_error(f.c.post("/api/v1/contractors", no_name), 400)["field"] == "name");
  CHECK(expect_error(f.c.post("/api/v1/contractors", contractor_body("con_1", "  ", mike_phone)),
                     400)["field"] == "name");
  CHECK(expect_error(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", "call me")),
                     400)["field"] == "phone");
  CHECK(expect_error(f.c.post("/api/v1/contractors", contractor_body("c:1", "Mike", mike_phone)),
                     400)["field"] == "id");
  auto wrong_type = contractor_body("con_1", "Mike", mike_phone);
  wrong_type["sms_notifications_enabled"] = "yes";
  CHECK(expect_error(f.c.post("/api/v1/contractors", wrong_type), 400)["field"] ==
        "sms_notifications_enabled");
  auto extra = contractor_body("con_1", "Mike", mike_phone);
  extra["role"] = "admin";
  CHECK(expect_error(f.c.post("/api/v1/contractors", extra), 400)["code"] == "unknown_field");
  CHECK(expect_error(f.c.send("POST", "/api/v1/contractors", "{\"name\":"), 400)["code"] ==
        "invalid_json");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("the same POST /contractors twice records one contractor and answers both",
          "[contractors_http]") {
  contractor_fixture f;
  auto body = contractor_body("con_1", "Mike", mike_phone);
  REQUIRE(f.c.post("/api/v1/contractors", body).status == 201);
  auto again = expect_json(f.c.post("/api/v1/contractors", body), 201);
  CHECK(again["id"] == "con_1");
  CHECK(stream_types(f.s, f.stream("con_1")).size() == 1);
  auto other = expect_error(
      f.c.post("/api/v1/contractors", contractor_body("con_1", "Dana", "+13125550148")), 409);
  CHECK(other["code"] == "already_registered");
}

TEST_CASE("a phone another contractor has is 409 phone_taken", "[contractors_http]") {
  contractor_fixture f;
  REQUIRE(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
          201);
  // The national form of the same number is the same phone.
  auto e = expect_error(
      f.c.post("/api/v1/contractors", contractor_body("con_2", "Dana", "312-555-0147")), 409);
  CHECK(e["code"] == "phone_taken");
  CHECK(e["field"] == "phone");
  REQUIRE(
      f.c.post("/api/v1/contractors", contractor_body("con_2", "Dana", "+13125550148")).status ==
      201);
  CHECK(
      expect_error(f.c.put("/api/v1/contractors/con_2", {{"name", "Dana"}, {"phone", mike_phone}}),
                   409)["code"] == "phone_taken");
}

TEST_CASE("a phone a customer of the tenant has is 409 phone_taken", "[contractors_http]") {
  contractor_fixture f;
  auto p = position_of(f.c.post("/api/v1/customers", customer_body("c1", "Jane", mike_phone)), 201);
  f.c.get("/api/v1/customers/c1?min_position=" + std::to_string(p));
  CHECK(expect_error(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)),
                     409)["code"] == "phone_taken");
}

TEST_CASE("a customer may not take a contractor's phone: 409 phone_taken", "[contractors_http]") {
  contractor_fixture f;
  auto p = position_of(
      f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)), 201);
  f.c.get("/api/v1/contractors/con_1?min_position=" + std::to_string(p));
  auto e =
      expect_error(f.c.post("/api/v1/customers", customer_body("c1", "Jane", mike_phone)), 409);
  CHECK(e["code"] == "phone_taken");
  CHECK(e["field"] == "phone");
  CHECK(f.s.get("/api/v1/customers/c1", f.c.t.api_token).status == 404);
  // Nor by a PUT; customers still share a phone among themselves.
  REQUIRE(f.c.post("/api/v1/customers", customer_body("c2", "Jane", "+13125550160")).status == 201);
  REQUIRE(f.c.post("/api/v1/customers", customer_body("c3", "John", "+13125550160")).status == 201);
  CHECK(
      expect_error(f.c.put("/api/v1/customers/c2", {{"first_name", "Jane"}, {"phone", mike_phone}}),
                   409)["code"] == "phone_taken");
}

TEST_CASE("PUT /contractors/{id} replaces the details; an unknown id is 404",
          "[contractors_http]") {
  contractor_fixture f;
  REQUIRE(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
          201);
  auto j = expect_json(f.c.put("/api/v1/contractors/con_1", {{"name", "Michael"},
                                                             {"phone", "+13125550149"},
                                                             {"sms_notifications_enabled", false}}),
                       200);
  CHECK(j["name"] == "Michael");
  CHECK(j["sms_notifications_enabled"] == false);
  CHECK(expect_error(f.c.put("/api/v1/contractors/nobody", {{"name", "X"}, {"phone", mike_phone}}),
                     404)["code"] == "not_found");
  CHECK(f.s.get("/api/v1/contractors/nobody", f.c.t.api_token).status == 404);
}

TEST_CASE("PUT then GET /contractors/{id}/preferences round-trips, quiet hours as HH:MM",
          "[contractors_http]") {
  contractor_fixture f;
  REQUIRE(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
          201);
  auto put =
      expect_json(f.c.put("/api/v1/contractors/con_1/preferences", {{"notify_on_assignment", false},
                                                                    {"quiet_hours_start", "22:00"},
                                                                    {"quiet_hours_end", "06:00"}}),
                  200);
  auto p = put["position"].get<std::uint64_t>();
  put.erase("position");
  auto got = f.c.get("/api/v1/contractors/con_1/preferences?min_position=" + std::to_string(p));
  CHECK(got == put);
  CHECK(got == json{{"notify_on_assignment", false},
                    {"notify_on_route_assignment", true},
                    {"notify_on_weather_alert", true},
                    {"quiet_hours_start", "22:00"},
                    {"quiet_hours_end", "06:00"}});
}

TEST_CASE("PUT /contractors/{id}/preferences refuses bad quiet hours naming the field",
          "[contractors_http]") {
  contractor_fixture f;
  REQUIRE(f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
          201);
  CHECK(expect_error(f.c.put("/api/v1/contractors/con_1/preferences",
                             {{"quiet_hours_start", "10pm"}, {"quiet_hours_end", "06:00"}}),
                     400)["field"] == "quiet_hours_start");
  CHECK(expect_error(
            f.c.put("/api/v1/contractors/con_1/preferences", {{"quiet_hours_start", "22:00"}}),
            400)["field"] == "quiet_hours_end");
  CHECK(expect_error(
            f.c.put("/api/v1/contractors/con_1/preferences", {{"notify_on_assignment", "no"}}),
            400)["field"] == "notify_on_assignment");
  CHECK(f.c.put("/api/v1/contractors/nobody/preferences", json::object()).status == 404);
}

TEST_CASE("POST then GET /properties registers a property and reads it back",
          "[contractors_http]") {
  contractor_fixture f;
  auto j = expect_json(f.c.post("/api/v1/properties",
                                property_body("p_walmart", "Walmart Parking Lot", "123 Main St")),
                       201);
  CHECK(j["contractor_ids"] == json::array());
  auto p = j["position"].get<std::uint64_t>();
  auto got = f.c.get("/api/v1/properties/p_walmart?min_position=" + std::to_string(p));
  CHECK(got["name"] == "Walmart Parking Lot");
  CHECK(got["address"] == "123 Main St");
  CHECK(f.c.get("/api/v1/properties")["items"].size() == 1);
  auto no_address = property_body("p_2", "Target", "");
  no_address.erase("address");
  CHECK(expect_error(f.c.post("/api/v1/properties", no_address), 400)["field"] == "address");
  CHECK(f.s.get("/api/v1/properties/nope", f.c.t.api_token).status == 404);
}

TEST_CASE("another tenant's contractors and properties are 404 and absent from its lists",
          "[contractors_http][hostile]") {
  contractor_fixture f;
  tenant_client other{f.s, f.s.create_tenant("+15005550007")};
  auto p = position_of(
      f.c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)), 201);
  REQUIRE(f.c.post("/api/v1/properties", property_body("p1", "Walmart", "1 Main")).status == 201);
  auto q = "?min_position=" + std::to_string(p);
  CHECK(f.s.get("/api/v1/contractors/con_1" + q, other.t.api_token).status == 404);
  CHECK(f.s.get("/api/v1/properties/p1" + q, other.t.api_token).status == 404);
  CHECK(other.get("/api/v1/contractors" + q)["items"].empty());
  CHECK(f.s.get("/api/v1/contractors", "fl_not-a-token").status == 401);
  CHECK(send_json(f.s, "POST", "/api/v1/contractors",
                  contractor_body("con_2", "X", "+13125550148").dump(), "")
            .status == 401);
  // The same phone is free in another tenant.
  CHECK(other.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
        201);
}

TEST_CASE("hostile contractor requests are refused without a 500", "[contractors_http][hostile]") {
  contractor_fixture f;
  auto before = recorded(f.c);
  std::string huge(2 * 1024 * 1024, 'a');
  auto big =
      f.c.send("POST", "/api/v1/contractors", json{{"name", huge}, {"phone", mike_phone}}.dump());
  CHECK(big.status == 413);
  CHECK(expect_error(f.c.post("/api/v1/contractors",
                              contractor_body("con_1", std::string(201, 'x'), mike_phone)),
                     400)["field"] == "name");
  CHECK(f.s.get("/api/v1/contractors/..%2F..%2Fetc", f.c.t.api_token).status == 404);
  CHECK(f.s.get("/api/v1/contractors/a'%20OR%201=1", f.c.t.api_token).status == 404);
  CHECK(f.c.put("/api/v1/contractors/a%00b", {{"name", "X"}, {"phone", mike_phone}}).status == 404);
  CHECK(f.c.send("POST", "/api/v1/properties", "[1,2,3]").status == 400);
  CHECK(recorded(f.c) == before);
}

TEST_CASE("two contractors registered at once with one phone: one gets it, the other 409",
          "[contractors_http]") {
  contractor_fixture f;
  for (int round = 0; round < 5; ++round) {
    auto phone = "+1312555020" + std::to_string(round);
    long a = 0, b = 0;
    std::thread first([&] {
      a = f.c.post("/api/v1/contractors", contractor_body("a" + std::to_string(round), "A", phone))
              .status;
    });
    std::thread second([&] {
      b = f.c.post("/api/v1/contractors", contractor_body("b" + std::to_string(round), "B", phone))
              .status;
    });
    first.join();
    second.join();
    INFO(a << " " << b);
    CHECK(((a == 201 && b == 409) || (a == 409 && b == 201)));
  }
}
