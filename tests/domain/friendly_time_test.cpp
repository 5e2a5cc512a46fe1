#include "domain/friendly_time.hpp"

#include <catch2/catch.hpp>

#include "domain/local_calendar.hpp"
#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;

using fl::time_test::at;

namespace {

const date::time_zone* chicago() {
  auto* zone = find_time_zone("America/Chicago");
  REQUIRE(zone);
  return zone;
}

}  // namespace

TEST_CASE("an appointment reads as a short weekday date and a 12-hour time", "[friendly_time]") {
  auto t = at("2026-11-24T14:30:00-06:00");
  CHECK(friendly_date(t, chicago()) == "Tue, Nov 24");
  CHECK(friendly_time(t, chicago()) == "2:30 PM");
}

TEST_CASE("the date and time are the tenant's, not UTC's", "[friendly_time]") {
  auto t = at("2026-11-25T03:00:00Z");  // 9 PM the evening before in Chicago
  CHECK(friendly_date(t, chicago()) == "Tue, Nov 24");
  CHECK(friendly_time(t, chicago()) == "9:00 PM");
  CHECK(friendly_date(t, nullptr) == "Wed, Nov 25");
  CHECK(friendly_time(t, nullptr) == "3:00 AM");
  auto* tokyo = find_time_zone("Asia/Tokyo");
  REQUIRE(tokyo);
  CHECK(friendly_date(t, tokyo) == "Wed, Nov 25");
  CHECK(friendly_time(t, tokyo) == "12:00 PM");
}

TEST_CASE("noon and midnight read 12 PM and 12 AM; minutes keep their zero", "[friendly_time]") {
  CHECK(friendly_time(at("2026-06-01T12:00:00Z"), nullptr) == "12:00 PM");
  CHECK(friendly_time(at("2026-06-01T00:00:00Z"), nullptr) == "12:00 AM");
  CHECK(friendly_time(at("2026-06-01T00:59:59Z"), nullptr) == "12:59 AM");
  CHECK(friendly_time(at("2026-06-01T09:05:00Z"), nullptr) == "9:05 AM");
  CHECK(friendly_time(at("2026-06-01T23:59:59.999999Z"), nullptr) == "11:59 PM");
  CHECK(friendly_time(at("2026-06-01T13:00:00Z"), nullptr) == "1:00 PM");
}

TEST_CASE("the day has no leading zero and every month and weekday has its name",
          "[friendly_time]") {
  CHECK(friendly_date(at("2026-03-09T12:00:00Z"), nullptr) == "Mon, Mar 9");
  CHECK(friendly_date(at("2026-01-01T12:00:00Z"), nullptr) == "Thu, Jan 1");
  CHECK(friendly_date(at("2026-02-28T12:00:00Z"), nullptr) == "Sat, Feb 28");
  CHECK(friendly_date(at("2026-05-31T12:00:00Z"), nullptr) == "Sun, May 31");
  CHECK(friendly_date(at("2026-07-15T12:00:00Z"), nullptr) == "Wed, Jul 15");
  CHECK(friendly_date(at("2026-09-11T12:00:00Z"), nullptr) == "Fri, Sep 11");
  CHECK(friendly_date(at("2026-12-31T12:00:00Z"), nullptr) == "Thu, Dec 31");
  CHECK(friendly_date(at("2028-02-29T12:00:00Z"), nullptr) == "Tue, Feb 29");
}

TEST_CASE("times on DST change days in Chicago read as the wall clock did", "[friendly_time]") {
  // 2026-03-08: 02:00 CST jumps to 03:00 CDT at 08:00Z.
  CHECK(friendly_time(at("2026-03-08T07:59:00Z"), chicago()) == "1:59 AM");
  CHECK(friendly_time(at("2026-03-08T08:00:00Z"), chicago()) == "3:00 AM");
  CHECK(friendly_date(at("2026-03-08T08:00:00Z"), chicago()) == "Sun, Mar 8");
  // 2026-11-01: 02:00 CDT falls back to 01:00 CST at 07:00Z; 1:30 AM happens twice.
  CHECK(friendly_time(at("2026-11-01T06:30:00Z"), chicago()) == "1:30 AM");
  CHECK(friendly_time(at("2026-11-01T07:30:00Z"), chicago()) == "1:30 AM");
  CHECK(friendly_date(at("2026-11-01T07:30:00Z"), chicago()) == "Sun, Nov 1");
}

TEST_CASE("an unknown zone name finds no zone, and no zone means UTC", "[friendly_time]") {
  CHECK(find_time_zone("Mars/Olympus_Mons") == nullptr);
  CHECK(find_time_zone("") == nullptr);
  auto t = at("2026-11-24T14:30:00Z");
  CHECK(friendly_time(t, find_time_zone("Mars/Olympus_Mons")) == "2:30 PM");
}

TEST_CASE("dates before 1970 still read correctly", "[friendly_time]") {
  auto t = at("1969-07-20T20:17:00Z");
  CHECK(friendly_date(t, nullptr) == "Sun, Jul 20");
  CHECK(friendly_time(t, nullptr) == "8:17 PM");
}
