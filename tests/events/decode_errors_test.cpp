// Decoding stored bytes never throws and never crashes: whatever is wrong
// comes back as a decode_error value with a code saying what.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "events/codec.hpp"
#include "tests/support/sample_events.hpp"

using namespace fl::events;

namespace {

using decode_result = fl::expected<event, decode_error>;

// Decodes, failing the test if decode_data throws.
decode_result decode_no_throw(std::string_view type, int version, std::string_view json) {
  std::optional<decode_result> r;
  try {
    r.emplace(decode_data(type, version, json));
  } catch (...) {
    FAIL("decode_data threw for " << type << " v" << version << ": " << json);
  }
  return std::move(*r);
}

// The error code of a decode that must fail.
decode_errc error_of(std::string_view type, int version, std::string_view json) {
  INFO(type << " v" << version << ": " << json);
  auto r = decode_no_throw(type, version, json);
  if (r) FAIL("decoded, but an error was expected");
  CHECK(!r.error().message.empty());
  return r.error().code;
}

constexpr std::string_view sent_json = R"({"message_id":"msg_1","message_sid":"SM1"})";

}  // namespace

TEST_CASE("decoding an unknown event type is an unknown_type error", "[events][decode]") {
  CHECK(error_of("sms_teleported", 1, sent_json) == decode_errc::unknown_type);
  CHECK(error_of("", 1, sent_json) == decode_errc::unknown_type);
  CHECK(error_of("SMS_SENT", 1, sent_json) == decode_errc::unknown_type);
}

TEST_CASE("decoding a schema version newer than this build knows is unsupported_version",
          "[events][decode]") {
  std::string received = encode_data(fl::testing::sample_inbound(1));
  CHECK(error_of("sms_received", 2, received) == decode_errc::unsupported_version);
  CHECK(error_of("sms_sent", 99, sent_json) == decode_errc::unsupported_version);
  CHECK(error_of("sms_sent", 0, sent_json) == decode_errc::unsupported_version);
  CHECK(error_of("sms_sent", -1, sent_json) == decode_errc::unsupported_version);
}

TEST_CASE("decoding without a required field is a missing_field error naming it",
          "[events][decode]") {
  auto r = decode_no_throw("sms_sent", 1, R"({"message_id":"msg_1"})");
  REQUIRE(!r);
  CHECK(r.error().code == decode_errc::missing_field);
  CHECK(r.error().message.find("message_sid") != std::string::npos);

  CHECK(error_of("sms_failed", 1, R"({"error_message":"x","message_id":"m"})") ==
        decode_errc::missing_field);  // "permanent" is required, error_code is not
  CHECK(error_of("sms_received", 1,
                 R"({"account_sid":"AC","body":"b","from":"+1","message_sid":"SM","to":"+2"})") ==
        decode_errc::missing_field);  // media is required, even when empty
  CHECK(error_of("sms_received", 1,
                 R"({"account_sid":"AC","body":"b","from":"+1","media":[{"url":"u"}],)"
                 R"("message_sid":"SM","to":"+2"})") == decode_errc::missing_field);
  CHECK(error_of("sms_sent", 1, "{}") == decode_errc::missing_field);
}

TEST_CASE("decoding a field of the wrong JSON type is a wrong_type error", "[events][decode]") {
  CHECK(error_of("sms_sent", 1, R"({"message_id":1,"message_sid":"SM1"})") ==
        decode_errc::wrong_type);
  CHECK(error_of("sms_sent", 1, R"({"message_id":null,"message_sid":"SM1"})") ==
        decode_errc::wrong_type);  // null only stands for an absent optional
  CHECK(
      error_of("sms_failed", 1,
               R"({"error_code":null,"error_message":"x","message_id":"m","permanent":"true"})") ==
      decode_errc::wrong_type);
  CHECK(error_of("sms_status_changed", 1,
                 R"({"error_code":"30003","message_sid":"SM","status":"failed"})") ==
        decode_errc::wrong_type);
  CHECK(error_of("sms_status_changed", 1,
                 R"({"error_code":1.5,"message_sid":"SM","status":"failed"})") ==
        decode_errc::wrong_type);
  CHECK(error_of("sms_received", 1,
                 R"({"account_sid":"AC","body":"b","from":"+1","media":{},"message_sid":"SM",)"
                 R"("to":"+2"})") == decode_errc::wrong_type);
  CHECK(error_of("sms_received", 1,
                 R"({"account_sid":"AC","body":"b","from":"+1","media":["u"],"message_sid":"SM",)"
                 R"("to":"+2"})") == decode_errc::wrong_type);
}

