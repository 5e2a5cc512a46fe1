// The directory's read routes over loopback HTTP: customers, technicians and
// jobs as the log's events made them, tenant-scoped, paged by id.

#include "domain/dispatch_streams.hpp"
#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string alice = "+13125550101", bob = "+13125550102";
constexpr std::int64_t appointment = 1'795'100'000'000'000;  // 2026-11-19T14:53:20Z

std::uint64_t append(running_server& s, const std::string& tenant, const std::string& stream,
                     std::vector<events::event> evs) {
  auto r = s.app().store().append(
      {tenant, stream, storage::expected_version::any(), std::move(evs), std::nullopt});
  REQUIRE(r);
  return r->last_position;
}

std::uint64_t customer(running_server& s, const test_tenant& t, const std::string& id,
                       const std::string& phone) {
  return append(s, t.id, domain::customer_stream(t.id, id),
                {events::customer_registered{id, "Dana", "Doe", phone, "12 Elm St"}});
}

std::uint64_t technician(running_server& s, const test_tenant& t, const std::string& id) {
  return append(s, t.id, domain::technician_stream(t.id, id),
                {events::technician_registered{id, "Mike", "Tech", bob}});
}

std::uint64_t job(running_server& s, const test_tenant& t, const std::string& id,
                  const std::string& customer_id) {
  events::job_created c;
  c.job_id = id;
  c.customer_id = customer_id;
  c.address = "12 Elm St";
  c.lat = 41.8781;
  c.lon = -87.6298;
  c.scheduled_at_us = appointment;
  return append(s, t.id, domain::job_stream(t.id, id), {c});
}

std::string at(const std::string& path, std::uint64_t position) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") +
         "min_position=" + std::to_string(position);
}

json get_json(running_server& s, const std::string& path, const std::string& token) {
  auto r = s.get(path, token);
  INFO(path << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

// The error of a refused GET, checked for its status.
json refused(running_server& s, const std::string& path, const std::string& token, int status) {
  auto r = s.get(path, token);
  INFO(path << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == status);
  return json::parse(r.body)["error"];
}

std::vector<std::string> ids(const json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["id"]);
  return out;
}

}  // namespace

TEST_CASE("a customer recorded in the log is served with its details and its phone's consent",
          "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  append(s, t.id, "conversation:" + t.id + ":" + alice,
         {events::opted_out{alice, "keyword", "STOP"}});
  auto position = customer(s, t, "cus_1", alice);
  auto c = get_json(s, at("/api/v1/customers/cus_1", position), t.api_token);
  CHECK(c["id"] == "cus_1");
  CHECK(c["first_name"] == "Dana");
  CHECK(c["last_name"] == "Doe");
  CHECK(c["phone"] == alice);
  CHECK(c["address"] == "12 Elm St");
  CHECK(c["opted_out"] == true);
  CHECK(c["created_at"].get<std::string>().ends_with("+00:00"));
  CHECK(c["updated_at"].get<std::string>().ends_with("+00:00"));

  auto list = get_json(s, "/api/v1/customers", t.api_token);
  CHECK(ids(list) == std::vector<std::string>{"cus_1"});
  CHECK(list["next_cursor"].is_null());
}

TEST_CASE("a technician is served with its status, its job and its latest location",
          "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  technician(s, t, "tech_1");
  append(s, t.id, domain::technician_stream(t.id, "tech_1"),
         {events::technician_status_changed{"enroute", "job_1", "reported"},
          events::technician_located{41.9, -87.65, appointment, 11.5},
          events::technician_located{40.0, -80.0, appointment - 1'000'000, std::nullopt}});
  auto position = technician(s, t, "tech_2");
  auto tech = get_json(s, at("/api/v1/technicians/tech_1", position), t.api_token);
  CHECK(tech["status"] == "enroute");
  CHECK(tech["job_id"] == "job_1");
  CHECK(tech["phone"] == bob);
  CHECK(tech["location"]["lat"] == 41.9);
  CHECK(tech["location"]["lon"] == -87.65);
  CHECK(tech["location"]["speed_mps"] == 11.5);
  CHECK(tech["location"]["recorded_at"] == "2026-11-19T14:53:20.000000+00:00");

  auto other = get_json(s, "/api/v1/technicians/tech_2", t.api_token);
  CHECK(other["status"] == "available");
  CHECK(other["job_id"].is_null());
  CHECK(other["location"].is_null());
  CHECK(ids(get_json(s, "/api/v1/technicians", t.api_token)) ==
        std::vector<std::string>{"tech_1", "tech_2"});
}

TEST_CASE("a job is served with its status, technician, place and notifications",
          "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  job(s, t, "job_1", "cus_1");
  auto position =
      append(s, t.id, domain::job_stream(t.id, "job_1"),
             {events::job_assigned{"tech_1"},
              events::notification_triggered{"job_1", "scheduled", appointment, "tech_1",
                                             std::nullopt, std::nullopt, false},
              events::notification_queued{"job_1", "scheduled", "msg_1"}});
  auto j = get_json(s, at("/api/v1/jobs/job_1", position), t.api_token);
  CHECK(j["customer_id"] == "cus_1");
  CHECK(j["technician_id"] == "tech_1");
  CHECK(j["status"] == "scheduled");
  CHECK(j["address"] == "12 Elm St");
  CHECK(j["lat"] == 41.8781);
  CHECK(j["lon"] == -87.6298);
  CHECK(j["scheduled_at"] == "2026-11-19T14:53:20.000000+00:00");
  CHECK(j["invoice_link"].is_null());
  REQUIRE(j["notifications"].size() == 1);
  CHECK(j["notifications"][0]["trigger"] == "scheduled");
  CHECK(j["notifications"][0]["status"] == "queued");
  CHECK(j["notifications"][0]["message_id"] == "msg_1");
}

