// /api/v1/tenants: the operator creates tenants; tokens are stored hashed.

#include "tests/server/server_fixture.hpp"

using namespace fl;
using namespace fl::testing;
using nlohmann::json;

namespace {
json valid_tenant() {
  return {{"name", "Acme"}, {"timezone", "America/New_York"}, {"phone_number", "(500) 555-0006"}};
}
}  // namespace

TEST_CASE("the operator creates a tenant and gets its API token once", "[tenants]") {
  running_server s;
  auto r = s.post_json("/api/v1/tenants", valid_tenant().dump(), operator_token);
  REQUIRE(r.status == 201);
  auto j = json::parse(r.body);
  CHECK(j["id"].get<std::string>().starts_with("tn_"));
  CHECK(j["api_token"].get<std::string>().starts_with("fl_"));
  CHECK(j["phone_number"] == "+15005550006");
  CHECK(j["timezone"] == "America/New_York");
  CHECK(j["position"].get<std::uint64_t>() > 0);
  auto got = s.get("/api/v1/tenants/" + j["id"].get<std::string>(), operator_token);
  REQUIRE(got.status == 200);
  CHECK(got.body.find("api_token") == std::string::npos);
  auto list = json::parse(s.get("/api/v1/tenants", operator_token).body);
  CHECK(list["items"].size() == 1);
  CHECK(list["next_cursor"].is_null());
}

TEST_CASE(
    "the API token and the auth token are never answered back and the token is stored only hashed",
    "[tenants]") {
  running_server s;
  auto body = valid_tenant();
  body["twilio_account_sid"] = "AC" + std::string(32, '1');
  body["twilio_auth_token"] = "0123456789abcdef0123456789abcdef";
  auto j = json::parse(s.post_json("/api/v1/tenants", body.dump(), operator_token).body);
  std::string token = j["api_token"];
  CHECK(j.dump().find("0123456789abcdef0123456789abcdef") == std::string::npos);
  bool token_in_log = false;
  REQUIRE(s.app().store().for_each_stored(1, [&](std::uint64_t, std::string_view bytes) {
    token_in_log |= bytes.find(token) != std::string_view::npos;
    return true;
  }));
  CHECK_FALSE(token_in_log);
}

TEST_CASE("tenant creation without the operator token is 401, and 403 when it is disabled",
          "[tenants]") {
  running_server s;
  CHECK(s.post_json("/api/v1/tenants", valid_tenant().dump()).status == 401);
  CHECK(s.post_json("/api/v1/tenants", valid_tenant().dump(), "wrong").status == 401);
  CHECK(s.get("/api/v1/tenants").status == 401);
  running_server closed([](app::config& c) { c.operator_token.reset(); });
  CHECK(closed.post_json("/api/v1/tenants", valid_tenant().dump(), "anything").status == 403);
}

TEST_CASE("a tenant token sees only its own tenant and gets 404 for another's", "[tenants]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007");
  CHECK(s.get("/api/v1/tenants/" + a.id, a.api_token).status == 200);
  CHECK(s.get("/api/v1/tenants/" + b.id, a.api_token).status == 404);
  auto list = json::parse(s.get("/api/v1/tenants", a.api_token).body);
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["id"] == a.id);
  CHECK(s.post_json("/api/v1/tenants", valid_tenant().dump(), a.api_token).status == 401);
}

TEST_CASE("an opt-out with one tenant does not silence the number for another",
          "[tenants][opt_out]") {
  running_server s;
  auto a = s.create_tenant("+15005550006");
  auto b = s.create_tenant("+15005550007", {{"twilio_account_sid", "AC" + std::string(32, 'b')}});
  b.account_sid = "AC" + std::string(32, 'b');
  const std::string customer = "+13125550120";
  REQUIRE(s.post_twilio("/sms/webhook",
                        inbound_form(a, customer, "STOP", "SM" + std::string(32, '1')),
                        a.auth_token)
              .status == 200);
  auto body = json{{"to", customer}, {"body", "Your plow arrives at 6"}}.dump();
  CHECK(s.post_json("/api/v1/sms/send", body, a.api_token).status == 409);
  CHECK(s.post_json("/api/v1/sms/send", body, b.api_token).status == 201);
}

TEST_CASE("invalid tenant fields get 400 naming the field", "[tenants]") {
  running_server s;
  auto check = [&](json body, const std::string& field) {
    auto r = s.post_json("/api/v1/tenants", body.dump(), operator_token);
    INFO(body.dump() << " -> " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find(field) != std::string::npos);
  };
  auto b = valid_tenant();
  b["timezone"] = "Mars/Olympus";
  check(b, "timezone");
  b = valid_tenant();
  b["phone_number"] = "call me";
  check(b, "phone_number");
  b = valid_tenant();
  b.erase("name");
  check(b, "name");
  b = valid_tenant();
  b["twilio_account_sid"] = "AC123";
  check(b, "twilio_account_sid");
  b = valid_tenant();
  b["twilio_account_sid"] = "AC" + std::string(32, '1');
  check(b, "twilio_auth_token");
  b = valid_tenant();
  b["time_zone"] = "UTC";
  check(b, "time_zone");
  b = valid_tenant();
  b["name"] = 42;
  check(b, "name");
  CHECK(s.post_json("/api/v1/tenants", "[]", operator_token).status == 400);
  CHECK(s.post_json("/api/v1/tenants", "{\"name\":", operator_token).status == 400);
  CHECK(s.app().tenants().size() == 0);
}

TEST_CASE("a number already owned by a tenant cannot be claimed again: 409", "[tenants]") {
  running_server s;
  REQUIRE(s.post_json("/api/v1/tenants", valid_tenant().dump(), operator_token).status == 201);
  auto again = valid_tenant();
  again["name"] = "Other";
  again["phone_number"] = "+1 500 555 0006";
  CHECK(s.post_json("/api/v1/tenants", again.dump(), operator_token).status == 409);
  CHECK(s.app().tenants().size() == 1);
}

TEST_CASE("an unknown tenant id is 404", "[tenants]") {
  running_server s;
  CHECK(s.get("/api/v1/tenants/tn_nope", operator_token).status == 404);
}

TEST_CASE("metrics are served in the Prometheus text format", "[metrics]") {
  running_server s;
  s.create_tenant();
  auto r = s.get("/metrics");
  CHECK(r.status == 200);
  CHECK(r.body.find("fieldline_http_requests_total") != std::string::npos);
  CHECK(r.body.find("fieldline_tenants 1") != std::string::npos);
}

TEST_CASE("each number of a tenant may have its own sending rate", "[tenants]") {
  running_server s;
  auto body = valid_tenant();
  body["phone_numbers"] =
      json::array({json{{"number", "+15005550007"}, {"max_per_second", 10}}, "+15005550008"});
  auto r = s.post_json("/api/v1/tenants", body.dump(), operator_token);
  REQUIRE(r.status == 201);
  auto numbers = json::parse(r.body)["phone_numbers"];
  REQUIRE(numbers.size() == 3);
  CHECK(numbers[0]["max_per_second"] == 1);
  CHECK(numbers[1]["number"] == "+15005550007");
  CHECK(numbers[1]["max_per_second"] == 10);
  body["phone_numbers"] = json::array({json{{"number", "+15005550009"}, {"max_per_second", 0}}});
  body["phone_number"] = "+15005550010";
  CHECK(s.post_json("/api/v1/tenants", body.dump(), operator_token).status == 400);
  body["phone_numbers"] = json::array({json{{"max_per_second", 5}}});
  CHECK(s.post_json("/api/v1/tenants", body.dump(), operator_token).status == 400);
}
