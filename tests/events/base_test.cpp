// The base helpers the log's format depends on: RFC 3339 timestamps, hex and
// SHA-256.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "base/hex.hpp"
#include "base/sha256.hpp"
#include "base/timestamp.hpp"

using namespace fl;

namespace {

// 2026-11-23T18:00:00Z
constexpr std::int64_t base_us = 1795456800LL * 1000000;

std::int64_t parsed_us(std::string_view text) {
  auto t = parse_rfc3339(text);
  INFO(text);
  REQUIRE(t);
  return to_micros(*t);
}

}  // namespace

TEST_CASE("parse_rfc3339 reads UTC written as Z or +00:00", "[base][time]") {
  CHECK(parsed_us("2026-11-23T18:00:00Z") == base_us);
  CHECK(parsed_us("2026-11-23T18:00:00z") == base_us);
  CHECK(parsed_us("2026-11-23t18:00:00Z") == base_us);
  CHECK(parsed_us("2026-11-23T18:00:00+00:00") == base_us);
  CHECK(parsed_us("1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("parse_rfc3339 applies the offset to give the UTC instant", "[base][time]") {
  CHECK(parsed_us("2026-11-23T13:00:00-05:00") == base_us);
  CHECK(parsed_us("2026-11-24T03:30:00+09:30") == base_us);
  // An offset can move the instant across a day boundary.
  CHECK(parsed_us("2026-11-23T23:00:00-19:00") == base_us + 24LL * 3600 * 1000000);
}

TEST_CASE("parse_rfc3339 reads fractions of a second down to the microsecond", "[base][time]") {
  CHECK(parsed_us("2026-11-23T18:00:00.5Z") == base_us + 500000);
  CHECK(parsed_us("2026-11-23T18:00:00.123Z") == base_us + 123000);
  CHECK(parsed_us("2026-11-23T18:00:00.123456Z") == base_us + 123456);
  CHECK(parsed_us("2026-11-23T18:00:00.000001+00:00") == base_us + 1);
  CHECK(parsed_us("2026-11-23T13:00:00.999999-05:00") == base_us + 999999);
}

TEST_CASE("parse_rfc3339 reads back what format_rfc3339_utc writes", "[base][time]") {
  for (std::int64_t us : {base_us, base_us + 1, base_us + 999999, std::int64_t{0},
                          std::int64_t{951782400000000} /* 2000-02-29 */}) {
    std::string text = format_rfc3339_utc(from_micros(us));
    INFO(text);
    CHECK(parsed_us(text) == us);
  }
  CHECK(format_rfc3339_utc(from_micros(base_us + 123456)) == "2026-11-23T18:00:00.123456+00:00");
  CHECK(format_rfc3339_utc(from_micros(base_us)) == "2026-11-23T18:00:00.000000+00:00");
}

TEST_CASE("format_rfc3339_utc writes UTC with microseconds, before and after the epoch",
          "[base][time]") {
  CHECK(format_rfc3339_utc(from_micros(0)) == "1970-01-01T00:00:00.000000+00:00");
  CHECK(format_rfc3339_utc(from_micros(1'795'000'000'123'456)) ==
        "2026-11-18T11:06:40.123456+00:00");
  CHECK(format_rfc3339_utc(from_micros(-1)) == "1969-12-31T23:59:59.999999+00:00");
  CHECK(format_rfc3339_utc(from_micros(951'782'399'000'001)) == "2000-02-28T23:59:59.000001+00:00");
  CHECK(format_rfc3339_utc(from_micros(951'868'800'000'000)) == "2000-03-01T00:00:00.000000+00:00");
}

TEST_CASE("parse_rfc3339 rejects what is not an RFC 3339 date-time", "[base][time]") {
  for (std::string_view bad : {
           "", "garbage", "Z", "2026-11-23",
           "2026-11-23T18:00:00",         // no offset
           "2026-11-23 18:00:00Z",        // space instead of T (RFC 3339 allows it; we do not)
           "2026-11-23T18:00Z",           // no seconds
           "2026-13-01T00:00:00Z",        // month 13
           "2026-02-30T00:00:00Z",        // no such day
           "2026-11-23T25:00:00Z",        // hour 25
           "2026-11-23T18:60:00Z",        // minute 60
           "2026-11-23T18:00:00Zjunk",    // trailing bytes
           "2026-11-23T18:00:00+00:00 ",  // trailing space
           "x2026-11-23T18:00:00Z",
           "2026-11-23T18:00:00+05",  // offset without minutes
           "2026-11-23T18:00:00.Z",   // a dot with no digits
       }) {
    INFO("\"" << bad << "\"");
    CHECK(!parse_rfc3339(bad));
  }
}

TEST_CASE("parse_rfc3339 truncates a fraction finer than a microsecond", "[base][time]") {
  auto t = parse_rfc3339("2026-11-23T18:00:00.123456789Z");
  REQUIRE(t);
  CHECK(format_rfc3339_utc(*t) == "2026-11-23T18:00:00.123456+00:00");
}

TEST_CASE("hex encoding is lowercase and decodes back to the same bytes", "[base][hex]") {
  std::vector<std::uint8_t> bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<std::uint8_t>(b));
  std::string hex = to_hex(bytes);
  CHECK(hex.size() == 512);
  CHECK(hex.substr(0, 8) == "00010203");
  CHECK(hex.substr(504) == "fcfdfeff");
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  auto back = from_hex(hex);
  REQUIRE(back);
  CHECK(*back == bytes);
  CHECK(to_hex({}).empty());
  REQUIRE(from_hex(""));
  CHECK(from_hex("")->empty());
}

TEST_CASE("hex decoding accepts uppercase digits", "[base][hex]") {
  auto bytes = from_hex("DEADbeefAB");
  REQUIRE(bytes);
  CHECK(*bytes == std::vector<std::uint8_t>{0xde, 0xad, 0xbe, 0xef, 0xab});
}

TEST_CASE("hex decoding rejects odd lengths and non-hex characters", "[base][hex]") {
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "0", "abc", "0g", "g0", "zz", " 00", "00 ", "0x00", "+1", "-1", "\xC3\xA9",
           std::string_view("0\0", 2)}) {
    INFO("\"" << bad << "\"");
    CHECK(!from_hex(bad));
  }
}

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors", "[base][sha256]") {
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha256_hasher h;
  h.update("a").update("bc");
  CHECK(to_hex(h.finish()) == to_hex(sha256("abc")));
  // finish() resets: the hasher starts over.
  CHECK(to_hex(h.update("").finish()) == to_hex(sha256("")));
}

TEST_CASE("parse_rfc3339 gives the instant of any offset, fraction and date", "[base][time]") {
  // Instants over 30 years (leap days included) written at offsets from
  // -12:00 to +14:00: each reads back as the same instant.
  std::int64_t us = 946684800000000;  // 2000-01-01
  for (int i = 0; i < 20000; ++i, us += 47'304'123'457) {
    int offset_min = (i * 37) % (26 * 60 + 1) - 12 * 60;
    std::string local = format_rfc3339_utc(from_micros(us + std::int64_t{offset_min} * 60'000'000));
    char sign = offset_min < 0 ? '-' : '+';
    int abs_min = offset_min < 0 ? -offset_min : offset_min;
    char offset[8];
    std::snprintf(offset, sizeof offset, "%c%02d:%02d", sign, abs_min / 60, abs_min % 60);
    local.replace(local.size() - 6, 6, offset);
    INFO(local);
    auto t = parse_rfc3339(local);
    REQUIRE(t);
    CHECK(to_micros(*t) == us);
  }
}