TEST_CASE("directory lists page by id with limit and cursor", "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  std::uint64_t position = 0;
  for (const auto* id : {"cus_c", "cus_a", "cus_e", "cus_b", "cus_d"})
    position = customer(s, t, id, alice);
  auto first = get_json(s, at("/api/v1/customers?limit=2", position), t.api_token);
  CHECK(ids(first) == std::vector<std::string>{"cus_a", "cus_b"});
  REQUIRE(first["next_cursor"].is_string());
  auto second =
      get_json(s, "/api/v1/customers?limit=2&cursor=" + first["next_cursor"].get<std::string>(),
               t.api_token);
  CHECK(ids(second) == std::vector<std::string>{"cus_c", "cus_d"});
  auto third =
      get_json(s, "/api/v1/customers?limit=2&cursor=" + second["next_cursor"].get<std::string>(),
               t.api_token);
  CHECK(ids(third) == std::vector<std::string>{"cus_e"});
  CHECK(third["next_cursor"].is_null());
}

TEST_CASE("a cursor or a limit that is not one is refused with 400", "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  for (const auto* path : {"/api/v1/customers", "/api/v1/technicians", "/api/v1/jobs"}) {
    INFO(path);
    auto e = refused(s, std::string(path) + "?cursor=a%3Ab", t.api_token, 400);
    CHECK(e["code"] == "invalid_parameter");
    CHECK(e["message"].get<std::string>().find("cursor") != std::string::npos);
    e = refused(s, std::string(path) + "?limit=501", t.api_token, 400);
    CHECK(e["message"].get<std::string>().find("limit") != std::string::npos);
    refused(s, std::string(path) + "?limti=5", t.api_token, 400);
  }
}

TEST_CASE("jobs are filtered by status, technician and customer", "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  job(s, t, "job_1", "cus_1");
  job(s, t, "job_2", "cus_2");
  job(s, t, "job_3", "cus_1");
  append(s, t.id, domain::job_stream(t.id, "job_2"), {events::job_assigned{"tech_1"}});
  auto position =
      append(s, t.id, domain::job_stream(t.id, "job_3"),
             {events::job_assigned{"tech_1"}, events::job_status_changed{"complete", "tech_1"}});
  auto get = [&](const std::string& query) {
    return ids(get_json(s, at("/api/v1/jobs?" + query, position), t.api_token));
  };
  using v = std::vector<std::string>;
  CHECK(get("status=unassigned") == v{"job_1"});
  CHECK(get("status=complete") == v{"job_3"});
  CHECK(get("technician_id=tech_1") == v{"job_2", "job_3"});
  CHECK(get("customer_id=cus_1") == v{"job_1", "job_3"});
  CHECK(get("customer_id=cus_1&technician_id=tech_1") == v{"job_3"});
  CHECK(get("status=cancelled").empty());
}

TEST_CASE("an invalid job filter is refused with 400 naming the parameter", "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  for (const auto* name : {"status", "technician_id", "customer_id"}) {
    INFO(name);
    auto e = refused(s, "/api/v1/jobs?" + std::string(name) + "=not%20one", t.api_token, 400);
    CHECK(e["code"] == "invalid_parameter");
    CHECK(e["message"].get<std::string>().starts_with(name));
  }
  refused(s, "/api/v1/jobs?status=Complete", t.api_token, 400);
}

TEST_CASE("an unknown id is 404 not_found on every directory route", "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  for (const auto* path : {"/api/v1/customers/nobody", "/api/v1/technicians/nobody",
                           "/api/v1/jobs/nobody", "/api/v1/jobs/not%20an%20id"}) {
    INFO(path);
    CHECK(refused(s, path, t.api_token, 404)["code"] == "not_found");
  }
}

TEST_CASE("each tenant sees only its own directory, and every route needs its token",
          "[read][directory]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  customer(s, a, "cus_1", alice);
  technician(s, a, "tech_1");
  auto position = job(s, a, "job_1", "cus_1");
  for (const auto* kind : {"customers", "technicians", "jobs"}) {
    std::string list = "/api/v1/" + std::string(kind);
    std::string one = list + "/" +
                      (kind == std::string("customers")     ? "cus_1"
                       : kind == std::string("technicians") ? "tech_1"
                                                            : "job_1");
    INFO(one);
    CHECK(get_json(s, at(list, position), a.api_token)["items"].size() == 1);
    CHECK(get_json(s, at(list, position), b.api_token)["items"].empty());
    get_json(s, one, a.api_token);
    CHECK(refused(s, one, b.api_token, 404)["code"] == "not_found");
    refused(s, one, "", 401);
    refused(s, list, "", 401);
    refused(s, list, "fl_not_a_token", 401);
  }
}

TEST_CASE("a directory GET with min_position reads its own write, and refuses a bad one",
          "[read][directory]") {
  running_server s;
  auto t = s.create_tenant();
  for (int i = 0; i < 20; ++i) {
    auto id = "job_" + std::to_string(i);
    auto position = job(s, t, id, "cus_1");
    // No polling: the answer waits for the projections.
    CHECK(get_json(s, at("/api/v1/jobs/" + id, position), t.api_token)["id"] == id);
  }
  auto e = refused(s, "/api/v1/jobs?min_position=soon", t.api_token, 400);
  CHECK(e["message"].get<std::string>().find("min_position") != std::string::npos);
}
