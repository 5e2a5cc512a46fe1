// The SMS read routes over loopback HTTP: messages, conversations, read
// marking and stats, answered from the projections, with read-your-writes.

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string customer = "+13125550102";
const std::string conversation_id = "cv_13125550102";

json get_json(running_server& s, const std::string& path, const std::string& token) {
  auto r = s.get(path, token);
  INFO(path << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

std::uint64_t send(running_server& s, const test_tenant& t, const std::string& to,
                   const std::string& body) {
  auto r = s.post_json("/api/v1/sms/send", json{{"to", to}, {"body", body}}.dump(), t.api_token);
  INFO(r.body);
  REQUIRE(r.status == 201);
  return json::parse(r.body)["position"].get<std::uint64_t>();
}

void text_in(running_server& s, const test_tenant& t, const std::string& from,
             const std::string& body, const std::string& sid) {
  auto r = s.post_twilio("/sms/webhook", inbound_form(t, from, body, sid), t.auth_token);
  INFO(r.body);
  REQUIRE(r.status == 200);
}

}  // namespace

TEST_CASE("a text sent through the API is listed at once when read with its position",
          "[read][messages]") {
  running_server s;
  auto t = s.create_tenant();
  auto position = send(s, t, customer, "Your tech is on the way");
  auto j =
      get_json(s, "/api/v1/sms/messages?min_position=" + std::to_string(position), t.api_token);
  REQUIRE(j["items"].size() == 1);
  auto m = j["items"][0];
  CHECK(m["direction"] == "outbound");
  CHECK(m["to"] == customer);
  CHECK(m["from"] == t.number);
  CHECK(m["body"] == "Your tech is on the way");
  CHECK(m["trigger"] == "manual");
  CHECK(m["segments"] == 1);
  CHECK(m["conversation_id"] == conversation_id);
  CHECK(m["created_at"].get<std::string>().ends_with("+00:00"));
  CHECK(j["next_cursor"].is_null());
}

TEST_CASE("a conversation lists its messages oldest first and its last message",
          "[read][conversations]") {
  running_server s;
  auto t = s.create_tenant();
  s.add_customer(t, customer);
  text_in(s, t, customer, "Is anyone coming today?", "SM" + std::string(32, '1'));
  auto position = send(s, t, customer, "Yes, at 2 PM");
  auto list = get_json(s, "/api/v1/sms/conversations?min_position=" + std::to_string(position),
                       t.api_token);
  REQUIRE(list["items"].size() == 1);
  auto c = list["items"][0];
  CHECK(c["id"] == conversation_id);
  CHECK(c["kind"] == "customer");
  CHECK(c["phone"] == customer);
  CHECK(c["unread"] == 1);
  CHECK(c["last_message"]["body"] == "Yes, at 2 PM");
  CHECK(c["state"].is_null());

  auto detail = get_json(s, "/api/v1/sms/conversations/" + conversation_id, t.api_token);
  REQUIRE(detail["messages"].size() == 2);
  CHECK(detail["messages"][0]["body"] == "Is anyone coming today?");
  CHECK(detail["messages"][0]["direction"] == "inbound");
  CHECK(detail["messages"][1]["body"] == "Yes, at 2 PM");
}

TEST_CASE("marking a conversation read clears its unread count, once", "[read][conversations]") {
  running_server s;
  auto t = s.create_tenant();
  text_in(s, t, customer, "Hello?", "SM" + std::string(32, '2'));
  text_in(s, t, customer, "Anyone?", "SM" + std::string(32, '3'));
  REQUIRE(eventually([&] {
    auto r = s.get("/api/v1/sms/conversations/" + conversation_id, t.api_token);
    return r.status == 200 && json::parse(r.body)["unread"] == 2;
  }));

  auto r = s.post_json("/api/v1/sms/conversations/" + conversation_id + "/read", "", t.api_token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = json::parse(r.body);
  CHECK(j["messages_read"] == 2);
  auto position = j["position"].get<std::uint64_t>();
  auto c = get_json(
      s,
      "/api/v1/sms/conversations/" + conversation_id + "?min_position=" + std::to_string(position),
      t.api_token);
  CHECK(c["unread"] == 0);

  // Again: nothing unread, nothing recorded.
  auto before = conversation_events(s.app(), t.id, customer).size();
  auto again =
      s.post_json("/api/v1/sms/conversations/" + conversation_id + "/read", "", t.api_token);
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body)["messages_read"] == 0);
  CHECK(conversation_events(s.app(), t.id, customer).size() == before);
}

