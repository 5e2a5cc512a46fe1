// What a ticket session's actor remembers besides the machine's state: the
// recent texts (for retried webhooks) and the recent tickets (for status).

#include "domain/ticket_session_memory.hpp"

#include <catch2/catch.hpp>

#include "tests/domain/time_test_support.hpp"

using namespace fl;
using namespace fl::domain;
using fl::time_test::at;

namespace {

events::ticket_text_read read_with(std::string sid, std::vector<std::string> replies) {
  events::ticket_text_read e;
  e.message_sid = std::move(sid);
  e.intent = "status";
  e.confidence = "high";
  e.interpreter = "rules";
  e.replies = std::move(replies);
  return e;
}

}  // namespace

TEST_CASE("a text read is found again by its MessageSid", "[domain][tickets]") {
  ticket_session_memory m;
  remember(m, read_with("SM1", {"first"}), at("2026-12-07T10:00:00Z"));
  remember(m, read_with("SM2", {"second", "more"}), at("2026-12-07T10:01:00Z"));
  const auto* found = find_text(m, "SM2");
  REQUIRE(found);
  CHECK(found->replies == std::vector<std::string>{"second", "more"});
  CHECK(find_text(m, "SM3") == nullptr);
  CHECK(m.session.version == 2);
}

TEST_CASE("only the last 64 texts are remembered", "[domain][tickets]") {
  ticket_session_memory m;
  for (int i = 0; i < 70; ++i)
    remember(m, read_with("SM" + std::to_string(i), {"r"}), at("2026-12-07T10:00:00Z"));
  CHECK(m.texts.size() == ticket_session_memory::max_texts);
  CHECK(find_text(m, "SM5") == nullptr);
  CHECK(find_text(m, "SM6") != nullptr);
  CHECK(m.session.version == 70);
}

TEST_CASE("every session event counts in the version and moves the machine", "[domain][tickets]") {
  ticket_session_memory m;
  remember(m, events::ticket_session_moved{"collecting_ticket_details", {}},
           at("2026-12-07T10:00:00Z"));
  remember(m, events::ticket_started{"tkt_1", "p_1", "Target"}, at("2026-12-07T10:00:00Z"));
  CHECK(m.session.version == 2);
  CHECK(m.session.stage == session_stage::collecting_ticket_details);
  REQUIRE(m.session.ticket);
  CHECK(m.session.ticket->property_name == "Target");
}

TEST_CASE("status lists open tickets and those completed on today's local date",
          "[domain][tickets]") {
  auto* chicago = time_test::zone("America/Chicago");
  ticket_session_memory m;
  // Completed at 11 PM Chicago time the day before (05:00 UTC today).
  remember(m, events::ticket_started{"tkt_old", "p_1", "Walmart"}, at("2026-12-06T20:00:00-06:00"));
  remember(m, events::ticket_completed{"tkt_old"}, at("2026-12-06T23:00:00-06:00"));
  remember(m, events::ticket_started{"tkt_today", "p_2", "Target"},
           at("2026-12-07T02:00:00-06:00"));
  remember(m, events::ticket_completed{"tkt_today"}, at("2026-12-07T03:00:00-06:00"));
  remember(m, events::ticket_started{"tkt_open", "p_3", "Home Depot"},
           at("2026-12-07T04:00:00-06:00"));
  auto listed = todays_tickets(m, at("2026-12-07T05:00:00-06:00"), chicago);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].property_name == "Target");
  CHECK_FALSE(listed[0].open);
  CHECK(listed[1].property_name == "Home Depot");
  CHECK(listed[1].open);
  // In UTC the 11 PM ticket is today's too.
  CHECK(todays_tickets(m, at("2026-12-07T11:00:00Z"), nullptr).size() == 3);
}

TEST_CASE("a reading is recorded and read back unchanged", "[domain][tickets]") {
  interpretation r;
  r.intent = ticket_intent::provide_details;
  r.confidence = interpretation_confidence::medium;
  r.interpreter = interpreter_kind::claude;
  r.equipment = {"loader", "plow truck"};
  r.bulk_salt = bulk_salt{2.5, salt_unit::tons};
  r.bag_salt = 3;
  r.calcium_chloride = 1;
  r.notes = "icy";
  r.work_started_at = local_time_of_day{120};
  r.work_finished_at = local_time_of_day{210};
  r.property_hint = "target";
  auto e = text_read("SM1", r, std::string("timeout"), {"ok"});
  CHECK(e.fallback_reason == "timeout");
  CHECK(e.replies == std::vector<std::string>{"ok"});
  CHECK(reading_of(e) == r);
}
