// The location stream's body: every line its own fix, a bad line reported by
// its number while the good ones are still taken.

#include "http/location_lines.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace fl;

TEST_CASE("each line of the location stream is one technician's fix", "[http][locations]") {
  auto lines = http::parse_location_lines(
      R"({"technician_id":"tech_1","lat":41.88,"lon":-87.63,"recorded_at":"2026-11-23T18:00:00-06:00","speed_mps":12.5})"
      "\n"
      R"({"technician_id":"tech_2","lat":-33.86,"lon":151.2,"recorded_at":"2026-11-24T11:00:00+11:00"})"
      "\n");
  REQUIRE(lines.rejected.empty());
  REQUIRE(lines.accepted.size() == 2);
  CHECK(lines.accepted[0].line == 1);
  CHECK(lines.accepted[0].technician_id == "tech_1");
  CHECK(lines.accepted[0].lat == 41.88);
  CHECK(lines.accepted[0].lon == -87.63);
  CHECK(lines.accepted[0].speed_mps == 12.5);
  CHECK(format_rfc3339_utc(lines.accepted[0].recorded_at) == "2026-11-24T00:00:00.000000+00:00");
  CHECK(lines.accepted[1].line == 2);
  CHECK_FALSE(lines.accepted[1].speed_mps);
}

TEST_CASE("a bad line is reported by its number and the good lines are still taken",
          "[http][locations]") {
  auto lines = http::parse_location_lines(
      R"({"technician_id":"tech_1","lat":41.88,"lon":-87.63,"recorded_at":"2026-11-23T18:00:00-06:00"})"
      "\n"
      "not json\n"
      R"({"technician_id":"tech_1","lat":91,"lon":-87.63,"recorded_at":"2026-11-23T18:00:01-06:00"})"
      "\n"
      R"({"technician_id":"tech_1","lat":41.88,"lon":-87.63,"recorded_at":"2026-11-23T18:00:02-06:00"})"
      "\n");
  REQUIRE(lines.accepted.size() == 2);
  CHECK(lines.accepted[0].line == 1);
  CHECK(lines.accepted[1].line == 4);
  REQUIRE(lines.rejected.size() == 2);
  CHECK(lines.rejected[0].line == 2);
  CHECK(lines.rejected[0].field.empty());
  CHECK(lines.rejected[1].line == 3);
  CHECK(lines.rejected[1].field == "lat");
}

TEST_CASE("every field of a fix is checked, naming the field", "[http][locations]") {
  auto field_of = [](std::string_view line) {
    auto lines = http::parse_location_lines(line);
    REQUIRE(lines.accepted.empty());
    REQUIRE(lines.rejected.size() == 1);
    return lines.rejected[0].field;
  };
  const std::string at = R"("recorded_at":"2026-11-23T18:00:00Z")";
  CHECK(field_of(R"({"lat":1,"lon":2,)" + at + "}") == "technician_id");
  CHECK(field_of(R"({"technician_id":"","lat":1,"lon":2,)" + at + "}") == "technician_id");
  CHECK(field_of(R"({"technician_id":7,"lat":1,"lon":2,)" + at + "}") == "technician_id");
  CHECK(field_of(R"({"technician_id":"t","lon":2,)" + at + "}") == "lat");
  CHECK(field_of(R"({"technician_id":"t","lat":"1","lon":2,)" + at + "}") == "lat");
  CHECK(field_of(R"({"technician_id":"t","lat":1,"lon":180.5,)" + at + "}") == "lon");
  CHECK(field_of(R"({"technician_id":"t","lat":1,"lon":2})") == "recorded_at");
  CHECK(field_of(R"({"technician_id":"t","lat":1,"lon":2,"recorded_at":"yesterday"})") ==
        "recorded_at");
  CHECK(field_of(R"({"technician_id":"t","lat":1,"lon":2,"recorded_at":"2026-11-23T18:00:00"})") ==
        "recorded_at");
  CHECK(field_of(R"({"technician_id":"t","lat":1,"lon":2,"speed_mps":-1,)" + at + "}") ==
        "speed_mps");
  CHECK(field_of(R"([1,2,3])") == "");
}