TEST_CASE("decoding a JSON value that is not an object is an error", "[events][decode]") {
  for (std::string_view root : {R"(["msg_1","SM1"])", R"("msg_1")", "42", "null", "true"}) {
    decode_errc code = error_of("sms_sent", 1, root);
    CHECK((code == decode_errc::wrong_type || code == decode_errc::malformed));
  }
}

TEST_CASE("decoding an integer beyond 64 bits is an error, not a wrapped value",
          "[events][decode]") {
  auto r = decode_no_throw("sms_status_changed", 1,
                           R"({"error_code":9223372036854775808,"message_sid":"SM","status":"x"})");
  CHECK(!r);
  r = decode_no_throw("sms_status_changed", 1,
                      R"({"error_code":123456789012345678901234,"message_sid":"SM","status":"x"})");
  CHECK(!r);
}

TEST_CASE("decoding a field this version does not define is an unknown_field error",
          "[events][decode]") {
  auto r =
      decode_no_throw("sms_sent", 1, R"({"message_id":"m","message_sid":"SM","price":"0.0079"})");
  REQUIRE(!r);
  CHECK(r.error().code == decode_errc::unknown_field);
  CHECK(r.error().message.find("price") != std::string::npos);

  CHECK(error_of(
            "sms_received", 1,
            R"({"account_sid":"AC","body":"b","from":"+1",)"
            R"("media":[{"content_type":"c","size":3,"url":"u"}],"message_sid":"SM","to":"+2"})") ==
        decode_errc::unknown_field);
}

TEST_CASE("decoding truncated JSON is an error at every cut, never an exception",
          "[events][decode]") {
  sms_received e = fl::testing::sample_inbound(9);
  e.media = {{"https://x/1", "image/png"}};
  e.messaging_service_sid = "MG1";
  e.body = "caf\xC3\xA9 \"q\" \xF0\x9F\x98\x80";
  std::string full = encode_data(e);
  for (std::size_t n = 0; n < full.size(); ++n) {
    std::string cut = full.substr(0, n);
    INFO("cut at " << n << ": " << cut);
    CHECK(!decode_no_throw("sms_received", 1, cut));
  }
  CHECK(decode_no_throw("sms_received", 1, full));
}

TEST_CASE("decoding garbage is a malformed error", "[events][decode]") {
  CHECK(error_of("sms_sent", 1, "not json") == decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, "{\"message_id\":\"m\",\"message_sid\":\"SM\"") ==
        decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, "{\"message_id\":\"m\" \"message_sid\":\"SM\"}") ==
        decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, "{\"message_id\":\"m\",\"message_sid\":\"S\x01M\"}") ==
        decode_errc::malformed);  // raw control character inside a string
  CHECK(error_of("sms_sent", 1, "{\"message_id\":\"\xFF\",\"message_sid\":\"SM\"}") ==
        decode_errc::malformed);  // invalid UTF-8
  CHECK(error_of("sms_sent", 1, std::string_view("\0\0\0\0", 4)) == decode_errc::malformed);
}

TEST_CASE("decoding empty input is a malformed error", "[events][decode]") {
  CHECK(error_of("sms_sent", 1, "") == decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, "   ") == decode_errc::malformed);
}

TEST_CASE("decoding a valid object followed by trailing bytes is a malformed error",
          "[events][decode]") {
  std::string json(sent_json);
  CHECK(error_of("sms_sent", 1, json + "x") == decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, json + "{}") == decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, json + json) == decode_errc::malformed);
  CHECK(error_of("sms_sent", 1, json + "1") == decode_errc::malformed);
  CHECK(decode_no_throw("sms_sent", 1, json + " \n"));  // whitespace is not data
}

TEST_CASE("decoding bytes with any single byte changed never throws", "[events][decode]") {
  sms_queued e = fl::testing::sample_outbound(5);
  std::string full = encode_data(e);
  for (std::size_t i = 0; i < full.size(); ++i) {
    for (unsigned char b : {0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x80, 0xff}) {
      std::string changed = full;
      changed[i] = static_cast<char>(b);
      INFO("byte " << i << " set to " << int(b));
      auto r = decode_no_throw("sms_queued", 1, changed);
      if (r) CHECK(std::holds_alternative<sms_queued>(*r));
    }
  }
}
