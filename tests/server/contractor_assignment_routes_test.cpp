// POST /properties/{id}/assignments and POST /sms/notify-assignment over
// loopback HTTP: the seed's assignment text queued in the contractor's
// conversation, skipped by its preferences, held by its quiet hours and sent
// when they end (on the timer, and after a restart), never twice.

#include "domain/dispatch_streams.hpp"
#include "tests/server/contractor_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string mike_phone = "+13125550147";

// A tenant (America/Chicago) with contractor con_1 and the seed's Walmart lot.
struct assignment_fixture {
  explicit assignment_fixture(const sim_clock* clock = nullptr, const temp_dir* dir = nullptr)
      : s({}, dispatch_options(clock), dir), c{s, s.create_tenant()} {
    REQUIRE(c.post("/api/v1/contractors", contractor_body("con_1", "Mike", mike_phone)).status ==
            201);
    REQUIRE(c.post("/api/v1/properties", property_body("p_walmart", "Walmart Parking Lot",
                                                       "123 Main Street, Anytown, ST 12345"))
                .status == 201);
  }
  json assign(const std::string& contractor = "con_1", long status = 201,
              std::optional<bool> notify = std::nullopt) {
    json body{{"contractor_id", contractor}};
    if (notify) body["notify"] = *notify;
    return expect_json(c.post("/api/v1/properties/p_walmart/assignments", body), status);
  }
  running_server s;
  tenant_client c;
};

}  // namespace

TEST_CASE("assigning a contractor queues the seed's New Assignment text in its conversation",
          "[assignment_http]") {
  assignment_fixture f;
  auto j = f.assign();
  CHECK(j["assigned"] == true);
  CHECK(j["sms"] == "queued");
  CHECK(j["message_id"].is_string());
  auto texts = contractor_texts(f.c, "con_1", j["position"]);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0]["body"] == seed_walmart_text);
  CHECK(texts[0]["trigger"] == "assignment");
  CHECK(texts[0]["to"] == mike_phone);
  CHECK(stream_types(f.s, domain::property_stream(f.c.t.id, "p_walmart")) ==
        std::vector<std::string>{"property_registered", "contractor_assigned"});
}

TEST_CASE("the assignment shows on the contractor and the property", "[assignment_http]") {
  assignment_fixture f;
  auto p = f.assign()["position"].get<std::uint64_t>();
  auto q = "?min_position=" + std::to_string(p);
  CHECK(f.c.get("/api/v1/contractors/con_1" + q)["property_ids"] == json{"p_walmart"});
  CHECK(f.c.get("/api/v1/properties/p_walmart" + q)["contractor_ids"] == json{"con_1"});
}

TEST_CASE("the same assignment twice records and texts once", "[assignment_http]") {
  assignment_fixture f;
  f.assign();
  auto again = f.assign("con_1", 200);
  CHECK(again["assigned"] == false);
  CHECK(again["sms"] == "skipped");
  CHECK(again["reason"] == "already_assigned");
  CHECK(contractor_texts(f.c, "con_1", again["position"]).size() == 1);
}

TEST_CASE("an assignment with notify false texts nothing", "[assignment_http]") {
  assignment_fixture f;
  auto j = f.assign("con_1", 201, false);
  CHECK(j["sms"] == "not_requested");
  CHECK(contractor_texts(f.c, "con_1", j["position"]).empty());
}

TEST_CASE("assigning refuses an unknown contractor or property and bad fields",
          "[assignment_http]") {
  assignment_fixture f;
  auto unknown = expect_error(
      f.c.post("/api/v1/properties/p_walmart/assignments", {{"contractor_id", "nobody"}}), 404);
  CHECK(unknown["field"] == "contractor_id");
  CHECK(f.c.post("/api/v1/properties/nope/assignments", {{"contractor_id", "con_1"}}).status ==
        404);
  CHECK(expect_error(f.c.post("/api/v1/properties/p_walmart/assignments", json::object()),
                     400)["field"] == "contractor_id");
  CHECK(expect_error(f.c.post("/api/v1/properties/p_walmart/assignments",
                              {{"contractor_id", "con_1"}, {"notify", "yes"}}),
                     400)["field"] == "notify");
  CHECK(expect_error(f.c.post("/api/v1/properties/p_walmart/assignments",
                              {{"contractor_id", "con_1; DROP TABLE"}}),
                     400)["field"] == "contractor_id");
}

TEST_CASE("no assignment text for a contractor with texts turned off, and the answer says why",
          "[assignment_http]") {
  assignment_fixture f;
  REQUIRE(f.c.put("/api/v1/contractors/con_1",
                  {{"name", "Mike"}, {"phone", mike_phone}, {"sms_notifications_enabled", false}})
              .status == 200);
  auto j = f.assign();
  CHECK(j["assigned"] == true);
  CHECK(j["sms"] == "skipped");
  CHECK(j["reason"] == "notifications_disabled");
  CHECK(contractor_texts(f.c, "con_1", j["position"]).empty());
}

TEST_CASE("no assignment text for a contractor who turned assignment texts off",
          "[assignment_http]") {
  assignment_fixture f;
  REQUIRE(
      f.c.put("/api/v1/contractors/con_1/preferences", {{"notify_on_assignment", false}}).status ==
      200);
  auto j = f.assign();
  CHECK(j["sms"] == "skipped");
  CHECK(j["reason"] == "assignment_notifications_off");
  CHECK(contractor_texts(f.c, "con_1", j["position"]).empty());
}

