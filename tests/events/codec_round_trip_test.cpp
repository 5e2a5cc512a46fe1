// Every event type survives encode → decode unchanged, whatever its optional
// fields, lists and text hold.

#include <catch2/catch.hpp>

#include <string>

#include "events/codec.hpp"
#include "tests/support/sample_events.hpp"

using namespace fl;
using namespace fl::events;

namespace {

// Encodes, decodes under the event's own type and version, and returns the
// decoded event (failing the test if decoding fails).
event round_trip(const event& e) {
  std::string json = encode_data(e);
  auto decoded = decode_data(type_name_of(e), schema_version_of(e), json);
  INFO("encoded: " << json);
  if (!decoded) FAIL("decode failed: " << decoded.error().message);
  // Decoding then encoding again is stable: the canonical form is a fixpoint.
  CHECK(encode_data(*decoded) == json);
  return std::move(*decoded);
}

// Every control character, both quoting characters, DEL and multi-byte UTF-8
// (2, 3 and 4 bytes, including U+2028 which JavaScript treats as a newline).
std::string awkward_text() {
  std::string s;
  for (char c = 1; c < 0x20; ++c) s.push_back(c);
  s += "\"quoted\" back\\slash /slash \x7f";
  s += "caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\xA8 \xF0\x9F\x98\x80 \xE4\xB8\xAD\xE6\x96\x87";
  return s;
}

}  // namespace

TEST_CASE("sms_received round-trips with and without its optional fields", "[events][codec]") {
  sms_received e = testing::sample_inbound(7);
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.messaging_service_sid = "";  // present but empty is not absent
  auto back = std::get<sms_received>(round_trip(e));
  REQUIRE(back.messaging_service_sid.has_value());
  CHECK(back.messaging_service_sid->empty());
}

TEST_CASE("sms_received round-trips an empty, a single and a multi-item media list",
          "[events][codec]") {
  sms_received e = testing::sample_inbound(1);
  e.media.clear();
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.media = {
      {"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg"}};
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.media.push_back({"https://example.com/a?b=c&d=\"e\"", "video/3gpp"});
  e.media.push_back({"", ""});
  auto back = std::get<sms_received>(round_trip(e));
  CHECK(back == e);
  REQUIRE(back.media.size() == 3);
  CHECK(back.media[1].content_type == "video/3gpp");  // order is kept
}

TEST_CASE("sms_received round-trips unicode and control characters in its body",
          "[events][codec]") {
  sms_received e = testing::sample_inbound(2);
  e.body = awkward_text();
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.body = "";
  CHECK(std::get<sms_received>(round_trip(e)) == e);

  e.body = std::string("nul\0inside", 10);
  CHECK(std::get<sms_received>(round_trip(e)).body == std::string("nul\0inside", 10));
}

TEST_CASE("sms_queued round-trips with every optional id present or absent", "[events][codec]") {
  sms_queued e = testing::sample_outbound(3);
  CHECK(std::get<sms_queued>(round_trip(e)) == e);

  e.customer_id.reset();
  e.job_id.reset();
  e.contractor_id = "con_9";
  CHECK(std::get<sms_queued>(round_trip(e)) == e);

  e.contractor_id.reset();
  CHECK(std::get<sms_queued>(round_trip(e)) == e);

  e.body = awkward_text();
  e.encoding = "ucs2";
  e.segments = 4;
  CHECK(std::get<sms_queued>(round_trip(e)) == e);
}

TEST_CASE("sms_queued round-trips the extremes of its integer segment count", "[events][codec]") {
  sms_queued e = testing::sample_outbound(4);
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, INT64_MAX, INT64_MIN}) {
    e.segments = n;
    CHECK(std::get<sms_queued>(round_trip(e)).segments == n);
  }
}

TEST_CASE("sms_sent round-trips", "[events][codec]") {
  sms_sent e{"msg_1", "SM0123456789abcdef0123456789abcdef"};
  CHECK(std::get<sms_sent>(round_trip(e)) == e);
  sms_sent empty{};
  CHECK(std::get<sms_sent>(round_trip(empty)) == empty);
}

TEST_CASE("sms_status_changed round-trips with and without an error code", "[events][codec]") {
  sms_status_changed e{"SM1", "delivered", std::nullopt};
  CHECK(std::get<sms_status_changed>(round_trip(e)) == e);

  e.status = "undelivered";
  e.error_code = 30003;
  CHECK(std::get<sms_status_changed>(round_trip(e)) == e);

  e.error_code = 0;  // zero is a value, not absence
  auto back = std::get<sms_status_changed>(round_trip(e));
  REQUIRE(back.error_code.has_value());
  CHECK(*back.error_code == 0);
}

