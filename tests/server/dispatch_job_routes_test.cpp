// POST /jobs, PUT /jobs/{id}, POST /jobs/{id}/assign, POST /jobs/{id}/cancel
// over loopback HTTP: what each answers and texts, every refusal naming its
// field, another tenant's jobs, and retries recording once.

#include "domain/dispatch_streams.hpp"
#include "tests/server/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string jane_phone = "+13125550147";
// Tomorrow 2:30 PM in Chicago for a clock at 2026-12-07 10:00 in Chicago.
const std::string appointment = "2026-12-08T14:30:00-06:00";
const std::string scheduled_text =
    "Hi Jane, Acme HVAC has you scheduled for Tue, Dec 8 at 2:30 PM. Reply STOP to opt out.";

struct job_fixture {
  sim_clock clock{at("2026-12-07T10:00:00-06:00")};
  running_server s{{}, dispatch_options(&clock)};
  tenant_client c{s, s.create_tenant()};

  job_fixture() {
    REQUIRE(c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
    REQUIRE(c.post("/api/v1/technicians", technician_body("t1", "Mike", "+13125550190")).status ==
            201);
    REQUIRE(c.post("/api/v1/technicians", technician_body("t2", "Ann", "+13125550191")).status ==
            201);
  }
  std::vector<std::string> job_events(const std::string& id) {
    return stream_types(s, domain::job_stream(c.t.id, id));
  }
};

}  // namespace

TEST_CASE("POST /jobs books a job and answers it with its position", "[dispatch_http][jobs]") {
  job_fixture f;
  auto j = expect_json(f.c.post("/api/v1/jobs", job_body("j1", "c1", appointment)), 201);
  CHECK(j["position"].get<std::uint64_t>() == f.s.app().store().last_position());
  j.erase("position");
  CHECK(j == json{{"id", "j1"},
                  {"customer_id", "c1"},
                  {"technician_id", nullptr},
                  {"address", "1 Main St, Chicago"},
                  {"lat", job_lat},
                  {"lon", job_lon},
                  {"scheduled_at", "2026-12-08T20:30:00.000000+00:00"},
                  {"status", "unassigned"},
                  {"invoice_link", "https://pay.example/inv/j1"},
                  {"notifications", json::array()}});
  CHECK(f.job_events("j1") == std::vector<std::string>{"job_created"});
  CHECK(texts_of(f.c, "c1", f.s.app().store().last_position()).empty());
  auto body = job_body("", "c1", appointment);
  body.erase("id");
  body.erase("lat");
  body.erase("lon");
  auto fresh = expect_json(f.c.post("/api/v1/jobs", body), 201);
  CHECK(fresh["id"].get<std::string>().starts_with("job_"));
  CHECK(fresh["lat"].is_null());
}

TEST_CASE("POST /jobs with a technician books, assigns and texts the scheduled notification",
          "[dispatch_http][jobs]") {
  job_fixture f;
  auto body = job_body("j1", "c1", appointment);
  body["technician_id"] = "t1";
  auto j = expect_json(f.c.post("/api/v1/jobs", body), 201);
  CHECK(j["technician_id"] == "t1");
  CHECK(j["status"] == "scheduled");
  CHECK(j["notifications"] ==
        json::array({{{"trigger", "scheduled"},
                      {"for_scheduled_at", "2026-12-08T20:30:00.000000+00:00"}}}));
  // The position covers the text: read with it, the text is there.
  auto position = j["position"].get<std::uint64_t>();
  CHECK(texts_of(f.c, "c1", position) == std::vector<std::string>{scheduled_text});
  CHECK(f.job_events("j1") == std::vector<std::string>{"job_created", "job_assigned",
                                                       "notification_triggered",
                                                       "notification_queued"});
}

