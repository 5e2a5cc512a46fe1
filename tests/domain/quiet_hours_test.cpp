#include "domain/quiet_hours.hpp"

#include <catch2/catch.hpp>

#include "domain/local_calendar.hpp"
#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace std::chrono_literals;

using fl::time_test::at;
using fl::time_test::zone;

namespace {

quiet_window window(const char* start, const char* end) {
  auto s = parse_clock_time(start);
  auto e = parse_clock_time(end);
  REQUIRE(s);
  REQUIRE(e);
  return quiet_window{*s, *e};
}

sms_settings with_quiet_hours(const char* start, const char* end) {
  auto s = default_sms_settings("Acme");
  s.quiet_hours_start = start;
  s.quiet_hours_end = end;
  return s;
}

}  // namespace

TEST_CASE("clock times parse from exactly \"HH:MM\" and print back", "[quiet_hours]") {
  auto t = parse_clock_time("07:05");
  REQUIRE(t);
  CHECK(t->hour == 7);
  CHECK(t->minute == 5);
  CHECK(to_string(*t) == "07:05");
  CHECK(parse_clock_time("00:00"));
  CHECK(parse_clock_time("23:59"));
  for (const char* bad :
       {"24:00", "23:60", "7:05", "07:5", "07-05", "07:05 ", "", "0x:00", "+1:00"})
    CHECK_FALSE(parse_clock_time(bad));
}

TEST_CASE("a window within one day is quiet from its start up to its end", "[quiet_hours]") {
  auto w = window("12:00", "13:30");
  CHECK_FALSE(w.contains({11, 59}));
  CHECK(w.contains({12, 0}));
  CHECK(w.contains({13, 29}));
  CHECK_FALSE(w.contains({13, 30}));
  CHECK_FALSE(is_quiet(at("2026-06-10T11:59:59Z"), nullptr, w));
  CHECK(is_quiet(at("2026-06-10T12:00:00Z"), nullptr, w));
  CHECK(is_quiet(at("2026-06-10T13:29:59.999999Z"), nullptr, w));
  CHECK_FALSE(is_quiet(at("2026-06-10T13:30:00Z"), nullptr, w));
  CHECK(quiet_ends_at(at("2026-06-10T12:10:00Z"), nullptr, w) == at("2026-06-10T13:30:00Z"));
}

TEST_CASE("a window crossing midnight is quiet late in the evening and early in the morning",
          "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("21:00", "08:00");
  CHECK_FALSE(is_quiet(at("2026-06-10T20:59:00-05:00"), chicago, s));
  CHECK(is_quiet(at("2026-06-10T21:00:00-05:00"), chicago, s));
  CHECK(is_quiet(at("2026-06-10T23:59:00-05:00"), chicago, s));
  CHECK(is_quiet(at("2026-06-11T00:00:00-05:00"), chicago, s));
  CHECK(is_quiet(at("2026-06-11T07:59:59-05:00"), chicago, s));
  CHECK_FALSE(is_quiet(at("2026-06-11T08:00:00-05:00"), chicago, s));
  CHECK_FALSE(is_quiet(at("2026-06-11T12:00:00-05:00"), chicago, s));
}

TEST_CASE("quiet hours ending across midnight end the next morning, on the tenant's clock",
          "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("21:00", "08:00");
  CHECK(quiet_ends_at(at("2026-06-10T22:00:00-05:00"), chicago, s) ==
        at("2026-06-11T08:00:00-05:00"));
  CHECK(quiet_ends_at(at("2026-06-11T03:00:00-05:00"), chicago, s) ==
        at("2026-06-11T08:00:00-05:00"));
  // 22:00 in Chicago is 03:00 UTC the next day: still held till 08:00 Chicago.
  CHECK(quiet_ends_at(at("2026-06-11T03:00:00Z"), chicago, s) == at("2026-06-11T13:00:00Z"));
}

TEST_CASE("outside quiet hours, or with none, a text may go at once", "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto noon = at("2026-06-10T12:00:00-05:00");
  CHECK(quiet_ends_at(noon, chicago, with_quiet_hours("21:00", "08:00")) == noon);
  auto none = default_sms_settings("Acme");
  CHECK_FALSE(is_quiet(noon, chicago, none));
  CHECK(quiet_ends_at(noon, chicago, none) == noon);
  CHECK(send_not_before(sms_trigger::scheduled, noon, chicago, none) == noon);
}

TEST_CASE("settings with unusable quiet hours have no window", "[quiet_hours]") {
  CHECK_FALSE(quiet_window_of(with_quiet_hours("22:00", "22:00")));
  CHECK_FALSE(quiet_window_of(with_quiet_hours("22:00", "bad")));
  auto half = default_sms_settings("Acme");
  half.quiet_hours_start = "22:00";
  CHECK_FALSE(quiet_window_of(half));
  CHECK(quiet_window_of(with_quiet_hours("22:00", "06:00")));
}

TEST_CASE("on the spring-forward night the window still ends at 08:00 on the wall clock",
          "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("21:00", "08:00");
  // 2026-03-08: 02:00 CST becomes 03:00 CDT; the night is an hour shorter.
  CHECK(quiet_ends_at(at("2026-03-07T22:00:00-06:00"), chicago, s) ==
        at("2026-03-08T08:00:00-05:00"));
  CHECK(is_quiet(at("2026-03-08T07:59:00-05:00"), chicago, s));
  CHECK_FALSE(is_quiet(at("2026-03-08T08:00:00-05:00"), chicago, s));
}