TEST_CASE("blank lines and CRLF endings are not errors", "[http][locations]") {
  auto lines = http::parse_location_lines(
      "\r\n"
      R"({"technician_id":"t","lat":1,"lon":2,"recorded_at":"2026-11-23T18:00:00Z"})"
      "\r\n   \n\n");
  CHECK(lines.rejected.empty());
  REQUIRE(lines.accepted.size() == 1);
  CHECK(lines.accepted[0].line == 2);
  CHECK(http::parse_location_lines("").accepted.empty());
}

TEST_CASE("an oversized or hostile line is refused without taking the others down",
          "[http][locations]") {
  std::string huge = R"({"technician_id":")" + std::string(10000, 'x') +
                     R"(","lat":1,"lon":2,"recorded_at":"2026-11-23T18:00:00Z"})";
  std::string body =
      huge + "\n" + std::string("{\"a\":") + std::string(2000, '[') + "\n" +
      std::string("\xff\xfe\x00garbage", 10) + "\n" +
      R"({"technician_id":"t","lat":1,"lon":2,"recorded_at":"2026-11-23T18:00:00Z"})";
  auto lines = http::parse_location_lines(body);
  REQUIRE(lines.rejected.size() == 3);
  CHECK(lines.rejected[0].line == 1);
  CHECK(lines.rejected[1].line == 2);
  CHECK(lines.rejected[2].line == 3);
  REQUIRE(lines.accepted.size() == 1);
  CHECK(lines.accepted[0].line == 4);
}

TEST_CASE("a line with a field the stream does not know is refused naming it",
          "[http][locations]") {
  auto lines = http::parse_location_lines(
      R"({"technician_id":"tech_1","lat":41.88,"lon":-87.63,"recorded":"2026-11-23T18:00:00-06:00"})"
      "\n");
  REQUIRE(lines.accepted.empty());
  REQUIRE(lines.rejected.size() == 1);
  CHECK(lines.rejected[0].line == 1);
  CHECK(lines.rejected[0].field == "recorded");
}

TEST_CASE("unusual but valid lines read as the usual ones do", "[http][locations]") {
  const std::string at = R"("recorded_at":"2026-11-23T18:00:00Z")";
  auto only = [](const std::string& line) {
    auto lines = http::parse_location_lines(line);
    REQUIRE(lines.rejected.empty());
    REQUIRE(lines.accepted.size() == 1);
    return lines.accepted[0];
  };
  // Escapes, spacing, exponents, nulls.
  auto a = only(R"( { "technician_id" : "t\u0031", "lat" : 4.1e1, "lon":-87.6E0, )" + at +
                R"(, "speed_mps": null } )");
  CHECK(a.technician_id == "t1");
  CHECK(a.lat == 41.0);
  CHECK(a.lon == -87.6);
  CHECK_FALSE(a.speed_mps);
  // A repeated member: the last one counts.
  auto b = only(R"({"technician_id":"t","lat":1,"lat":2,"lon":3,)" + at + "}");
  CHECK(b.lat == 2.0);
  // -0 is the integer 0.
  auto c = only(R"({"technician_id":"t","lat":-0,"lon":-0.0,)" + at + "}");
  CHECK_FALSE(std::signbit(c.lat));
  CHECK(std::signbit(c.lon));
  // Not JSON: a leading zero, a bare point, a plus sign.
  for (const char* number : {"01", "1.", ".5", "+1"}) {
    auto lines = http::parse_location_lines(R"({"technician_id":"t","lat":)" + std::string(number) +
                                            R"(,"lon":1,)" + at + "}");
    REQUIRE(lines.rejected.size() == 1);
    CHECK(lines.rejected[0].field.empty());
  }
}
