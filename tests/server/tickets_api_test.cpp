// The tickets' read routes over loopback HTTP, and a contractor's
// conversation showing their ticket session's state. The ticket sessions'
// events are written straight to the log, as the session actor writes them.

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string crew_phone = "+13125550171";

std::uint64_t append(running_server& s, const std::string& tenant, const std::string& stream,
                     std::vector<events::event> evs) {
  auto r = s.app().store().append(
      {tenant, stream, storage::expected_version::any(), std::move(evs), std::nullopt});
  REQUIRE(r);
  return r->last_position;
}

std::string session(const test_tenant& t, const std::string& contractor) {
  return "ticket-session:" + t.id + ":" + contractor;
}

std::uint64_t start_ticket(running_server& s, const test_tenant& t, const std::string& contractor,
                           const std::string& id, const std::string& property) {
  return append(s, t.id, session(t, contractor),
                {events::ticket_started{id, property, "Walmart Parking Lot"},
                 events::ticket_session_moved{"collecting_ticket_details", {}}});
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

json contractor_conversation(running_server& s, const test_tenant& t, std::uint64_t position) {
  auto page = get_json(s, at("/api/v1/sms/conversations", position), t.api_token);
  for (const auto& c : page["items"])
    if (c["phone"] == crew_phone) return c;
  FAIL("no conversation with " << crew_phone << " in " << page.dump());
  return {};
}

}  // namespace

TEST_CASE("a ticket is served with its details added up, and completed", "[read][tickets]") {
  running_server s;
  auto t = s.create_tenant();
  start_ticket(s, t, "ctr_1", "tk_1", "prop_w");
  events::ticket_details_added first;
  first.ticket_id = "tk_1";
  first.equipment = {"Plow Truck"};
  first.bulk_salt_quantity = 3;
  first.bulk_salt_unit = "yards";
  first.note = "parking lot clear";
  first.work_started_at_us = 1'795'000'000'000'000;
  events::ticket_details_added second;
  second.ticket_id = "tk_1";
  second.equipment = {"Plow Truck", "Loader"};
  second.bulk_salt_quantity = 1.5;
  second.bulk_salt_unit = "yards";
  second.bag_salt = 3;
  auto position = append(s, t.id, session(t, "ctr_1"), {first, second});

  auto open = get_json(s, at("/api/v1/tickets/tk_1", position), t.api_token);
  CHECK(open["id"] == "tk_1");
  CHECK(open["contractor_id"] == "ctr_1");
  CHECK(open["property_id"] == "prop_w");
  CHECK(open["property_name"] == "Walmart Parking Lot");
  CHECK(open["status"] == "open");
  CHECK(open["started_at"].is_string());
  CHECK(open["completed_at"].is_null());
  CHECK(open["equipment"] == json::array({"Plow Truck", "Loader"}));
  CHECK(open["bulk_salt"] == json({{"quantity", 4.5}, {"unit", "yards"}}));
  CHECK(open["bag_salt"] == 3);
  CHECK(open["calcium_chloride"].is_null());
  CHECK(open["notes"] == json::array({"parking lot clear"}));
  CHECK(open["work_started_at"] == "2026-11-18T11:06:40.000000+00:00");
  CHECK(open["work_finished_at"].is_null());

  position = append(s, t.id, session(t, "ctr_1"),
                    {events::ticket_completed{"tk_1"}, events::ticket_session_moved{"idle", {}}});
  auto done = get_json(s, at("/api/v1/tickets/tk_1", position), t.api_token);
  CHECK(done["status"] == "completed");
  CHECK(done["completed_at"].is_string());
  CHECK(done["bag_salt"] == 3);
}

