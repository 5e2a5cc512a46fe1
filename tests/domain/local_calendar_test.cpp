// The local calendar date of an instant in a tenant's zone, which the stats
// count "today" and "this month" by.

#include "domain/local_calendar.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;

using fl::time_test::at;

TEST_CASE("an instant's local date is the tenant's, not UTC's", "[local_calendar]") {
  auto* chicago = find_time_zone("America/Chicago");
  REQUIRE(chicago);
  auto t = at("2026-12-01T03:00:00Z");  // 9 PM on Nov 30 in Chicago
  CHECK(local_date_of(t, chicago) == local_date{"2026-11-30", "2026-11"});
  CHECK(local_date_of(t, nullptr) == local_date{"2026-12-01", "2026-12"});
}

TEST_CASE("the date finder agrees with a fresh lookup at every instant, across midnights and DST",
          "[local_calendar]") {
  for (const char* name : {"America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", ""}) {
    INFO(name);
    const date::time_zone* zone = *name ? find_time_zone(name) : nullptr;
    if (*name) REQUIRE(zone);
    local_date_finder finder(zone);
    // Three days around New York's fall-back change and Lord Howe's
    // half-hour one, every 7 minutes, forward and then jumping back.
    auto from = at("2026-10-31T00:00:00Z"), to = at("2026-11-03T00:00:00Z");
    for (auto t = from; t < to; t += std::chrono::minutes(7))
      REQUIRE(finder.of(t) == local_date_of(t, zone));
    for (auto t = to; t > from; t -= std::chrono::hours(5))
      REQUIRE(finder.of(t) == local_date_of(t, zone));
    auto dst_end_ny = at("2026-11-01T06:00:00Z");  // 1 AM EST again, 2 AM EDT a moment before
    for (auto t = dst_end_ny - std::chrono::seconds(2); t < dst_end_ny + std::chrono::seconds(2);
         t += std::chrono::microseconds(250'000))
      REQUIRE(finder.of(t) == local_date_of(t, zone));
  }
}

TEST_CASE("the date finder gives the day of instants far from the last one", "[local_calendar]") {
  local_date_finder finder(find_time_zone("Europe/London"));
  CHECK(finder.of(at("2026-06-30T23:30:00Z")).day == "2026-07-01");
  CHECK(finder.of(at("1999-12-31T23:59:59Z")).day == "1999-12-31");
  CHECK(finder.of(at("2026-06-30T22:59:59Z")).day == "2026-06-30");
}
