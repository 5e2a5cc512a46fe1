// POST /sms/trigger/{type}, POST /sms/send-reminders and POST /sms/send
// {customer_id} over loopback HTTP; and what every field-service write
// route does with no token, a wrong one, and a body over its limit.

#include "domain/dispatch_streams.hpp"
#include "tests/server/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string jane_phone = "+13125550147";
const std::string reminder_text =
    "Hi Jane, a reminder that your appointment is tomorrow at 2:30 PM. See you then! - Acme HVAC";

// Jane's job j1 tomorrow at 2:30 PM in Chicago, not assigned; the clock at
// 10:00 AM today.
struct sms_fixture {
  sim_clock clock{at("2026-12-07T10:00:00-06:00")};
  running_server s{{}, dispatch_options(&clock)};
  tenant_client c{s, s.create_tenant()};

  sms_fixture() {
    REQUIRE(c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
    REQUIRE(c.post("/api/v1/technicians", technician_body("t1", "Mike", "+13125550190")).status ==
            201);
    REQUIRE(c.post("/api/v1/jobs", job_body("j1", "c1", "2026-12-08T14:30:00-06:00")).status ==
            201);
  }
  std::vector<std::string> job_events() {
    return stream_types(s, domain::job_stream(c.t.id, "j1"));
  }
};

}  // namespace

TEST_CASE("POST /sms/trigger/{type} texts that notification once; a second time is 409",
          "[dispatch_http][trigger][duplicate]") {
  sms_fixture f;
  auto j = expect_json(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}), 200);
  CHECK(j["job_id"] == "j1");
  CHECK(j["trigger"] == "reminder");
  CHECK(j["job"]["notifications"][0]["trigger"] == "reminder");
  CHECK(texts_of(f.c, "c1", j["position"]) == std::vector<std::string>{reminder_text});
  auto events = f.job_events();
  auto e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}), 409);
  CHECK(e["code"] == "already_sent");
  CHECK(f.job_events() == events);
  CHECK(texts_of(f.c, "c1", f.s.app().store().last_position()).size() == 1);
}

TEST_CASE("en route by hand texts the ETA from the technician's last fix",
          "[dispatch_http][trigger]") {
  sms_fixture f;
  f.clock.set(at("2026-12-08T13:50:00-06:00"));
  REQUIRE(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t1"}}).status == 200);
  REQUIRE(f.c.post("/api/v1/technicians/t1/location", {{"lat", far_lat},
                                                       {"lon", far_lon},
                                                       {"recorded_at", "2026-12-08T13:49:00-06:00"},
                                                       {"speed_mps", 10.0}})
              .status == 201);
  auto j = expect_json(f.c.post("/api/v1/sms/trigger/enroute", {{"job_id", "j1"}}), 200);
  auto texts = texts_of(f.c, "c1", j["position"]);
  REQUIRE(texts.size() == 2);
  CHECK(texts[1] == "Hi Jane, Mike is on the way and should arrive in about 17 min.");
  CHECK(count(f.job_events(), "notification_queued") == 2);
  // It went: the technician's own en route does not text it again.
  j = expect_json(
      f.c.post("/api/v1/technicians/t1/status", {{"status", "enroute"}, {"job_id", "j1"}}), 200);
  CHECK(texts_of(f.c, "c1", j["position"]).size() == 2);
}

TEST_CASE("a trigger request that is wrong is refused; nothing recorded",
          "[dispatch_http][trigger]") {
  sms_fixture f;
  auto before = recorded(f.c);
  auto e = expect_error(f.c.post("/api/v1/sms/trigger/birthday", {{"job_id", "j1"}}), 400);
  CHECK(e["code"] == "invalid_field");
  for (const char* by_people : {"manual", "reply"})
    CHECK(f.c.post(std::string("/api/v1/sms/trigger/") + by_people, {{"job_id", "j1"}}).status ==
          400);
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", json::object()), 400);
  CHECK(e["field"] == "job_id");
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", 1}}), 400);
  CHECK(e["field"] == "job_id");
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}, {"now", true}}),
                   400);
  CHECK(e["code"] == "unknown_field");
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "nope"}}), 404);
  CHECK(e["code"] == "not_found");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("the reminder sweep texts each job due once, at the tenant's reminder hour",
          "[dispatch_http][reminders][duplicate]") {
  sms_fixture f;
  // Before 6 PM the day before: not due yet.
  auto j = expect_json(
      f.c.post("/api/v1/sms/send-reminders", {{"as_of", "2026-12-07T17:59:00-06:00"}}), 200);
  CHECK(j["jobs_checked"] == 1);
  CHECK(j["reminders"] == 0);
  CHECK(j["failed_jobs"] == json::array());
  j = expect_json(f.c.post("/api/v1/sms/send-reminders", {{"as_of", "2026-12-07T18:00:00-06:00"}}),
                  200);
  CHECK(j["jobs_checked"] == 1);
  CHECK(j["reminders"] == 1);
  CHECK(texts_of(f.c, "c1", j["position"]) == std::vector<std::string>{reminder_text});
  auto events = f.job_events();
  j = expect_json(f.c.post("/api/v1/sms/send-reminders", {{"as_of", "2026-12-07T18:30:00-06:00"}}),
                  200);
  CHECK(j["reminders"] == 0);
  CHECK(f.job_events() == events);
  // By hand, too, it has gone.
  CHECK(expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}), 409)["code"] ==
        "already_sent");
  // No body: the sweep runs at the server's clock (10 AM: nothing due).
  j = expect_json(f.c.send("POST", "/api/v1/sms/send-reminders", ""), 200);
  CHECK(j["reminders"] == 0);
  CHECK(texts_of(f.c, "c1", f.s.app().store().last_position()).size() == 1);
}

