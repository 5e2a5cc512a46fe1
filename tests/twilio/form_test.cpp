#include "twilio/form.hpp"

#include <catch2/catch.hpp>

#include <string>

using fl::twilio::encode_form;
using fl::twilio::first;
using fl::twilio::form_errc;
using fl::twilio::form_fields;
using fl::twilio::parse_form;

TEST_CASE("parse_form decodes plus as space and percent escapes in either case", "[twilio]") {
  auto fields = parse_form("Body=Hi+there%2C%20caf%C3%a9+%26+1%2b1%3D2&From=%2B15558675310");
  REQUIRE(fields);
  CHECK(*fields == form_fields{{"Body", "Hi there, café & 1+1=2"}, {"From", "+15558675310"}});
}

TEST_CASE("parse_form keeps repeated keys in body order", "[twilio]") {
  auto fields = parse_form("MediaUrl=b&To=x&MediaUrl=a&MediaUrl=b");
  REQUIRE(fields);
  CHECK(*fields ==
        form_fields{{"MediaUrl", "b"}, {"To", "x"}, {"MediaUrl", "a"}, {"MediaUrl", "b"}});
}

TEST_CASE("parse_form keeps empty values and skips empty segments", "[twilio]") {
  auto fields = parse_form("ErrorCode=&&Flag&=v&Body=a=b&");
  REQUIRE(fields);
  CHECK(*fields == form_fields{{"ErrorCode", ""}, {"Flag", ""}, {"", "v"}, {"Body", "a=b"}});
  auto empty = parse_form("");
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("parse_form rejects a malformed escape and names the field", "[twilio]") {
  for (std::string body : {"To=1&Body=%", "To=1&Body=%4", "To=1&Body=%zz", "To=1&Body=50%+off"}) {
    auto fields = parse_form(body);
    REQUIRE_FALSE(fields);
    CHECK(fields.error().code == form_errc::malformed_escape);
    CHECK_THAT(fields.error().message, Catch::Contains("'Body'"));
  }
  auto bad_name = parse_form("Bo%g1dy=x");
  REQUIRE_FALSE(bad_name);
  CHECK_THAT(bad_name.error().message, Catch::Contains("Bo%g1dy"));
}

TEST_CASE("parse_form rejects decoded bytes that are not valid UTF-8", "[twilio]") {
  // Lone continuation, truncated sequence, overlong '/', surrogate, above U+10FFFF, 0xFF.
  for (std::string bad : {"%80", "%E2%82", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%FF"}) {
    auto fields = parse_form("To=1&Body=ok" + bad);
    REQUIRE_FALSE(fields);
    CHECK(fields.error().code == form_errc::invalid_utf8);
    CHECK_THAT(fields.error().message, Catch::Contains("'Body'"));
  }
  CHECK(parse_form("Body=%F0%9F%9A%80%EF%BC%81"));  // 🚀！ are fine
}

TEST_CASE("parse_form handles a huge number of fields", "[twilio]") {
  std::string body;
  constexpr int count = 100000;
  for (int i = 0; i < count; ++i)
    body += "k" + std::to_string(i) + "=v%20" + std::to_string(i) + "&";
  auto fields = parse_form(body);
  REQUIRE(fields);
  REQUIRE(fields->size() == count);
  CHECK(fields->back() == std::pair<std::string, std::string>{"k99999", "v 99999"});
}

TEST_CASE("first returns the first value of a name, or nothing", "[twilio]") {
  form_fields fields{{"A", "1"}, {"B", ""}, {"A", "2"}};
  CHECK(first(fields, "A") == "1");
  CHECK(first(fields, "B") == "");
  CHECK_FALSE(first(fields, "C"));
}

TEST_CASE("encode_form escapes all but unreserved characters and round-trips", "[twilio]") {
  form_fields fields{{"Body", "a b&c=d+e/é~-_."}, {"To", "+15005550006"}, {"Empty", ""}};
  std::string body = encode_form(fields);
  CHECK(body == "Body=a%20b%26c%3Dd%2Be%2F%C3%A9~-_.&To=%2B15005550006&Empty=");
  auto back = parse_form(body);
  REQUIRE(back);
  CHECK(*back == fields);
}