TEST_CASE("an assignment text in the contractor's quiet hours is held, then sent when they end",
          "[assignment_http]") {
  // Seconds before quiet hours end in Chicago (the clock runs on with real
  // time): the timer fires during the test.
  sim_clock clock(at("2026-12-08T05:59:57.500-06:00"));
  assignment_fixture f(&clock);
  REQUIRE(f.c.put("/api/v1/contractors/con_1/preferences",
                  {{"quiet_hours_start", "22:00"}, {"quiet_hours_end", "06:00"}})
              .status == 200);
  auto j = f.assign();
  CHECK(j["sms"] == "held");
  CHECK(j["reason"] == "quiet_hours");
  CHECK(parse_rfc3339(j["held_until"].get<std::string>()) == at("2026-12-08T06:00:00-06:00"));
  auto texts = await_contractor_texts(f.c, "con_1", 1);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0]["body"] == seed_walmart_text);
  auto stream = stream_types(f.s, domain::contractor_stream(f.c.t.id, "con_1"));
  CHECK(count(stream, "assignment_text_held") == 1);
  CHECK(count(stream, "assignment_text_released") == 1);
}

TEST_CASE("a held assignment text survives a restart and is sent once after it",
          "[assignment_http]") {
  temp_dir dir;
  sim_clock clock(at("2026-12-07T23:00:00-06:00"));
  test_tenant tenant;
  {
    assignment_fixture f(&clock, &dir);
    tenant = f.c.t;
    REQUIRE(f.c.put("/api/v1/contractors/con_1/preferences",
                    {{"quiet_hours_start", "22:00"}, {"quiet_hours_end", "06:00"}})
                .status == 200);
    auto j = f.assign();
    CHECK(j["sms"] == "held");
    CHECK(contractor_texts(f.c, "con_1", j["position"]).empty());
  }
  clock.set(at("2026-12-08T06:30:00-06:00"));
  running_server s({}, dispatch_options(&clock), &dir);
  tenant_client c{s, tenant};
  auto texts = await_contractor_texts(c, "con_1", 1);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0]["body"] == seed_walmart_text);
  // A second restart finds nothing held any more.
  s.stop();
  s.start({}, dispatch_options(&clock));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(contractor_texts(c, "con_1", s.app().store().last_position()).size() == 1);
}

TEST_CASE("POST /sms/notify-assignment texts the assignment again by hand", "[assignment_http]") {
  assignment_fixture f;
  f.assign("con_1", 201, false);
  auto j = expect_json(f.c.post("/api/v1/sms/notify-assignment",
                                {{"property_id", "p_walmart"}, {"contractor_id", "con_1"}}),
                       200);
  CHECK(j["sms"] == "queued");
  auto texts = contractor_texts(f.c, "con_1", j["position"]);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0]["body"] == seed_walmart_text);
}

TEST_CASE("POST /sms/notify-assignment refuses unknown ids and missing fields",
          "[assignment_http]") {
  assignment_fixture f;
  CHECK(expect_error(f.c.post("/api/v1/sms/notify-assignment",
                              {{"property_id", "nope"}, {"contractor_id", "con_1"}}),
                     404)["field"] == "property_id");
  CHECK(expect_error(f.c.post("/api/v1/sms/notify-assignment",
                              {{"property_id", "p_walmart"}, {"contractor_id", "nobody"}}),
                     404)["field"] == "contractor_id");
  CHECK(expect_error(f.c.post("/api/v1/sms/notify-assignment", {{"property_id", "p_walmart"}}),
                     400)["field"] == "contractor_id");
  CHECK(expect_error(f.c.post("/api/v1/sms/notify-assignment",
                              {{"property_id", "../x"}, {"contractor_id", "con_1"}}),
                     400)["field"] == "property_id");
}

TEST_CASE("DELETE an assignment takes the contractor off the property, once, texting nothing",
          "[assignment_http]") {
  assignment_fixture f;
  f.assign("con_1", 201, false);
  auto path = std::string("/api/v1/properties/p_walmart/assignments/con_1");
  auto j = expect_json(f.c.send("DELETE", path, ""), 200);
  CHECK(j["removed"] == true);
  CHECK(j["property_id"] == "p_walmart");
  CHECK(j["contractor_id"] == "con_1");
  auto p = j["position"].get<std::uint64_t>();
  CHECK(f.c.get("/api/v1/contractors/con_1?min_position=" + std::to_string(p))["property_ids"] ==
        json::array());
  CHECK(f.c.get("/api/v1/properties/p_walmart")["contractor_ids"] == json::array());
  // Again (a retried DELETE): 200, nothing recorded.
  auto again = expect_json(f.c.send("DELETE", path, ""), 200);
  CHECK(again["removed"] == false);
  CHECK(stream_types(f.s, domain::property_stream(f.c.t.id, "p_walmart")) ==
        std::vector<std::string>{"property_registered", "contractor_assigned",
                                 "contractor_unassigned"});
  CHECK(contractor_texts(f.c, "con_1", p).empty());
  // And assigned again later, like any other.
  CHECK(f.assign("con_1", 201, false)["assigned"] == true);
}

TEST_CASE("DELETE an assignment of an unknown property is 404, a malformed id 400, no token 401",
          "[assignment_http]") {
  assignment_fixture f;
  CHECK(expect_error(f.c.send("DELETE", "/api/v1/properties/p_nope/assignments/con_1", ""),
                     404)["code"] == "not_found");
  auto bad = expect_error(
      f.c.send("DELETE", "/api/v1/properties/p_walmart/assignments/con%3Bdrop", ""), 400);
  CHECK(bad["field"] == "contractor_id");
  CHECK(
      http_request("DELETE", f.s.base() + "/api/v1/properties/p_walmart/assignments/con_1", "", {})
          .status == 401);
}
