// POST /technicians/{id}/status, POST /technicians/{id}/location and the
// NDJSON stream POST /locations over loopback HTTP: the texts they drive,
// each once, refusals naming their field or line, and big bodies.

#include "domain/dispatch_streams.hpp"
#include "tests/server/dispatch_test_support.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string jane_phone = "+13125550147";
const std::string enroute_text = "Hi Jane, Mike is on the way and should arrive in about 17 min.";
const std::string fifteen_text = "Hi Jane, Mike is about 15 minutes away.";
const std::string arrived_text = "Hi Jane, Mike has arrived.";
const std::string complete_text =
    "Hi Jane, your job with Acme HVAC is complete. Thank you! Your invoice: "
    "https://pay.example/inv/j1";

// Jane's job j1 today at 2:30 PM, assigned to Mike (t1); Ann (t2) is free.
// The clock: 1:50 PM in Chicago.
struct visit_fixture {
  sim_clock clock{at("2026-12-08T13:50:00-06:00")};
  running_server s{{}, dispatch_options(&clock)};
  tenant_client c{s, s.create_tenant()};

  visit_fixture() {
    REQUIRE(c.post("/api/v1/customers", customer_body("c1", "Jane", jane_phone)).status == 201);
    REQUIRE(c.post("/api/v1/technicians", technician_body("t1", "Mike", "+13125550190")).status ==
            201);
    REQUIRE(c.post("/api/v1/technicians", technician_body("t2", "Ann", "+13125550191")).status ==
            201);
    auto body = job_body("j1", "c1", "2026-12-08T14:30:00-06:00");
    body["technician_id"] = "t1";
    REQUIRE(c.post("/api/v1/jobs", body).status == 201);
  }
  http_response status(const std::string& tech, const json& body) {
    return c.post("/api/v1/technicians/" + tech + "/status", body);
  }
  http_response fix(const std::string& tech, double lat, double lon, const std::string& when) {
    return c.post("/api/v1/technicians/" + tech + "/location",
                  {{"lat", lat}, {"lon", lon}, {"recorded_at", when}, {"speed_mps", 10.0}});
  }
  // Mike's texts to Jane after the scheduled one.
  std::vector<std::string> visit_texts(std::uint64_t position) {
    auto all = texts_of(c, "c1", position);
    REQUIRE(!all.empty());
    return {all.begin() + 1, all.end()};
  }
  std::vector<std::string> technician_events(const std::string& id) {
    return stream_types(s, domain::technician_stream(c.t.id, id));
  }
};

std::string fix_line(const std::string& tech, double lat, double lon, const std::string& when) {
  return json{{"technician_id", tech},
              {"lat", lat},
              {"lon", lon},
              {"recorded_at", when},
              {"speed_mps", 10.0}}
      .dump();
}

}  // namespace

TEST_CASE("POST /technicians/{id}/status enroute texts the ETA once and answers the technician",
          "[dispatch_http][status]") {
  visit_fixture f;
  REQUIRE(f.fix("t1", far_lat, far_lon, "2026-12-08T13:49:00-06:00").status == 201);
  auto j = expect_json(f.status("t1", {{"status", "enroute"}, {"job_id", "j1"}}), 200);
  CHECK(j["status"] == "enroute");
  CHECK(j["job_id"] == "j1");
  CHECK(j["location"]["lat"] == far_lat);
  auto position = j["position"].get<std::uint64_t>();
  CHECK(f.visit_texts(position) == std::vector<std::string>{enroute_text});
  // The same status again: nothing recorded, nothing texted.
  auto tech_events = f.technician_events("t1");
  auto again = expect_json(f.status("t1", {{"status", "enroute"}, {"job_id", "j1"}}), 200);
  CHECK(again["status"] == "enroute");
  CHECK(again["position"].get<std::uint64_t>() >= position);
  CHECK(f.technician_events("t1") == tech_events);
  // Without job_id: about the current job.
  j = expect_json(f.status("t1", {{"status", "on_site"}}), 200);
  CHECK(f.visit_texts(j["position"]) == std::vector<std::string>{enroute_text, arrived_text});
  j = expect_json(f.status("t1", {{"status", "complete"}, {"job_id", "j1"}}), 200);
  CHECK(f.visit_texts(j["position"]) ==
        std::vector<std::string>{enroute_text, arrived_text, complete_text});
  j = expect_json(f.status("t1", {{"status", "available"}}), 200);
  CHECK(j["job_id"].is_null());
  // A complete job takes no other status.
  auto e = expect_error(f.status("t1", {{"status", "enroute"}, {"job_id", "j1"}}), 409);
  CHECK(e["code"] == "job_closed");
}

