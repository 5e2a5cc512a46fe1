#include "domain/phone_number.hpp"

#include <catch2/catch.hpp>

using namespace fl::domain;

namespace {
std::string e164(std::string_view text, std::string_view region = "US") {
  auto p = parse_phone(text, region);
  if (!p) FAIL_CHECK(p.error().message);
  REQUIRE(p);
  return p->e164();
}
phone_errc failure(std::string_view text, std::string_view region = "US") {
  auto p = parse_phone(text, region);
  REQUIRE_FALSE(p);
  CHECK_FALSE(p.error().message.empty());
  return p.error().code;
}
}  // namespace

TEST_CASE("US numbers as people type them become E.164", "[phone]") {
  CHECK(e164("(555) 123-4567") == "+15551234567");
  CHECK(e164("555.123.4567") == "+15551234567");
  CHECK(e164("1-555-123-4567") == "+15551234567");
  CHECK(e164("+1 555 123 4567") == "+15551234567");
  CHECK(e164("  +15551234567 ") == "+15551234567");
}

TEST_CASE("a number without country code is read in the tenant's region", "[phone]") {
  CHECK(e164("020 7946 0958", "GB") == "+442079460958");
  CHECK(e164("(416) 555-0199", "CA") == "+14165550199");
  CHECK(e164("+44 20 7946 0958", "US") == "+442079460958");  // an explicit code wins
}

TEST_CASE("what is not a phone number is an error, never a guess", "[phone]") {
  CHECK(failure("") == phone_errc::empty);
  CHECK(failure("   ") == phone_errc::empty);
  CHECK(failure("call me") == phone_errc::not_a_number);
  CHECK(failure("12") != phone_errc::empty);
  CHECK(failure("555-1234") == phone_errc::too_short);  // no area code
  CHECK(failure("+1 555 123 4567 8901 2345") == phone_errc::too_long);
  CHECK(failure("+999 123 456 789") == phone_errc::invalid_country_code);
  CHECK(failure(std::string(500, '9')) == phone_errc::too_long);
}

TEST_CASE("an unknown default region is refused", "[phone]") {
  CHECK(failure("555 123 4567", "XX") == phone_errc::unknown_region);
  CHECK(failure("555 123 4567", "") == phone_errc::unknown_region);
}

TEST_CASE("a phone number prints masked for logs", "[phone]") {
  auto p = parse_phone("+15551234567");
  REQUIRE(p);
  CHECK(p->masked() == "+1********67");
  CHECK(p->masked().find("123") == std::string::npos);
}
