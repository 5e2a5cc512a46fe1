// The audit routes: a tenant's events read straight from the log, the state a
// conversation's actor had at a point in time, and the chain check.

#include "http/audit_api.hpp"

#include <algorithm>
#include <set>

#include "base/hex.hpp"
#include "domain/conversation.hpp"
#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {

const std::string customer = "+13125550102";
const std::string secret_auth_token = "0123456789abcdef0123456789abcdef";

std::string conversation_path(const test_tenant& t, const std::string& phone) {
  return "/api/v1/audit/streams/conversation:" + t.id + ":%2B" + phone.substr(1);
}

// A time for a query string: its `+` escaped.
std::string query_time(const std::string& rfc3339) {
  std::string out;
  for (char c : rfc3339) out += c == '+' ? std::string("%2B") : std::string(1, c);
  return out;
}

// An inbound text, then (recorded later) a manual reply, sent and delivered
// by the sandbox: sms_received, sms_queued, sms_sent, two sms_status_changed.
std::vector<events::recorded_event> seed_conversation(running_server& s, const test_tenant& t,
                                                      const std::string& phone,
                                                      const std::string& sid) {
  s.add_customer(t, phone);
  REQUIRE(s.post_twilio("/sms/webhook", inbound_form(t, phone, "is 3pm ok?", sid), t.auth_token)
              .status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(s.post_json("/api/v1/sms/send", json{{"to", phone}, {"body", "3pm works"}}.dump(),
                      t.api_token)
              .status == 201);
  REQUIRE(eventually([&] { return conversation_events(s.app(), t.id, phone).size() == 5; }));
  return conversation_events(s.app(), t.id, phone);
}

json stored_data(app::assembly& a, std::uint64_t position) {
  json data;
  REQUIRE(a.store().for_each_stored(position, [&](std::uint64_t, std::string_view stored) {
    auto line = events::export_json(stored);
    REQUIRE(line);
    data = json::parse(*line)["data"];
    return false;
  }));
  return data;
}

domain::conversation_state fold(const std::vector<events::recorded_event>& evs) {
  domain::conversation_state state;
  for (const auto& e : evs) domain::evolve(state, e);
  return state;
}

json status_of(const std::optional<domain::message_status>& s) {
  return s ? json(domain::to_string(*s)) : json();
}

void check_state(const json& got, const domain::conversation_state& want) {
  INFO(got.dump());
  CHECK(got["version"] == want.version);
  CHECK(got["opted_out"] == want.opted_out);
  CHECK(got["unread"] == want.unread);
  CHECK(got["our_number"] == want.our_number);
  REQUIRE(got["pending"].size() == want.pending.size());
  for (std::size_t i = 0; i < want.pending.size(); ++i)
    CHECK(got["pending"][i]["message_id"] == want.pending[i].message_id);
  REQUIRE(got["in_flight"].size() == want.in_flight.size());
  for (std::size_t i = 0; i < want.in_flight.size(); ++i) {
    CHECK(got["in_flight"][i]["message_sid"] == want.in_flight[i].message_sid);
    CHECK(got["in_flight"][i]["status"] == status_of(want.in_flight[i].status));
  }
  REQUIRE(got["finished"].size() == want.finished.size());
  for (std::size_t i = 0; i < want.finished.size(); ++i)
    CHECK(got["finished"][i]["status"] == status_of(want.finished[i].status));
}

}  // namespace

