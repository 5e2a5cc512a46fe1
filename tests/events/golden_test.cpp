// Format compatibility, in small: the frozen golden files hold each event's
// data object exactly as a v1 store holds it. This build must decode them to
// the same values and re-encode them to the same bytes. A failure here means
// a change to the stored format: add a new schema version instead.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <variant>

#include "events/codec.hpp"
#include "tests/events/golden_support.hpp"

using namespace fl::events;
using fl::testing::golden::check_golden;
using fl::testing::golden::golden_name;

TEST_CASE("the sms_received v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  sms_received e;
  e.account_sid = "AC0123456789abcdef0123456789abcdef";
  e.body =
      "Skid steer, 5 bags \"salt\"\nback after 3 \xE2\x80\x94 caf\xC3\xA9 \xE2\x98\x83 "
      "\xF0\x9F\x98\x80\t\x01\\";
  e.from = "+15551234567";
  e.media = {{"https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/"
              "Messages/MM0123456789abcdef0123456789abcdef/Media/"
              "ME0123456789abcdef0123456789abcdef",
              "image/jpeg"},
             {"https://example.com/b.png?x=1&y=2", "image/png"}};
  e.message_sid = "SM0123456789abcdef0123456789abcdef";
  e.messaging_service_sid = std::nullopt;
  e.to = "+15557654321";
  check_golden(e);
}

TEST_CASE("the sms_queued v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  sms_queued e;
  e.body = "Hi Dana, Mike from Acme HVAC is on his way \xE2\x80\x94 about 25 minutes.";
  e.contractor_id = std::nullopt;
  e.customer_id = "cus_42";
  e.encoding = "ucs2";
  e.from = "+15557654321";
  e.job_id = "job_7";
  e.message_id = "msg_0001";
  e.segments = 2;
  e.to = "+15551234567";
  e.trigger = "enroute";
  check_golden(e);
}

TEST_CASE("the sms_sent v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(sms_sent{"msg_0001", "SM0123456789abcdef0123456789abcdef"});
}

TEST_CASE("the sms_status_changed v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(sms_status_changed{"SM0123456789abcdef0123456789abcdef", "undelivered", 30003});
}

TEST_CASE("the sms_failed v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(sms_failed{"msg_0002", 21610, "Attempt to send to unsubscribed recipient", true});
}

TEST_CASE("the tenant_created v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  tenant_created e;
  e.api_token_sha256 = "3c1b40eb4fc7048c3ed19d0706819f36e2392947d0506b7af7efd8207644b195";
  e.messaging_service_sid = std::nullopt;
  e.name = "Acme Heating & Cooling \xE2\x80\x94 \"Zo\xC3\xAB's crew\"";
  e.numbers = {{"+15557654321", 1}, {"+18885550100", 10}};
  e.region = "US";
  e.tenant_id = "tn_0001";
  e.timezone = "America/Chicago";
  e.twilio_account_sid = "AC0123456789abcdef0123456789abcdef";
  e.twilio_auth_token = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
  check_golden(e);
}

TEST_CASE("the opted_out v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(opted_out{"+15551234567", "keyword", "STOP"});
}

TEST_CASE("the opted_in v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(opted_in{"+15551234567", "START"});
}

TEST_CASE("the conversation_read v1 golden file decodes to its value and re-encodes byte for byte",
          "[events][golden]") {
  check_golden(conversation_read{3});
}

TEST_CASE("every event type at its current schema version has a golden file", "[events][golden]") {
  // A new event type or version must come with its golden file.
  auto check = []<std::size_t... I>(std::index_sequence<I...>) {
    (
        [] {
          using T = std::variant_alternative_t<I, event>;
          INFO(golden_name<T>());
          CHECK(std::filesystem::exists(std::filesystem::path(FL_GOLDEN_DIR) / golden_name<T>()));
        }(),
        ...);
  };
  check(std::make_index_sequence<std::variant_size_v<event>>{});
}