TEST_CASE("sms_failed round-trips permanent and transient failures", "[events][codec]") {
  sms_failed e{"msg_2", 21610, "Attempt to send to unsubscribed recipient", true};
  CHECK(std::get<sms_failed>(round_trip(e)) == e);

  e.permanent = false;
  e.error_code.reset();
  e.error_message = awkward_text();
  CHECK(std::get<sms_failed>(round_trip(e)) == e);
}

TEST_CASE("tenant_created round-trips with and without its Twilio credentials and numbers",
          "[events][codec]") {
  tenant_created e;
  e.tenant_id = "tn_1";
  e.name = awkward_text();
  e.timezone = "America/Chicago";
  e.region = "US";
  e.numbers = {{"+15557654321", 1}};
  e.api_token_sha256 = std::string(64, 'a');
  CHECK(std::get<tenant_created>(round_trip(e)) == e);

  e.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  e.twilio_account_sid = "AC0123456789abcdef0123456789abcdef";
  e.twilio_auth_token = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
  e.numbers.push_back({"+18885550100", 10});
  e.numbers.push_back({"", INT64_MAX});
  auto back = std::get<tenant_created>(round_trip(e));
  CHECK(back == e);
  REQUIRE(back.numbers.size() == 3);
  CHECK(back.numbers[1].number == "+18885550100");  // order is kept

  e.numbers.clear();
  e.twilio_auth_token = "";  // present but empty is not absent
  back = std::get<tenant_created>(round_trip(e));
  CHECK(back == e);
  REQUIRE(back.twilio_auth_token.has_value());
  CHECK(back.twilio_auth_token->empty());
}

TEST_CASE("opted_out round-trips with a keyword and without one", "[events][codec]") {
  opted_out e{"+15551234567", "keyword", "UNSUBSCRIBE"};
  CHECK(std::get<opted_out>(round_trip(e)) == e);

  e.reason = "carrier";
  e.keyword.reset();
  CHECK(std::get<opted_out>(round_trip(e)) == e);
}

TEST_CASE("opted_in round-trips", "[events][codec]") {
  opted_in e{"+15551234567", "UNSTOP"};
  CHECK(std::get<opted_in>(round_trip(e)) == e);
  opted_in empty{};
  CHECK(std::get<opted_in>(round_trip(empty)) == empty);
}

TEST_CASE("decoding keeps the event's type: each type decodes to its own alternative",
          "[events][codec]") {
  tenant_created tenant;
  tenant.tenant_id = "tn_1";
  tenant.numbers = {{"+15557654321", 1}};
  const event all[] = {testing::sample_inbound(),
                       testing::sample_outbound(),
                       sms_sent{"m", "SM"},
                       sms_status_changed{"SM", "sent", std::nullopt},
                       sms_failed{"m", std::nullopt, "x", true},
                       tenant,
                       opted_out{"+15551234567", "carrier", std::nullopt},
                       opted_in{"+15551234567", "START"},
                       conversation_read{2}};
  for (const auto& e : all) {
    INFO(type_name_of(e));
    CHECK(round_trip(e).index() == e.index());
  }
}

TEST_CASE("decoding accepts keys in any order and whitespace; re-encoding makes it canonical",
          "[events][codec]") {
  std::string loose = R"( { "message_sid" : "SM1",
                           "message_id" : "msg_1" } )";
  auto decoded = decode_data("sms_sent", 1, loose);
  REQUIRE(decoded);
  CHECK(encode_data(*decoded) == R"({"message_id":"msg_1","message_sid":"SM1"})");
}

TEST_CASE("decoding unescapes JSON escapes, and encoding writes UTF-8 as is", "[events][codec]") {
  std::string escaped =
      R"({"message_sid":"SM\u00e9","status":"a\/b\u20ac\ud83d\ude00\n","error_code":null})";
  auto decoded = decode_data("sms_status_changed", 1, escaped);
  REQUIRE(decoded);
  const auto& e = std::get<sms_status_changed>(*decoded);
  CHECK(e.message_sid == "SM\xC3\xA9");
  CHECK(e.status == "a/b\xE2\x82\xAC\xF0\x9F\x98\x80\n");
  CHECK(!e.error_code);
  CHECK(encode_data(*decoded) ==
        "{\"error_code\":null,\"message_sid\":\"SM\xC3\xA9\",\"status\":\"a/"
        "b\xE2\x82\xAC\xF0\x9F\x98\x80\\n\"}");
}
