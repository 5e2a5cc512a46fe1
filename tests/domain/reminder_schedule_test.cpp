#include "domain/reminder_schedule.hpp"

#include <catch2/catch.hpp>

#include "domain/local_calendar.hpp"
#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using namespace std::chrono_literals;

using fl::time_test::at;
using fl::time_test::zone;

TEST_CASE(
    "the reminder window opens at the reminder hour the local day before and closes at "
    "local midnight",
    "[reminder]") {
  auto* chicago = zone("America/Chicago");
  auto w = reminder_window_for(at("2026-11-24T14:30:00-06:00"), chicago, 18);
  CHECK(w.opens_at == at("2026-11-23T18:00:00-06:00"));
  CHECK(w.closes_at == at("2026-11-24T00:00:00-06:00"));
}

TEST_CASE("the day before is the tenant's day, not UTC's", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  // 02:00Z on the 25th is 8 PM on the 24th in Chicago: the day before is the 23rd.
  auto w = reminder_window_for(at("2026-11-25T02:00:00Z"), chicago, 18);
  CHECK(w.opens_at == at("2026-11-23T18:00:00-06:00"));
  CHECK(w.opens_at == at("2026-11-24T00:00:00Z"));
  auto utc = reminder_window_for(at("2026-11-25T02:00:00Z"), nullptr, 18);
  CHECK(utc.opens_at == at("2026-11-24T18:00:00Z"));
}

TEST_CASE("a reminder on the spring-forward day uses that evening's daylight offset",
          "[reminder]") {
  auto* chicago = zone("America/Chicago");
  // The day before 2026-03-09 is 2026-03-08, the spring-forward day: 6 PM is CDT.
  auto w = reminder_window_for(at("2026-03-09T09:00:00-05:00"), chicago, 18);
  CHECK(w.opens_at == at("2026-03-08T18:00:00-05:00"));
  CHECK(w.opens_at == at("2026-03-08T23:00:00Z"));
}

TEST_CASE("a reminder hour the spring-forward gap skips opens when the gap ends", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  // 02:00 does not exist on 2026-03-08 in Chicago.
  auto w = reminder_window_for(at("2026-03-09T09:00:00-05:00"), chicago, 2);
  CHECK(w.opens_at == at("2026-03-08T03:00:00-05:00"));
  CHECK(w.opens_at == at("2026-03-08T08:00:00Z"));
}

TEST_CASE("a reminder hour the fall-back repeats opens at its first occurrence", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  // 01:00 happens twice on 2026-11-01 in Chicago: at 06:00Z (CDT) and 07:00Z (CST).
  auto w = reminder_window_for(at("2026-11-02T09:00:00-06:00"), chicago, 1);
  CHECK(w.opens_at == at("2026-11-01T06:00:00Z"));
  auto evening = reminder_window_for(at("2026-11-02T09:00:00-06:00"), chicago, 18);
  CHECK(evening.opens_at == at("2026-11-01T18:00:00-06:00"));
}

TEST_CASE("an appointment on the fall-back day is reminded the evening before, in daylight time",
          "[reminder]") {
  auto* chicago = zone("America/Chicago");
  auto w = reminder_window_for(at("2026-11-01T10:00:00-06:00"), chicago, 18);
  CHECK(w.opens_at == at("2026-10-31T18:00:00-05:00"));
  CHECK(w.closes_at == at("2026-11-01T00:00:00-05:00"));
}

TEST_CASE("where midnight is skipped or repeated, the window closes when the day begins",
          "[reminder]") {
  auto* havana = zone("America/Havana");
  // Cuba springs forward at midnight: 2026-03-08 begins at 01:00 -04:00.
  auto spring = reminder_window_for(at("2026-03-08T10:00:00-04:00"), havana, 18);
  CHECK(spring.closes_at == at("2026-03-08T05:00:00Z"));
  // And falls back at 01:00 to 00:00: 2026-11-01 begins at its first midnight.
  auto fall = reminder_window_for(at("2026-11-01T10:00:00-05:00"), havana, 18);
  CHECK(fall.closes_at == at("2026-11-01T04:00:00Z"));
}

