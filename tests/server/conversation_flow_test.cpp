// Opt-out, manual sends and status callbacks through the real server with the
// sandbox transport.

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {
const std::string customer = "+13125550102";

std::string send_body(const std::string& to, const std::string& body) {
  return json{{"to", to}, {"body", body}}.dump();
}
}  // namespace

TEST_CASE("a manual text is queued durably, then sent with a sandbox sid, then delivered",
          "[send][sandbox]") {
  running_server s;
  auto t = s.create_tenant();
  auto r = s.post_json("/api/v1/sms/send", send_body("(312) 555-0102", "Your tech is on the way"),
                       t.api_token);
  INFO(r.body);
  REQUIRE(r.status == 201);
  auto j = json::parse(r.body);
  CHECK(j["to"] == customer);
  CHECK(j["from"] == t.number);
  CHECK(j["status"] == "queued");
  CHECK(j["segments"] == 1);
  CHECK(j["encoding"] == "gsm7");
  CHECK(j["position"].get<std::uint64_t>() > 0);
  CHECK(eventually([&] {
    auto names = type_names(conversation_events(s.app(), t.id, customer));
    return std::count(names.begin(), names.end(), "sms_status_changed") == 2;
  }));
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(type_names(evs) == std::vector<std::string>{"sms_queued", "sms_sent",
                                                      "sms_status_changed", "sms_status_changed"});
  auto sid = std::get<events::sms_sent>(evs[1].data).message_sid;
  CHECK(sid.size() == 34);
  CHECK(sid.starts_with("SM"));
  CHECK(std::get<events::sms_status_changed>(evs[3].data).status == "delivered");
}

TEST_CASE("a manual text with an unparseable number gets 400 naming the field", "[send]") {
  running_server s;
  auto t = s.create_tenant();
  for (std::string bad : {"12", "not a phone", "+999123"}) {
    auto r = s.post_json("/api/v1/sms/send", send_body(bad, "hello"), t.api_token);
    CHECK(r.status == 400);
    CHECK(r.body.find("to") != std::string::npos);
  }
}

TEST_CASE("a manual text needs a tenant token", "[send][tenants]") {
  running_server s;
  auto t = s.create_tenant();
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "x")).status == 401);
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "x"), "fl_wrong").status == 401);
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "x"), operator_token).status == 401);
}

TEST_CASE("a manual text with a bad body gets 400: empty, too long, not JSON, wrong types",
          "[send]") {
  running_server s;
  auto t = s.create_tenant();
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "   "), t.api_token).status == 400);
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, std::string(1601, 'a')), t.api_token)
            .status == 400);
  CHECK(s.post_json("/api/v1/sms/send", "{not json", t.api_token).status == 400);
  CHECK(s.post_json("/api/v1/sms/send", R"({"to": 5, "body": "x"})", t.api_token).status == 400);
  CHECK(s.post_json("/api/v1/sms/send", R"({"body": "x"})", t.api_token).status == 400);
  CHECK(s.post_json("/api/v1/sms/send",
                    R"({"to": "+13125550102", "customer_id": "c1", "body": "x"})", t.api_token)
            .status == 400);
  CHECK(s.app().store().read_stream("conversation:" + t.id + ":" + customer)->empty());
}

TEST_CASE(
    "a STOP text opts the number out: confirmation queued, later manual texts refused with 409",
    "[opt_out]") {
  running_server s;
  auto t = s.create_tenant();
  REQUIRE(s.post_twilio("/sms/webhook",
                        inbound_form(t, customer, " stop ", "SM" + std::string(32, '1')),
                        t.auth_token)
              .status == 200);
  auto names = type_names(conversation_events(s.app(), t.id, customer));
  REQUIRE(names.size() >= 3);
  CHECK(names[0] == "sms_received");
  CHECK(names[1] == "opted_out");
  CHECK(names[2] == "sms_queued");
  auto r =
      s.post_json("/api/v1/sms/send", send_body(customer, "Reminder: visit tomorrow"), t.api_token);
  CHECK(r.status == 409);
  CHECK(r.body.find("opted_out") != std::string::npos);

  // START brings the number back.
  REQUIRE(s.post_twilio("/sms/webhook",
                        inbound_form(t, customer, "START", "SM" + std::string(32, '2')),
                        t.auth_token)
              .status == 200);
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "Welcome back"), t.api_token).status ==
        201);
}

TEST_CASE("texts that merely contain a keyword do not opt out", "[opt_out]") {
  running_server s;
  auto t = s.create_tenant();
  REQUIRE(s.post_twilio(
               "/sms/webhook",
               inbound_form(t, customer, "please stop by after 3", "SM" + std::string(32, '3')),
               t.auth_token)
              .status == 200);
  CHECK(s.post_json("/api/v1/sms/send", send_body(customer, "Sure"), t.api_token).status == 201);
}

TEST_CASE("status callbacks never move a message back from a final status", "[status]") {
  running_server s;
  auto t = s.create_tenant();
  std::string sid = "SM" + std::string(32, 'f');
  for (std::string status : {"delivered", "sent", "queued", "failed"})
    CHECK(
        s.post_twilio("/sms/status", status_form(t, customer, sid, status), t.auth_token).status ==
        204);
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(evs.size() == 1);
  CHECK(std::get<events::sms_status_changed>(evs[0].data).status == "delivered");
}

TEST_CASE("a status callback keeps the error code", "[status]") {
  running_server s;
  auto t = s.create_tenant();
  std::string sid = "SM" + std::string(32, 'e');
  CHECK(s.post_twilio("/sms/status", status_form(t, customer, sid, "undelivered", "30003"),
                      t.auth_token)
            .status == 204);
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(evs.size() == 1);
  CHECK(std::get<events::sms_status_changed>(evs[0].data).error_code == 30003);
}

TEST_CASE("a status callback posted to /sms/webhook is handled as a status", "[status]") {
  running_server s;
  auto t = s.create_tenant();
  std::string sid = "SM" + std::string(32, 'd');
  CHECK(s.post_twilio("/sms/webhook", status_form(t, customer, sid, "sent"), t.auth_token).status ==
        204);
  auto evs = conversation_events(s.app(), t.id, customer);
  REQUIRE(evs.size() == 1);
  CHECK(type_names(evs)[0] == "sms_status_changed");
}

TEST_CASE("status callbacks that are forged, unknown or malformed are refused and store nothing",
          "[status]") {
  running_server s;
  auto t = s.create_tenant();
  std::string sid = "SM" + std::string(32, 'c');
  auto before = s.app().store().last_position();
  CHECK(s.post_twilio("/sms/status", status_form(t, customer, sid, "delivered"),
                      "00000000000000000000000000000000")
            .status == 403);
  CHECK(s.post_twilio("/sms/status", status_form(t, customer, sid, "exploded"), t.auth_token)
            .status == 400);
  CHECK(s.post_twilio("/sms/status", status_form(t, customer, sid, "failed", "abc"), t.auth_token)
            .status == 400);
  auto no_sid = status_form(t, customer, sid, "sent");
  std::erase_if(no_sid, [](const auto& f) { return f.first == "MessageSid"; });
  CHECK(s.post_twilio("/sms/status", no_sid, t.auth_token).status == 400);
  CHECK(s.app().store().last_position() == before);
}