TEST_CASE("the audit stream of a conversation lists its events in order, with hashes, as stored",
          "[audit]") {
  running_server s;
  auto t = s.create_tenant();
  auto evs = seed_conversation(s, t, customer, "SM" + std::string(32, '1'));
  auto r = s.get(conversation_path(t, customer), t.api_token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = json::parse(r.body);
  CHECK(j["stream"] == "conversation:" + t.id + ":" + customer);
  CHECK(j["as_of"].is_null());
  CHECK(j["next_cursor"].is_null());
  REQUIRE(j["items"].size() == evs.size());
  for (std::size_t i = 0; i < evs.size(); ++i) {
    const auto& item = j["items"][i];
    CHECK(item["position"] == evs[i].position);
    CHECK(item["stream"] == evs[i].stream);
    CHECK(item["version"] == i + 1);
    CHECK(item["type"] == evs[i].type);
    CHECK(item["recorded_at"] == format_rfc3339_utc(evs[i].recorded_at));
    CHECK(item["hash"] == to_hex(evs[i].hash));
    CHECK(item["prev_hash"] == to_hex(evs[i].prev_hash));
    CHECK(item["data"] == stored_data(s.app(), evs[i].position));
  }
  check_state(j["state"], fold(evs));
  CHECK(j["state"]["version"] == 5);
}

TEST_CASE("as_of keeps the events recorded until then and the state the actor had then",
          "[audit][as_of]") {
  running_server s;
  auto t = s.create_tenant();
  auto evs = seed_conversation(s, t, customer, "SM" + std::string(32, '2'));
  timestamp as_of = evs[0].recorded_at;
  std::vector<events::recorded_event> until;
  for (const auto& e : evs)
    if (e.recorded_at <= as_of) until.push_back(e);
  REQUIRE(until.size() < evs.size());

  // The same instant written with a -05:00 offset.
  std::string shifted = format_rfc3339_utc(as_of - std::chrono::hours(5));
  shifted = shifted.substr(0, shifted.size() - 6) + "-05:00";
  auto r = s.get(conversation_path(t, customer) + "?as_of=" + shifted, t.api_token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = json::parse(r.body);
  CHECK(j["as_of"] == format_rfc3339_utc(as_of));
  REQUIRE(j["items"].size() == until.size());
  for (std::size_t i = 0; i < until.size(); ++i)
    CHECK(j["items"][i]["position"] == until[i].position);
  check_state(j["state"], fold(until));
  CHECK(j["state"]["our_number"] == t.number);

  // With a page smaller than the history, the state still folds all of it.
  auto paged = json::parse(s.get(conversation_path(t, customer) + "?limit=1&as_of=" +
                                     query_time(format_rfc3339_utc(evs[2].recorded_at)),
                                 t.api_token)
                               .body);
  CHECK(paged["items"].size() == 1);
  CHECK(paged["state"]["version"].get<std::uint64_t>() >= 3);

  auto before = s.get(conversation_path(t, customer) + "?as_of=2000-01-01T00:00:00Z", t.api_token);
  REQUIRE(before.status == 200);
  CHECK(json::parse(before.body)["items"].empty());
  CHECK(json::parse(before.body)["state"]["version"] == 0);
}

TEST_CASE("a stream read page by page with limit and cursor gives every event once", "[audit]") {
  running_server s;
  auto t = s.create_tenant();
  auto evs = seed_conversation(s, t, customer, "SM" + std::string(32, '3'));
  std::vector<std::uint64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = s.get(
        conversation_path(t, customer) + "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
        t.api_token);
    REQUIRE(r.status == 200);
    auto j = json::parse(r.body);
    CHECK(j["items"].size() <= 2);
    for (const auto& item : j["items"]) seen.push_back(item["position"]);
    check_state(j["state"], fold(evs));
    if (j["next_cursor"].is_null()) break;
    cursor = j["next_cursor"];
  }
  std::vector<std::uint64_t> want;
  for (const auto& e : evs) want.push_back(e.position);
  CHECK(seen == want);
}

TEST_CASE("the tenants stream shows a tenant only its own creation, with the auth token redacted",
          "[audit][redaction]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  for (const auto& t : {a, b}) {
    auto r = s.get("/api/v1/audit/streams/tenants", t.api_token);
    REQUIRE(r.status == 200);
    CHECK(r.body.find(secret_auth_token) == std::string::npos);
    auto j = json::parse(r.body);
    REQUIRE(j["items"].size() == 1);
    const auto& item = j["items"][0];
    CHECK(item["type"] == "tenant_created");
    CHECK(item["data"]["tenant_id"] == t.id);
    CHECK(item["data"]["twilio_auth_token"] == "[redacted]");
    CHECK(item["data"]["twilio_account_sid"] == t.account_sid);
    CHECK(j["state"].is_null());
  }
  auto log = s.get("/api/v1/audit/log", a.api_token);
  REQUIRE(log.status == 200);
  CHECK(log.body.find(secret_auth_token) == std::string::npos);
  CHECK(log.body.find("[redacted]") != std::string::npos);
}

TEST_CASE("another tenant's stream is answered 404, like an unknown one", "[audit]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  seed_conversation(s, a, customer, "SM" + std::string(32, '4'));
  REQUIRE(s.get(conversation_path(a, customer), a.api_token).status == 200);
  auto theirs = s.get(conversation_path(a, customer), b.api_token);
  auto unknown = s.get("/api/v1/audit/streams/conversation:tn_nobody:%2B13125550199", b.api_token);
  CHECK(theirs.status == 404);
  CHECK(unknown.status == 404);
  CHECK(json::parse(theirs.body)["error"]["code"] == json::parse(unknown.body)["error"]["code"]);
}

