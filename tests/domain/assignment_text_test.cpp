// The assignment text: the seed's words, and sent, held by quiet hours or
// skipped by the contractor's preferences.

#include "domain/assignment_text.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using fl::time_test::at;
using fl::time_test::zone;

namespace {

const assignment_property walmart{"p1", "Walmart Parking Lot",
                                  "123 Main Street, Anytown, ST 12345"};

contractor_state contractor() {
  contractor_state s;
  s.id = "con_1";
  s.name = "Mike";
  s.phone = "+13125550147";
  return s;
}

}  // namespace

TEST_CASE("the assignment text is the seed's New Assignment message", "[assignment]") {
  CHECK(assignment_text(walmart) ==
        "\xF0\x9F\x93\x8D New Assignment!\n\nProperty: Walmart Parking Lot\n"
        "Address: 123 Main Street, Anytown, ST 12345\n\n"
        "Reply START when you begin work.\nReply HELP for commands.");
}

TEST_CASE("an assignment text goes now outside quiet hours, under its external id",
          "[assignment]") {
  auto now = at("2026-12-07T14:00:00-06:00");
  auto plan = plan_assignment_text(contractor(), walmart, now, zone("America/Chicago"));
  CHECK(plan.what == assignment_plan::action::send);
  CHECK(plan.text.external_id == "assign:p1:con_1:" + std::to_string(to_micros(now)));
  CHECK(plan.text.body == assignment_text(walmart));
}

TEST_CASE("an assignment text is skipped when the contractor turned texts off", "[assignment]") {
  auto now = at("2026-12-07T14:00:00-06:00");
  auto off = contractor();
  off.sms_notifications_enabled = false;
  auto plan = plan_assignment_text(off, walmart, now, nullptr);
  CHECK(plan.what == assignment_plan::action::skip);
  CHECK(plan.reason == "notifications_disabled");
  auto no_assignments = contractor();
  no_assignments.preferences.notify_on_assignment = false;
  CHECK(plan_assignment_text(no_assignments, walmart, now, nullptr).reason ==
        "assignment_notifications_off");
}

TEST_CASE(
    "an assignment text in the contractor's quiet hours is held until they end, "
    "on the tenant's clock",
    "[assignment]") {
  auto c = contractor();
  c.preferences.quiet_hours_start = clock_time{22, 0};
  c.preferences.quiet_hours_end = clock_time{6, 0};
  auto plan =
      plan_assignment_text(c, walmart, at("2026-12-07T23:30:00-06:00"), zone("America/Chicago"));
  CHECK(plan.what == assignment_plan::action::hold);
  CHECK(plan.text.release_at == at("2026-12-08T06:00:00-06:00"));
  // 23:30 UTC is 17:30 in Chicago: not quiet there.
  CHECK(
      plan_assignment_text(c, walmart, at("2026-12-07T23:30:00Z"), zone("America/Chicago")).what ==
      assignment_plan::action::send);
}

TEST_CASE("held assignment texts are due once their release time has come", "[assignment]") {
  auto c = contractor();
  c.held.push_back({"a", "p1", "x", at("2026-12-08T06:00:00-06:00")});
  c.held.push_back({"b", "p2", "y", at("2026-12-08T05:00:00-06:00")});
  CHECK(next_assignment_release(c) == at("2026-12-08T05:00:00-06:00"));
  CHECK(due_assignment_texts(c, at("2026-12-08T04:59:00-06:00")).empty());
  auto due = due_assignment_texts(c, at("2026-12-08T05:30:00-06:00"));
  REQUIRE(due.size() == 1);
  CHECK(due.front().external_id == "b");
  CHECK(due_assignment_texts(c, at("2026-12-08T06:00:00-06:00")).size() == 2);
  CHECK_FALSE(next_assignment_release(contractor()));
}