TEST_CASE("stats count the tenant's texts of today", "[read][stats]") {
  running_server s;
  auto t = s.create_tenant();
  s.add_customer(t, customer);
  text_in(s, t, customer, "Thanks!", "SM" + std::string(32, '4'));
  send(s, t, customer, "You're welcome");
  REQUIRE(eventually([&] {
    auto j = json::parse(s.get("/api/v1/sms/stats", t.api_token).body);
    return j["sent_today"] == 1 && j["delivered"] == 1;
  }));
  auto j = get_json(s, "/api/v1/sms/stats", t.api_token);
  CHECK(j["received_today"] == 1);
  CHECK(j["sent_month"] == 1);
  CHECK(j["failed"] == 0);
  CHECK(j["delivery_rate"] == 1.0);
  CHECK(j["opted_out"] == 0);
  CHECK(j["timezone"] == "America/Chicago");
  auto other_day = get_json(s, "/api/v1/sms/stats?date=2020-01-01", t.api_token);
  CHECK(other_day["sent_today"] == 0);
  CHECK(other_day["delivery_rate"].is_null());
}

TEST_CASE("every read route shows a tenant only its own messages", "[read][tenants]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  auto position = send(s, a, customer, "for A's customer");
  auto wait = "?min_position=" + std::to_string(position);
  CHECK(get_json(s, "/api/v1/sms/messages" + wait, b.api_token)["items"].empty());
  CHECK(get_json(s, "/api/v1/sms/conversations" + wait, b.api_token)["items"].empty());
  CHECK(s.get("/api/v1/sms/conversations/" + conversation_id, b.api_token).status == 404);
  CHECK(s.post_json("/api/v1/sms/conversations/" + conversation_id + "/read", "", b.api_token)
            .status == 404);
  CHECK(get_json(s, "/api/v1/sms/stats", b.api_token)["sent_month"] == 0);
  CHECK(get_json(s, "/api/v1/sms/messages", a.api_token)["items"].size() == 1);
}

TEST_CASE("the read routes need a tenant token", "[read][tenants]") {
  running_server s;
  auto t = s.create_tenant();
  const std::string paths[] = {"/api/v1/sms/messages", "/api/v1/sms/conversations",
                               "/api/v1/sms/conversations/" + conversation_id, "/api/v1/sms/stats"};
  for (const auto& path : paths) {
    INFO(path);
    CHECK(s.get(path).status == 401);
    CHECK(s.get(path, "fl_not_a_token").status == 401);
    CHECK(s.get(path, operator_token).status == 401);
  }
  CHECK(s.post_json("/api/v1/sms/conversations/" + conversation_id + "/read", "").status == 401);
}

TEST_CASE("bad query parameters get 400 naming the parameter", "[read][hostile]") {
  running_server s;
  auto t = s.create_tenant();
  const std::pair<std::string, std::string> cases[] = {
      {"/api/v1/sms/messages?direction=sideways", "direction"},
      {"/api/v1/sms/messages?since=yesterday", "since"},
      {"/api/v1/sms/messages?limit=0", "limit"},
      {"/api/v1/sms/messages?limit=501", "limit"},
      {"/api/v1/sms/messages?limit=ten", "limit"},
      {"/api/v1/sms/messages?cursor=abc", "cursor"},
      {"/api/v1/sms/messages?statuss=sent", "statuss"},
      {"/api/v1/sms/messages?status=sent&status=failed", "status"},
      {"/api/v1/sms/messages?body=%FF%FE", "query"},
      {"/api/v1/sms/conversations?cursor=12", "cursor"},
      {"/api/v1/sms/conversations?limit=-3", "limit"},
      {"/api/v1/sms/stats?date=2026-02-30", "date"},
      {"/api/v1/sms/stats?date=today", "date"},
  };
  for (const auto& [path, parameter] : cases) {
    auto r = s.get(path, t.api_token);
    INFO(path << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find(parameter) != std::string::npos);
  }
  CHECK(s.get("/api/v1/sms/conversations/not-an-id", t.api_token).status == 404);
  CHECK(s.get("/api/v1/sms/conversations/cv_", t.api_token).status == 404);
  CHECK(s.get("/api/v1/sms/conversations/cv_1234567890123456", t.api_token).status == 404);
}

TEST_CASE("since accepts an offset whose plus sign was not escaped", "[read][messages]") {
  running_server s;
  auto t = s.create_tenant();
  auto position = send(s, t, customer, "hello");
  auto j = get_json(s,
                    "/api/v1/sms/messages?since=2020-01-01T00:00:00+00:00&min_position=" +
                        std::to_string(position),
                    t.api_token);
  CHECK(j["items"].size() == 1);
  auto none = get_json(s, "/api/v1/sms/messages?since=2999-01-01T00:00:00Z", t.api_token);
  CHECK(none["items"].empty());
}