TEST_CASE("an appointment at midnight closes its window at the appointment", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  auto w = reminder_window_for(at("2026-11-24T00:00:00-06:00"), chicago, 18);
  CHECK(w.opens_at == at("2026-11-23T18:00:00-06:00"));
  CHECK(w.closes_at == at("2026-11-24T00:00:00-06:00"));
}

TEST_CASE("a reminder hour out of range is clamped to the day", "[reminder]") {
  auto appointment = at("2026-11-24T14:30:00Z");
  CHECK(reminder_window_for(appointment, nullptr, 30).opens_at == at("2026-11-23T23:00:00Z"));
  CHECK(reminder_window_for(appointment, nullptr, -4).opens_at == at("2026-11-23T00:00:00Z"));
}

TEST_CASE("the sweep sends a reminder only inside the window", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  reminder_job job{at("2026-11-24T14:30:00-06:00"), std::nullopt};
  CHECK_FALSE(reminder_due(job, at("2026-11-23T17:59:59-06:00"), chicago, 18));
  CHECK(reminder_due(job, at("2026-11-23T18:00:00-06:00"), chicago, 18));
  CHECK(reminder_due(job, at("2026-11-23T23:59:59-06:00"), chicago, 18));
  CHECK_FALSE(reminder_due(job, at("2026-11-24T00:00:00-06:00"), chicago, 18));
  CHECK_FALSE(reminder_due(job, at("2026-11-24T14:00:00-06:00"), chicago, 18));
  CHECK_FALSE(reminder_due(job, at("2026-11-25T00:00:00-06:00"), chicago, 18));
}

TEST_CASE("a job is never reminded twice for the same appointment", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  auto appointment = at("2026-11-24T14:30:00-06:00");
  reminder_job job{appointment, appointment};
  CHECK_FALSE(reminder_due(job, at("2026-11-23T18:00:00-06:00"), chicago, 18));
  CHECK_FALSE(reminder_due(job, at("2026-11-23T20:00:00-06:00"), chicago, 18));
}

TEST_CASE("a job rescheduled after its reminder gets a new one", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  auto first = at("2026-11-24T14:30:00-06:00");
  auto moved = at("2026-11-27T09:00:00-06:00");
  reminder_job job{moved, first};
  CHECK_FALSE(reminder_due(job, at("2026-11-23T18:00:00-06:00"), chicago, 18));  // old window
  CHECK(reminder_due(job, at("2026-11-26T18:00:00-06:00"), chicago, 18));
  // Moved later the same day: the customer hears the new time.
  job.scheduled_at = at("2026-11-24T16:00:00-06:00");
  CHECK(reminder_due(job, at("2026-11-23T19:00:00-06:00"), chicago, 18));
}

TEST_CASE(
    "a job booked the evening before is reminded at the next sweep; one booked for today is "
    "not",
    "[reminder]") {
  auto* chicago = zone("America/Chicago");
  reminder_job tomorrow{at("2026-11-24T09:00:00-06:00"), std::nullopt};
  CHECK(reminder_due(tomorrow, at("2026-11-23T20:05:00-06:00"), chicago, 18));
  reminder_job today{at("2026-11-24T15:00:00-06:00"), std::nullopt};
  CHECK_FALSE(reminder_due(today, at("2026-11-24T08:00:00-06:00"), chicago, 18));
}

TEST_CASE("a sweep that missed the evening does not send a late 'tomorrow' reminder",
          "[reminder]") {
  auto* chicago = zone("America/Chicago");
  reminder_job job{at("2026-11-24T14:30:00-06:00"), std::nullopt};
  CHECK_FALSE(reminder_due(job, at("2026-11-24T07:00:00-06:00"), chicago, 18));
}

TEST_CASE("the reminder hour is the tenant's", "[reminder]") {
  auto* chicago = zone("America/Chicago");
  reminder_job job{at("2026-11-24T14:30:00-06:00"), std::nullopt};
  CHECK_FALSE(reminder_due(job, at("2026-11-23T18:00:00-06:00"), chicago, 19));
  CHECK(reminder_due(job, at("2026-11-23T19:00:00-06:00"), chicago, 19));
  CHECK(reminder_due(job, at("2026-11-23T09:00:00-06:00"), chicago, 9));
}