TEST_CASE("tickets are listed newest first, filtered, and paged with a cursor", "[read][tickets]") {
  running_server s;
  auto t = s.create_tenant();
  start_ticket(s, t, "ctr_1", "tk_1", "prop_w");
  append(s, t.id, session(t, "ctr_1"), {events::ticket_completed{"tk_1"}});
  start_ticket(s, t, "ctr_2", "tk_2", "prop_t");
  auto position = start_ticket(s, t, "ctr_1", "tk_3", "prop_t");
  auto get = [&](const std::string& query) {
    return ids(get_json(s, at("/api/v1/tickets?" + query, position), t.api_token));
  };
  using v = std::vector<std::string>;
  CHECK(get("") == v{"tk_3", "tk_2", "tk_1"});
  CHECK(get("status=open") == v{"tk_3", "tk_2"});
  CHECK(get("status=completed") == v{"tk_1"});
  CHECK(get("contractor_id=ctr_1") == v{"tk_3", "tk_1"});
  CHECK(get("property_id=prop_t") == v{"tk_3", "tk_2"});
  CHECK(get("status=open&contractor_id=ctr_1&property_id=prop_t") == v{"tk_3"});

  auto first = get_json(s, at("/api/v1/tickets?limit=2", position), t.api_token);
  CHECK(ids(first) == v{"tk_3", "tk_2"});
  REQUIRE(first["next_cursor"].is_string());
  // A ticket started meanwhile does not shift the next page.
  start_ticket(s, t, "ctr_2", "tk_4", "prop_w");
  auto second = get_json(
      s, "/api/v1/tickets?limit=2&cursor=" + first["next_cursor"].get<std::string>(), t.api_token);
  CHECK(ids(second) == v{"tk_1"});
  CHECK(second["next_cursor"].is_null());
}

TEST_CASE("a bad ticket filter, cursor or limit is refused with 400 naming the parameter",
          "[read][tickets]") {
  running_server s;
  auto t = s.create_tenant();
  for (const auto* query :
       {"status=bogus", "status=Open", "contractor_id=a%3Ab", "property_id=not%20one", "cursor=abc",
        "cursor=0", "limit=0", "limit=100000000000000000000", "min_position=soon"}) {
    INFO(query);
    std::string name(query, std::string_view(query).find('='));
    auto e = refused(s, "/api/v1/tickets?" + std::string(query), t.api_token, 400);
    CHECK(e["code"] == "invalid_parameter");
    CHECK(e["message"].get<std::string>().find(name) != std::string::npos);
  }
  refused(s, "/api/v1/tickets?stauts=open", t.api_token, 400);
  refused(s, "/api/v1/tickets/tk_1?status=open", t.api_token, 400);
}

TEST_CASE("an unknown ticket is 404, and another tenant's ticket is 404 too", "[read][tickets]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  auto position = start_ticket(s, a, "ctr_1", "tk_1", "prop_w");
  get_json(s, at("/api/v1/tickets/tk_1", position), a.api_token);
  CHECK(refused(s, "/api/v1/tickets/tk_1", b.api_token, 404)["code"] == "not_found");
  CHECK(get_json(s, "/api/v1/tickets", b.api_token)["items"].empty());
  CHECK(get_json(s, "/api/v1/tickets?contractor_id=ctr_1", b.api_token)["items"].empty());
  for (const auto* path :
       {"/api/v1/tickets/nobody", "/api/v1/tickets/not%20an%20id", "/api/v1/tickets/%00"}) {
    INFO(path);
    CHECK(refused(s, path, a.api_token, 404)["code"] == "not_found");
  }
  refused(s, "/api/v1/tickets", "", 401);
  refused(s, "/api/v1/tickets/tk_1", "fl_not_a_token", 401);
}

TEST_CASE(
    "a contractor's conversation shows their ticket session's state, moved before the first text",
    "[read][tickets][conversations]") {
  running_server s;
  auto t = s.create_tenant();
  // The session moves before anything is texted to the contractor.
  append(s, t.id, session(t, "ctr_1"),
         {events::ticket_session_moved{"awaiting_start_confirmation", {"prop_w", "prop_t"}}});
  events::sms_queued reply;
  reply.message_id = "msg_r1";
  reply.from = t.number;
  reply.to = crew_phone;
  reply.body = "Which property? 1. Walmart 2. Target";
  reply.trigger = "reply";
  reply.encoding = "gsm7";
  reply.contractor_id = "ctr_1";
  auto position = append(s, t.id, "conversation:" + t.id + ":" + crew_phone, {reply});
  auto c = contractor_conversation(s, t, position);
  CHECK(c["kind"] == "contractor");
  CHECK(c["party_id"] == "ctr_1");
  CHECK(c["state"] == "awaiting_start_confirmation");

  position = start_ticket(s, t, "ctr_1", "tk_1", "prop_w");
  CHECK(contractor_conversation(s, t, position)["state"] == "collecting_ticket_details");
  auto detail = get_json(s, at("/api/v1/sms/conversations/" + c["id"].get<std::string>(), position),
                         t.api_token);
  CHECK(detail["state"] == "collecting_ticket_details");
  CHECK(detail["kind"] == "contractor");
}