TEST_CASE("a reminder sweep request that is wrong is 400 naming the field",
          "[dispatch_http][reminders]") {
  sms_fixture f;
  auto e = expect_error(f.c.post("/api/v1/sms/send-reminders", {{"as_of", "6pm"}}), 400);
  CHECK(e["field"] == "as_of");
  e = expect_error(f.c.post("/api/v1/sms/send-reminders", {{"as_of", 1765152000}}), 400);
  CHECK(e["field"] == "as_of");
  e = expect_error(f.c.post("/api/v1/sms/send-reminders", {{"tenant", "x"}}), 400);
  CHECK(e["code"] == "unknown_field");
  CHECK(expect_error(f.c.send("POST", "/api/v1/sms/send-reminders", "[1]"), 400)["code"] ==
        "invalid_json");
}

TEST_CASE("POST /sms/send to a customer texts its phone; an opted-out one is 409",
          "[dispatch_http][send]") {
  sms_fixture f;
  auto j =
      expect_json(f.c.post("/api/v1/sms/send", {{"customer_id", "c1"}, {"body", "Hello"}}), 201);
  CHECK(j["customer_id"] == "c1");
  CHECK(texts_of(f.c, "c1", j["position"]) == std::vector<std::string>{"Hello"});
  CHECK(expect_error(f.c.post("/api/v1/sms/send", {{"customer_id", "nope"}, {"body", "x"}}),
                     404)["code"] == "not_found");
  CHECK(f.c.post("/api/v1/sms/send", {{"customer_id", "a/b"}, {"body", "x"}}).status == 404);
  REQUIRE(f.s.post_twilio("/sms/webhook",
                          inbound_form(f.c.t, jane_phone, "STOP", "SM" + std::string(32, '5')),
                          f.c.t.auth_token)
              .status == 200);
  auto e = expect_error(f.c.post("/api/v1/sms/send", {{"customer_id", "c1"}, {"body", "x"}}), 409);
  CHECK(e["code"] == "opted_out");
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}), 409);
  CHECK(e["code"] == "opted_out");
  // The customer's answer says so.
  auto c = expect_json(f.c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)), 201);
  CHECK(c["opted_out"] == true);
}

TEST_CASE("every field-service write route is 401 without a token or with a wrong one",
          "[dispatch_http][hostile]") {
  sms_fixture f;
  auto before = recorded(f.c);
  std::vector<std::pair<std::string, std::string>> routes{
      {"POST", "/api/v1/customers"},
      {"PUT", "/api/v1/customers/c1"},
      {"POST", "/api/v1/technicians"},
      {"PUT", "/api/v1/technicians/t1"},
      {"POST", "/api/v1/technicians/t1/status"},
      {"POST", "/api/v1/technicians/t1/location"},
      {"POST", "/api/v1/locations"},
      {"POST", "/api/v1/jobs"},
      {"PUT", "/api/v1/jobs/j1"},
      {"POST", "/api/v1/jobs/j1/assign"},
      {"POST", "/api/v1/jobs/j1/cancel"},
      {"POST", "/api/v1/sms/trigger/reminder"},
      {"POST", "/api/v1/sms/send-reminders"},
      {"POST", "/api/v1/sms/send"},
  };
  const std::string body = json{{"job_id", "j1"}, {"first_name", "x"}}.dump();
  for (const auto& [method, path] : routes) {
    INFO(method << " " << path);
    CHECK(send_json(f.s, method, path, body, "").status == 401);
    CHECK(send_json(f.s, method, path, body, "not-a-token").status == 401);
    CHECK(send_json(f.s, method, path, body, operator_token).status == 401);
    CHECK(send_json(f.s, method, path, body, f.c.t.api_token + "x").status == 401);
  }
  CHECK(recorded(f.c) == before);
}

TEST_CASE("a 70 KiB JSON body is 413 on every field-service route but the location stream",
          "[dispatch_http][hostile]") {
  sms_fixture f;
  auto before = recorded(f.c);
  json big = customer_body("c9", "Jane", jane_phone);
  big["address"] = std::string(70 * 1024, 'a');
  const std::string body = big.dump();
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/api/v1/customers"},
           {"PUT", "/api/v1/customers/c1"},
           {"POST", "/api/v1/technicians"},
           {"PUT", "/api/v1/technicians/t1"},
           {"POST", "/api/v1/technicians/t1/status"},
           {"POST", "/api/v1/technicians/t1/location"},
           {"POST", "/api/v1/jobs"},
           {"PUT", "/api/v1/jobs/j1"},
           {"POST", "/api/v1/jobs/j1/assign"},
           {"POST", "/api/v1/jobs/j1/cancel"},
           {"POST", "/api/v1/sms/trigger/reminder"},
           {"POST", "/api/v1/sms/send-reminders"},
           {"POST", "/api/v1/sms/send"},
       }) {
    INFO(method << " " << path);
    CHECK(expect_error(f.c.send(method, path, body), 413)["code"] == "body_too_large");
  }
  // The location stream takes it (and refuses its one line, too long).
  auto j = expect_json(f.c.send("POST", "/api/v1/locations", body), 400);
  CHECK(j["errors"][0]["line"] == 1);
  CHECK(recorded(f.c) == before);
}