TEST_CASE("a job for an unknown customer or technician is 404 naming it, and nothing is recorded",
          "[dispatch_http][jobs]") {
  job_fixture f;
  auto before = recorded(f.c);
  auto e = expect_error(f.c.post("/api/v1/jobs", job_body("j1", "ghost", appointment)), 404);
  CHECK(e["code"] == "not_found");
  CHECK(e["field"] == "customer_id");
  auto body = job_body("j1", "c1", appointment);
  body["technician_id"] = "ghost";
  e = expect_error(f.c.post("/api/v1/jobs", body), 404);
  CHECK(e["field"] == "technician_id");
  body["technician_id"] = "bad id";
  e = expect_error(f.c.post("/api/v1/jobs", body), 400);
  CHECK(e["field"] == "technician_id");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("a job request with a bad field is 400 naming it, and nothing is recorded",
          "[dispatch_http][jobs]") {
  job_fixture f;
  auto before = recorded(f.c);
  struct bad_case {
    const char* field;
    json value;
  };
  std::vector<bad_case> cases{
      {"scheduled_at", "tomorrow"},
      {"scheduled_at", "2026-12-08T14:30:00"},  // no offset
      {"scheduled_at", "2026-02-30T14:30:00-06:00"},
      {"scheduled_at", 1765225800},
      {"lat", 91.0},
      {"lat", -90.5},
      {"lat", "41.8"},
      {"lon", 181.0},
      {"lon", nullptr},  // lat without lon
      {"address", json::array()},
      {"address", std::string(501, 'a')},
      {"address", "1 Main\x01St"},
      {"customer_id", 7},
      {"customer_id", "a/b"},
      {"id", std::string(65, 'j')},
      {"invoice_link", "ftp://pay.example/1"},
      {"invoice_link", "javascript:alert(1)"},
      {"invoice_link", "https://pay.example/a b"},
      {"technician_id", false},
  };
  for (const auto& bc : cases) {
    auto body = job_body("j1", "c1", appointment);
    body[bc.field] = bc.value;
    INFO(bc.field << " = " << bc.value.dump());
    auto e = expect_error(f.c.post("/api/v1/jobs", body), 400);
    CHECK(e["field"] == bc.field);
  }
  for (const char* missing : {"customer_id", "address", "scheduled_at"}) {
    auto body = job_body("j1", "c1", appointment);
    body.erase(missing);
    INFO("without " << missing);
    CHECK(expect_error(f.c.post("/api/v1/jobs", body), 400)["field"] == missing);
  }
  auto body = job_body("j1", "c1", appointment);
  body["priority"] = "high";
  auto e = expect_error(f.c.post("/api/v1/jobs", body), 400);
  CHECK(e["code"] == "unknown_field");
  CHECK(e["field"] == "priority");
  CHECK(expect_error(f.c.send("POST", "/api/v1/jobs", "{\"id\": \"j1\","), 400)["code"] ==
        "invalid_json");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("the same job POST twice answers the same and records and texts once",
          "[dispatch_http][jobs][duplicate]") {
  job_fixture f;
  auto body = job_body("j1", "c1", appointment);
  body["technician_id"] = "t1";
  auto first = expect_json(f.c.post("/api/v1/jobs", body), 201);
  auto again = expect_json(f.c.post("/api/v1/jobs", body), 201);
  CHECK(again["position"].get<std::uint64_t>() >= first["position"].get<std::uint64_t>());
  first.erase("position");
  again.erase("position");
  CHECK(again == first);
  CHECK(f.job_events("j1").size() == 4);
  CHECK(texts_of(f.c, "c1", f.s.app().store().last_position()).size() == 1);
  // Another job under the same id is a conflict.
  auto other = job_body("j1", "c1", "2026-12-09T09:00:00-06:00");
  auto e = expect_error(f.c.post("/api/v1/jobs", other), 409);
  CHECK(e["code"] == "already_created");
  CHECK(f.job_events("j1").size() == 4);
}

TEST_CASE("PUT /jobs/{id} replaces the place and moves the appointment", "[dispatch_http][jobs]") {
  job_fixture f;
  REQUIRE(f.c.post("/api/v1/jobs", job_body("j1", "c1", appointment)).status == 201);
  json place{{"address", "2 Oak Ave"}, {"lat", 41.9}, {"lon", -87.7}};
  auto j = expect_json(f.c.put("/api/v1/jobs/j1", place), 200);
  CHECK(j["address"] == "2 Oak Ave");
  CHECK(j["invoice_link"].is_null());  // a PUT replaces
  CHECK(j["scheduled_at"] == "2026-12-08T20:30:00.000000+00:00");
  auto same = expect_json(f.c.put("/api/v1/jobs/j1", place), 200);
  CHECK(same["position"].get<std::uint64_t>() >= j["position"].get<std::uint64_t>());
  place["scheduled_at"] = "2026-12-09T09:00:00-06:00";
  j = expect_json(f.c.put("/api/v1/jobs/j1", place), 200);
  CHECK(j["scheduled_at"] == "2026-12-09T15:00:00.000000+00:00");
  CHECK(f.job_events("j1") ==
        std::vector<std::string>{"job_created", "job_updated", "job_rescheduled"});
  auto e = expect_error(f.c.put("/api/v1/jobs/j1", {{"address", "x"}, {"status", "done"}}), 400);
  CHECK(e["field"] == "status");
  e = expect_error(f.c.put("/api/v1/jobs/j1", {{"lat", 41.9}, {"lon", -87.7}}), 400);
  CHECK(e["field"] == "address");
  e = expect_error(f.c.put("/api/v1/jobs/j1", {{"address", "x"}, {"scheduled_at", "soon"}}), 400);
  CHECK(e["field"] == "scheduled_at");
  e = expect_error(f.c.put("/api/v1/jobs/nope", place), 404);
  CHECK(e["code"] == "not_found");
  CHECK(f.job_events("j1").size() == 3);
}

TEST_CASE("POST /jobs/{id}/assign texts the first assignment only",
          "[dispatch_http][jobs][duplicate]") {
  job_fixture f;
  REQUIRE(f.c.post("/api/v1/jobs", job_body("j1", "c1", appointment)).status == 201);
  auto j = expect_json(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t1"}}), 200);
  CHECK(j["technician_id"] == "t1");
  CHECK(j["status"] == "scheduled");
  CHECK(texts_of(f.c, "c1", j["position"]) == std::vector<std::string>{scheduled_text});
  // The same again: the same answer, nothing recorded.
  auto events_before = f.job_events("j1");
  auto again = expect_json(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t1"}}), 200);
  CHECK(again["technician_id"] == "t1");
  CHECK(f.job_events("j1") == events_before);
  // Another technician: reassigned, not texted again.
  j = expect_json(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t2"}}), 200);
  CHECK(j["technician_id"] == "t2");
  CHECK(texts_of(f.c, "c1", j["position"]).size() == 1);

  auto e = expect_error(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "ghost"}}), 404);
  CHECK(e["field"] == "technician_id");
  e = expect_error(f.c.post("/api/v1/jobs/j1/assign", json::object()), 400);
  CHECK(e["field"] == "technician_id");
  e = expect_error(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", 1}}), 400);
  CHECK(e["field"] == "technician_id");
  e = expect_error(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t1"}, {"x", 1}}), 400);
  CHECK(e["code"] == "unknown_field");
  e = expect_error(f.c.post("/api/v1/jobs/nope/assign", {{"technician_id", "t1"}}), 404);
  CHECK(e["code"] == "not_found");
}

TEST_CASE("POST /jobs/{id}/cancel closes the job once; nothing is texted for it after",
          "[dispatch_http][jobs][duplicate]") {
  job_fixture f;
  REQUIRE(f.c.post("/api/v1/jobs", job_body("j1", "c1", appointment)).status == 201);
  auto j = expect_json(f.c.post("/api/v1/jobs/j1/cancel", json::object()), 200);
  CHECK(j["status"] == "cancelled");
  auto again = expect_json(f.c.post("/api/v1/jobs/j1/cancel", json::object()), 200);
  CHECK(again["status"] == "cancelled");
  CHECK(f.job_events("j1") == std::vector<std::string>{"job_created", "job_status_changed"});
  auto e = expect_error(f.c.post("/api/v1/jobs/j1/assign", {{"technician_id", "t1"}}), 409);
  CHECK(e["code"] == "job_closed");
  e = expect_error(
      f.c.put("/api/v1/jobs/j1", {{"address", "x"}, {"scheduled_at", "2026-12-10T09:00:00-06:00"}}),
      409);
  CHECK(e["code"] == "job_closed");
  CHECK(f.job_events("j1") == std::vector<std::string>{"job_created", "job_status_changed"});
  e = expect_error(f.c.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}), 409);
  CHECK(e["code"] == "job_closed");
  CHECK(expect_error(f.c.post("/api/v1/jobs/nope/cancel", json::object()), 404)["code"] ==
        "not_found");
  CHECK(texts_of(f.c, "c1", f.s.app().store().last_position()).empty());
}

TEST_CASE("another tenant's job or customer is 404 to every job route; nothing is recorded",
          "[dispatch_http][jobs][hostile]") {
  job_fixture f;
  auto body = job_body("j1", "c1", appointment);
  body["technician_id"] = "t1";
  REQUIRE(f.c.post("/api/v1/jobs", body).status == 201);
  tenant_client other{f.s, f.s.create_tenant("+15005550007")};
  REQUIRE(other.post("/api/v1/technicians", technician_body("t9", "Eve", "+13125550666")).status ==
          201);
  auto mine = recorded(f.c);
  auto theirs = recorded(other);
  auto e = expect_error(other.post("/api/v1/jobs", job_body("j2", "c1", appointment)), 404);
  CHECK(e["field"] == "customer_id");
  CHECK(other.put("/api/v1/jobs/j1", {{"address", "x"}}).status == 404);
  CHECK(other.post("/api/v1/jobs/j1/assign", {{"technician_id", "t9"}}).status == 404);
  CHECK(other.post("/api/v1/jobs/j1/cancel", json::object()).status == 404);
  CHECK(other.post("/api/v1/sms/trigger/reminder", {{"job_id", "j1"}}).status == 404);
  CHECK(other.post("/api/v1/technicians/t9/status", {{"status", "enroute"}, {"job_id", "j1"}})
            .status == 404);
  CHECK(other.post("/api/v1/sms/send", {{"customer_id", "c1"}, {"body", "hi"}}).status == 404);
  CHECK(recorded(f.c) == mine);
  CHECK(recorded(other) == theirs);
  CHECK(expect_json(f.c.post("/api/v1/jobs/j1/cancel", json::object()), 200)["status"] ==
        "cancelled");
}
