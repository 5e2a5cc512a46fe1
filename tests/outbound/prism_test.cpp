// Our outbound requests, checked by Stoplight Prism against Twilio's own
// OpenAPI description (tests/prism/twilio_api_v2010.json). Prism validates
// each request before mocking an answer: a request that breaks the
// description gets 422 (problem+json listing the violations) or 401 (bad
// auth) instead of the spec's example. Runs only with FL_PRISM_URL set:
//   scripts/prism check build/release/tests/outbound/fl_outbound_tests

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "base/timestamp.hpp"
#include "tests/outbound/outbound_test_support.hpp"
#include "twilio/rest_client.hpp"

using namespace fl::testing;
using fl::twilio::create_result;
using fl::twilio::rest_client;

namespace {

/// The Prism URL, or nullopt after a WARN saying why the test is skipped.
std::optional<std::string> prism_url() {
  const char* url = std::getenv("FL_PRISM_URL");
  if (url == nullptr || *url == '\0') {
    WARN("skipped: FL_PRISM_URL is not set (scripts/prism check <fl_outbound_tests> runs it)");
    return std::nullopt;
  }
  return std::string(url);
}

fl::twilio::create_message prism_message() {
  auto m = sample_message();
  m.body = "Café at 5 & bring 100% of the salt + a shovel 👍";
  return m;
}

}  // namespace

TEST_CASE("Prism finds our create request valid against Twilio's OpenAPI description", "[prism]") {
  auto url = prism_url();
  if (!url) return;
  rest_client client(options_for(*url));
  auto result = create_and_wait(client, prism_message());
  INFO(result.error_message);
  CHECK(result.http_status == 201);
  REQUIRE(result.outcome == create_result::kind::created);
  CHECK(result.sid.rfind("SM", 0) == 0);
}

TEST_CASE("Prism finds our create through a messaging service valid", "[prism]") {
  auto url = prism_url();
  if (!url) return;
  rest_client client(options_for(*url));
  auto message = prism_message();
  message.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  auto result = create_and_wait(client, message);
  INFO(result.error_message);
  CHECK(result.outcome == create_result::kind::created);
}

TEST_CASE("Prism finds our list request valid and we read its example answer", "[prism]") {
  auto url = prism_url();
  if (!url) return;
  rest_client client(options_for(*url));
  auto listed = list_and_wait(client, {test_credentials(), "+15558675310", "+15005550006",
                                       fl::system_now() - std::chrono::minutes(1)});
  INFO((listed ? std::string() : listed.error()));
  REQUIRE(listed);
  REQUIRE_FALSE(listed->empty());
  for (const auto& m : *listed) {
    CHECK_FALSE(m.sid.empty());
    CHECK(m.date_created);  // Twilio's example dates are RFC 2822
  }
}

TEST_CASE("Prism rejects a create without To, so the Prism check can fail", "[prism]") {
  auto url = prism_url();
  if (!url) return;
  rest_client client(options_for(*url));
  auto message = prism_message();
  message.to.clear();  // rest_client leaves an empty field out
  auto result = create_and_wait(client, message);
  CHECK(result.outcome == create_result::kind::http_error);
  CHECK(result.http_status == 422);
  CHECK(result.error_message.find("To") != std::string::npos);
}

TEST_CASE("Prism rejects malformed sids and callback URLs", "[prism]") {
  auto url = prism_url();
  if (!url) return;
  rest_client client(options_for(*url));
  auto bad_service = prism_message();
  bad_service.messaging_service_sid = "MG-not-a-sid";
  CHECK(create_and_wait(client, bad_service).http_status == 422);
  auto bad_callback = prism_message();
  bad_callback.status_callback = "not a url";
  CHECK(create_and_wait(client, bad_callback).http_status == 422);
  auto bad_account = prism_message();
  bad_account.creds.account_sid = "AC123";
  CHECK(create_and_wait(client, bad_account).http_status == 422);
}