TEST_CASE("bad as_of, limit, cursor or from get 400 naming the parameter", "[audit]") {
  running_server s;
  auto t = s.create_tenant();
  std::string stream = "/api/v1/audit/streams/tenants";
  std::vector<std::pair<std::string, std::string>> bad{
      {stream + "?as_of=yesterday", "as_of"},
      {stream + "?as_of=2026-11-23T18:00:00", "as_of"},
      {stream + "?limit=0", "limit"},
      {stream + "?limit=501", "limit"},
      {stream + "?limit=ten", "limit"},
      {stream + "?cursor=0", "cursor"},
      {stream + "?cursor=x", "cursor"},
      {"/api/v1/audit/log?from=abc", "from"},
      {"/api/v1/audit/log?from=-3", "from"},
      {"/api/v1/audit/log?cursor=z", "cursor"},
      {"/api/v1/audit/log?limit=100000", "limit"}};
  for (const auto& [path, name] : bad) {
    INFO(path);
    auto r = s.get(path, t.api_token);
    CHECK(r.status == 400);
    auto j = json::parse(r.body);
    CHECK(j["error"]["code"] == "invalid_parameter");
    CHECK(j["error"]["message"].get<std::string>().find(name) != std::string::npos);
  }
  CHECK(s.get(stream + "?limit=500", t.api_token).status == 200);
}

TEST_CASE("the audit log pages through every event of the tenant exactly once, in log order",
          "[audit][log]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  seed_conversation(s, a, customer, "SM" + std::string(32, '5'));
  seed_conversation(s, b, customer, "SM" + std::string(32, '6'));
  seed_conversation(s, a, "+13125550103", "SM" + std::string(32, '7'));
  auto own = s.app().store().read_tenant(a.id, 1, SIZE_MAX);
  REQUIRE(own);
  // The tenant, two customers, two conversations of five events each.
  REQUIRE(own->size() == 13);

  std::vector<std::uint64_t> seen;
  std::string next;
  for (int page = 0; page < 20; ++page) {
    // The first page from the start, then `from=` and `cursor=` in turn.
    std::string query = next.empty()    ? "?limit=3"
                        : page % 2 == 0 ? "?limit=3&from=" + next
                                        : "?limit=3&cursor=" + next;
    auto r = s.get("/api/v1/audit/log" + query + "&min_position=1", a.api_token);
    REQUIRE(r.status == 200);
    auto j = json::parse(r.body);
    CHECK(j["items"].size() <= 3);
    for (const auto& item : j["items"]) seen.push_back(item["position"]);
    if (j["next_cursor"].is_null()) break;
    next = j["next_cursor"];
  }
  std::vector<std::uint64_t> want;
  for (const auto& e : *own) want.push_back(e.position);
  CHECK(seen == want);
}

TEST_CASE("verify answers the chain intact and counts only the tenant's events",
          "[audit][verify]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  seed_conversation(s, a, customer, "SM" + std::string(32, '8'));
  seed_conversation(s, b, customer, "SM" + std::string(32, '9'));
  auto r = s.get("/api/v1/audit/verify", a.api_token);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = json::parse(r.body);
  CHECK(j["chain_ok"] == true);
  // null while no projections check is wired, true once it is.
  CHECK((j["projections_ok"].is_null() || j["projections_ok"] == true));
  auto own = s.app().store().read_tenant(a.id, 1, SIZE_MAX);
  REQUIRE(own);
  CHECK(j["events_checked"] == own->size());
  CHECK(own->size() < s.app().store().last_position());
}

TEST_CASE("verify reports the projections check, and 503 when it cannot be run",
          "[audit][verify]") {
  running_server s;
  auto t = s.create_tenant();
  http::audit_api_deps deps{&s.app().tenants(), &s.app().store(), {}};
  http::request_view req;
  req.method = "GET";
  req.path = req.target = "/api/v1/audit/verify";
  req.header = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "Authorization") return "Bearer " + t.api_token;
    return std::nullopt;
  };
  auto ask = [&] {
    http::answer got;
    http::handle_audit_verify(deps, req, [&](http::answer a) { got = std::move(a); });
    return got;
  };
  std::string asked_for;
  deps.verify_projections = [&](std::string_view tenant) -> expected<bool, std::string> {
    asked_for = tenant;
    return false;
  };
  auto differs = ask();
  CHECK(differs.status == 200);
  CHECK(json::parse(differs.body)["projections_ok"] == false);
  CHECK(asked_for == t.id);
  deps.verify_projections = [](std::string_view) -> expected<bool, std::string> {
    return unexpected{std::string("a rebuild is running")};
  };
  auto failed = ask();
  CHECK(failed.status == 503);
  CHECK(failed.body.find("a rebuild is running") != std::string::npos);
}

TEST_CASE("every audit route answers 401 without a tenant token or with a wrong one",
          "[audit][auth]") {
  running_server s;
  auto t = s.create_tenant();
  for (std::string path :
       {"/api/v1/audit/streams/tenants", "/api/v1/audit/log", "/api/v1/audit/verify"}) {
    INFO(path);
    CHECK(s.get(path).status == 401);
    CHECK(s.get(path, "fl_wrong").status == 401);
    CHECK(s.get(path, operator_token).status == 401);
    CHECK(s.get(path, t.api_token).status == 200);
  }
}