TEST_CASE("a window ending at a time the spring-forward gap skips ends with the gap",
          "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("22:00", "02:30");
  // 02:30 does not exist on 2026-03-08 in Chicago: 01:59:59 CST is followed by 03:00 CDT.
  auto ends = quiet_ends_at(at("2026-03-07T23:00:00-06:00"), chicago, s);
  CHECK(ends == at("2026-03-08T03:00:00-05:00"));
  CHECK(ends == at("2026-03-08T08:00:00Z"));
  CHECK(is_quiet(ends - 1us, chicago, s));
  CHECK_FALSE(is_quiet(ends, chicago, s));
}

TEST_CASE("a window whose short open spell is swallowed by the gap runs on to the next day",
          "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  // Quiet all day but 02:30 to 03:00, which 2026-03-08 does not have.
  auto s = with_quiet_hours("03:00", "02:30");
  auto ends = quiet_ends_at(at("2026-03-08T01:00:00-06:00"), chicago, s);
  CHECK(ends == at("2026-03-09T02:30:00-05:00"));
  CHECK_FALSE(is_quiet(ends, chicago, s));
}

TEST_CASE("on the fall-back night the window ends at 08:00 standard time", "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("21:00", "08:00");
  // 2026-11-01: 02:00 CDT falls back to 01:00 CST; the night is an hour longer.
  CHECK(quiet_ends_at(at("2026-10-31T22:00:00-05:00"), chicago, s) ==
        at("2026-11-01T08:00:00-06:00"));
  CHECK(quiet_ends_at(at("2026-10-31T22:00:00-05:00"), chicago, s) == at("2026-11-01T14:00:00Z"));
}

TEST_CASE(
    "a window ending inside the repeated hour ends at the first 01:30, then again at the "
    "second",
    "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("22:00", "01:30");
  // 01:30 comes at 06:30Z (CDT) and again at 07:30Z (CST).
  CHECK(quiet_ends_at(at("2026-10-31T23:00:00-05:00"), chicago, s) == at("2026-11-01T06:30:00Z"));
  CHECK_FALSE(is_quiet(at("2026-11-01T06:45:00Z"), chicago, s));  // 01:45 CDT
  CHECK_FALSE(is_quiet(at("2026-11-01T06:59:00Z"), chicago, s));  // 01:59 CDT
  // The clock reads 01:10 again at 07:10Z: inside the window by the wall clock.
  CHECK(is_quiet(at("2026-11-01T07:10:00Z"), chicago, s));
  CHECK(quiet_ends_at(at("2026-11-01T07:10:00Z"), chicago, s) == at("2026-11-01T07:30:00Z"));
}

TEST_CASE("the quiet end is never before the text, never quiet, and only quiet minutes precede it",
          "[quiet_hours]") {
  struct night {
    const char* zone;
    const char* from;
  };
  for (auto [name, from] : {night{"America/Chicago", "2026-03-07T12:00:00Z"},
                            night{"America/Chicago", "2026-10-31T12:00:00Z"},
                            night{"Europe/London", "2026-03-28T12:00:00Z"},
                            night{"Australia/Lord_Howe", "2026-04-04T00:00:00Z"},
                            night{"America/Havana", "2026-03-07T12:00:00Z"},
                            night{"America/Havana", "2026-10-31T12:00:00Z"}}) {
    auto* z = zone(name);
    for (auto [start, end] : {std::pair{"21:00", "08:00"}, std::pair{"00:30", "02:30"},
                              std::pair{"01:30", "01:45"}, std::pair{"23:00", "00:00"}}) {
      auto w = window(start, end);
      for (auto t = at(from); t < at(from) + 48h; t += 7min) {
        auto ends = quiet_ends_at(t, z, w);
        INFO(name << " " << start << "-" << end << " at " << format_rfc3339_utc(t));
        REQUIRE(ends >= t);
        REQUIRE_FALSE(is_quiet(ends, z, w));
        CHECK(ends - t < 24h);
        if (ends > t) CHECK(is_quiet(ends - 1us, z, w));
      }
    }
  }
}

TEST_CASE("quiet hours hold scheduled, reminder and complete texts, nothing else",
          "[quiet_hours]") {
  CHECK(held_by_quiet_hours(sms_trigger::scheduled));
  CHECK(held_by_quiet_hours(sms_trigger::reminder));
  CHECK(held_by_quiet_hours(sms_trigger::complete));
  CHECK_FALSE(held_by_quiet_hours(sms_trigger::enroute));
  CHECK_FALSE(held_by_quiet_hours(sms_trigger::fifteen_min));
  CHECK_FALSE(held_by_quiet_hours(sms_trigger::arrived));
  CHECK_FALSE(held_by_quiet_hours(sms_trigger::manual));
  CHECK_FALSE(held_by_quiet_hours(sms_trigger::reply));
}

TEST_CASE("a held text goes when quiet hours end; an en-route text goes at once", "[quiet_hours]") {
  auto* chicago = zone("America/Chicago");
  auto s = with_quiet_hours("21:00", "08:00");
  auto late = at("2026-06-10T22:15:00-05:00");
  auto morning = at("2026-06-11T08:00:00-05:00");
  CHECK(send_not_before(sms_trigger::complete, late, chicago, s) == morning);
  CHECK(send_not_before(sms_trigger::scheduled, late, chicago, s) == morning);
  CHECK(send_not_before(sms_trigger::enroute, late, chicago, s) == late);
  CHECK(send_not_before(sms_trigger::arrived, late, chicago, s) == late);
  CHECK(send_not_before(sms_trigger::manual, late, chicago, s) == late);
}

TEST_CASE("without a zone quiet hours are on UTC's clock", "[quiet_hours]") {
  auto s = with_quiet_hours("21:00", "08:00");
  CHECK(is_quiet(at("2026-06-10T22:00:00Z"), nullptr, s));
  CHECK(quiet_ends_at(at("2026-06-10T22:00:00Z"), nullptr, s) == at("2026-06-11T08:00:00Z"));
}