TEST_CASE("a status request that is wrong is refused naming its field; nothing recorded",
          "[dispatch_http][status]") {
  visit_fixture f;
  auto before = recorded(f.c);
  auto e = expect_error(f.status("t1", {{"status", "lunch"}, {"job_id", "j1"}}), 400);
  CHECK(e["field"] == "status");
  e = expect_error(f.status("t1", {{"job_id", "j1"}}), 400);
  CHECK(e["field"] == "status");
  e = expect_error(f.status("t1", {{"status", 3}}), 400);
  CHECK(e["field"] == "status");
  e = expect_error(f.status("t1", {{"status", "enroute"}, {"job_id", "j1"}, {"eta", 5}}), 400);
  CHECK(e["code"] == "unknown_field");
  CHECK(e["field"] == "eta");
  e = expect_error(f.status("t1", {{"status", "enroute"}, {"job_id", "a/b"}}), 400);
  CHECK(e["field"] == "job_id");
  e = expect_error(f.status("t1", {{"status", "enroute"}}), 400);  // no job, none current
  CHECK(e["field"] == "job_id");
  e = expect_error(f.status("t1", {{"status", "enroute"}, {"job_id", "nope"}}), 404);
  CHECK(e["field"] == "job_id");
  e = expect_error(f.status("t2", {{"status", "enroute"}, {"job_id", "j1"}}), 409);
  CHECK(e["code"] == "wrong_technician");
  e = expect_error(f.status("ghost", {{"status", "available"}}), 404);
  CHECK(e["code"] == "not_found");
  CHECK(expect_error(f.c.send("POST", "/api/v1/technicians/t1/status", "status=enroute"),
                     400)["code"] == "invalid_json");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("POST /technicians/{id}/location records one fix and answers where it is",
          "[dispatch_http][location]") {
  visit_fixture f;
  auto j = expect_json(f.fix("t1", far_lat, far_lon, "2026-12-08T13:49:00-06:00"), 201);
  CHECK(j["location"] == json{{"lat", far_lat},
                              {"lon", far_lon},
                              {"recorded_at", "2026-12-08T19:49:00.000000+00:00"}});
  // The position is the fix's own event (texts the outbox sends meanwhile
  // may come after it in the log).
  auto located = f.s.app().store().read_stream(domain::technician_stream(f.c.t.id, "t1"));
  REQUIRE(located);
  CHECK(j["position"].get<std::uint64_t>() == located->back().position);
  // recorded_at may be left out: the server's clock is the fix's time.
  j = expect_json(f.c.post("/api/v1/technicians/t1/location", {{"lat", 41.95}, {"lon", far_lon}}),
                  201);
  CHECK(j["location"]["lat"] == 41.95);
  // An older fix is stored but does not move the technician back.
  j = expect_json(f.fix("t1", 10.0, 10.0, "2026-12-08T13:00:00-06:00"), 201);
  CHECK(j["location"]["lat"] == 41.95);
  CHECK(count(f.technician_events("t1"), "technician_located") == 3);
}

TEST_CASE("a location that is wrong is refused naming its field; nothing recorded",
          "[dispatch_http][location]") {
  visit_fixture f;
  auto before = recorded(f.c);
  auto refuse = [&](const json& body, const char* field) {
    INFO(body.dump());
    auto e = expect_error(f.c.post("/api/v1/technicians/t1/location", body), 400);
    CHECK(e["field"] == field);
  };
  refuse({{"lat", 91}, {"lon", 0}}, "lat");
  refuse({{"lat", -90.01}, {"lon", 0}}, "lat");
  refuse({{"lat", 0}, {"lon", 180.5}}, "lon");
  refuse({{"lat", "41.9"}, {"lon", 0}}, "lat");
  refuse({{"lon", 0}}, "lat");
  refuse({{"lat", 0}}, "lon");
  refuse({{"lat", 0}, {"lon", 0}, {"recorded_at", "yesterday"}}, "recorded_at");
  refuse({{"lat", 0}, {"lon", 0}, {"recorded_at", "2026-12-08T13:00:00"}}, "recorded_at");
  refuse({{"lat", 0}, {"lon", 0}, {"speed_mps", -3}}, "speed_mps");
  refuse({{"lat", 0}, {"lon", 0}, {"speed_mps", "fast"}}, "speed_mps");
  refuse({{"lat", 0}, {"lon", 0}, {"technician_id", "t2"}}, "technician_id");
  refuse({{"lat", 0}, {"lon", 0}, {"heading", 90}}, "heading");
  CHECK(expect_error(f.c.send("POST", "/api/v1/technicians/t1/location", "{\"lat\": 1e999}"),
                     400)["code"] == "invalid_json");
  CHECK(expect_error(f.c.post("/api/v1/technicians/ghost/location", {{"lat", 0}, {"lon", 0}}),
                     404)["code"] == "not_found");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("the location stream texts 15_min then arrived, each once, and reports bad lines",
          "[dispatch_http][locations]") {
  visit_fixture f;
  REQUIRE(f.fix("t1", far_lat, far_lon, "2026-12-08T13:49:00-06:00").status == 201);
  REQUIRE(f.status("t1", {{"status", "enroute"}, {"job_id", "j1"}}).status == 200);
  // ~5 km out at 10 m/s: 9 minutes.
  std::string stream = fix_line("t1", 41.9231, job_lon, "2026-12-08T14:00:00-06:00") + "\n" +
                       "not json\n" + fix_line("t1", 91, job_lon, "2026-12-08T14:00:30-06:00") +
                       "\n" + fix_line("ghost", 41.9, job_lon, "2026-12-08T14:00:40-06:00") +
                       "\r\n\n" + fix_line("t1", 41.9131, job_lon, "2026-12-08T14:01:00-06:00") +
                       "\n";
  auto j = expect_json(f.c.send("POST", "/api/v1/locations", stream), 200);
  CHECK(j["accepted"] == 2);
  CHECK(j["rejected"] == 3);
  REQUIRE(j["errors"].size() == 3);
  CHECK(j["errors"][0]["line"] == 2);
  CHECK(j["errors"][0]["field"] == "");
  CHECK(j["errors"][1]["line"] == 3);
  CHECK(j["errors"][1]["field"] == "lat");
  CHECK(j["errors"][2]["line"] == 4);
  CHECK(j["errors"][2]["field"] == "technician_id");
  CHECK(f.visit_texts(j["position"]) == std::vector<std::string>{enroute_text, fifteen_text});
  // Into the geofence, twice, then the same fixes again (a device's retry).
  std::string arriving = fix_line("t1", 41.8790, job_lon, "2026-12-08T14:08:00-06:00") + "\n" +
                         fix_line("t1", 41.8785, job_lon, "2026-12-08T14:08:30-06:00") + "\n";
  j = expect_json(f.c.send("POST", "/api/v1/locations", arriving), 200);
  CHECK(j["accepted"] == 2);
  CHECK(j["errors"].empty());
  CHECK(f.visit_texts(j["position"]) ==
        std::vector<std::string>{enroute_text, fifteen_text, arrived_text});
  j = expect_json(f.c.send("POST", "/api/v1/locations", arriving), 200);
  CHECK(f.visit_texts(j["position"]) ==
        std::vector<std::string>{enroute_text, fifteen_text, arrived_text});
  auto tech = f.technician_events("t1");
  CHECK(count(tech, "technician_status_changed") == 2);  // enroute, on_site by the geofence
  auto job = stream_types(f.s, domain::job_stream(f.c.t.id, "j1"));
  CHECK(count(job, "notification_triggered") == 4);
  CHECK(count(job, "notification_queued") == 4);
}

TEST_CASE("a location stream with no good line is 400; an empty one is empty_body",
          "[dispatch_http][locations]") {
  visit_fixture f;
  auto before = recorded(f.c);
  auto j = expect_json(f.c.send("POST", "/api/v1/locations", "{}\nnope\n"), 400);
  CHECK(j["accepted"] == 0);
  CHECK(j["rejected"] == 2);
  CHECK(j["errors"][0]["field"] == "lat");
  // A line without its own time cannot be ordered.
  j = expect_json(f.c.send("POST", "/api/v1/locations",
                           json{{"technician_id", "t1"}, {"lat", 0}, {"lon", 0}}.dump()),
                  400);
  CHECK(j["errors"][0]["field"] == "recorded_at");
  CHECK(expect_error(f.c.send("POST", "/api/v1/locations", "\n\r\n  \n"), 400)["code"] ==
        "empty_body");
  CHECK(recorded(f.c) == before);
}

TEST_CASE("a 2 MiB location stream is taken whole; a 9 MiB one is 413",
          "[dispatch_http][locations][hostile]") {
  visit_fixture f;
  // 1,000 fixes of ~2 KiB each (padded with spaces, which JSON allows).
  std::string body;
  const std::string pad(2000, ' ');
  for (int i = 0; i < 1000; ++i) {
    auto when = format_rfc3339_utc(at("2026-12-08T19:00:00Z") + std::chrono::seconds(i));
    body += "{" + pad + fix_line("t2", 41.9 + i * 1e-5, job_lon, when).substr(1) + "\n";
  }
  REQUIRE(body.size() > 2 * 1024 * 1024);
  auto j = expect_json(f.c.send("POST", "/api/v1/locations", body), 200);
  CHECK(j["accepted"] == 1000);
  CHECK(j["rejected"] == 0);
  CHECK(count(f.technician_events("t2"), "technician_located") == 1000);

  auto before = recorded(f.c);
  std::string huge;
  while (huge.size() < 9 * 1024 * 1024) huge += fix_line("t2", 0, 0, "2026-12-08T19:00:00Z") + "\n";
  CHECK(expect_error(f.c.send("POST", "/api/v1/locations", huge), 413)["code"] == "body_too_large");
  CHECK(recorded(f.c) == before);
}
