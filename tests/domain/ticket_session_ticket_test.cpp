// The ticket session with a ticket open: collecting details, completing,
// and the two completion states.

#include <catch2/catch.hpp>

#include "domain/ticket_replies.hpp"
#include "tests/domain/ticket_session_support.hpp"

using namespace fl::testing::tickets;
using fl::time_test::at;

namespace {

session with_open_ticket() {
  session s({{"p_walmart", "Walmart Parking Lot", "123 Main St"}});
  s.text("START", read_as(ticket_intent::start_ticket));
  REQUIRE(s.state.ticket);
  return s;
}

interpretation done(std::optional<double> bags = std::nullopt,
                    interpretation_confidence c = interpretation_confidence::high) {
  auto r = read_as(ticket_intent::complete_ticket, c);
  r.bag_salt = bags;
  return r;
}

}  // namespace

TEST_CASE("details read with confidence are added to the open ticket", "[ticket_session]") {
  auto s = with_open_ticket();
  auto d =
      s.text("Skid steer, 5 bags, icy conditions", details({"skid steer"}, 5, "icy conditions"));
  const auto& added = only<fl::events::ticket_details_added>(d);
  CHECK(added.ticket_id == "tkt_1");
  CHECK(added.message_id == "msg_1");
  CHECK(added.equipment == std::vector<std::string>{"skid steer"});
  CHECK(added.bag_salt == 5);
  CHECK(added.note == "icy conditions");
  CHECK(d.replies == std::vector<std::string>{replies::ticket_updated()});
}

TEST_CASE("a text read with low confidence asks one question and writes nothing",
          "[ticket_session]") {
  auto s = with_open_ticket();
  auto unsure = details({}, 7);
  unsure.confidence = interpretation_confidence::low;
  auto d = s.text("7 of the thing", unsure);
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::clarify()});
  CHECK_FALSE(s.state.ticket->bag_salt);
}

TEST_CASE("quantities add up over a ticket's texts; equipment is listed once", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("plow truck 3 bags", details({"plow truck"}, 3, "lot 1"));
  s.text("plow truck, loader 2 bags", details({"plow truck", "loader"}, 2, "lot 2"));
  auto bulk = read_as(ticket_intent::provide_details);
  bulk.bulk_salt = bulk_salt{1.5, salt_unit::yards};
  s.text("1.5 yards", bulk);
  s.text("another yard", bulk);
  const auto& t = *s.state.ticket;
  CHECK(t.equipment == std::vector<std::string>{"plow truck", "loader"});
  CHECK(t.bag_salt == 5);
  CHECK(t.bulk == bulk_salt{3, salt_unit::yards});
  CHECK(t.notes == std::vector<std::string>{"lot 1", "lot 2"});
}

TEST_CASE("work times are placed on the tenant's clock, at or before the text",
          "[ticket_session]") {
  auto s = with_open_ticket();  // 4:30 AM in Chicago
  auto r = read_as(ticket_intent::provide_details);
  r.work_started_at = local_time_of_day{2 * 60};
  r.work_finished_at = local_time_of_day{23 * 60};  // 11 PM: yesterday's
  s.text("started at 2am, finished 11pm", r);
  CHECK(s.state.ticket->work_started_at == at("2026-12-07T02:00:00-06:00"));
  CHECK(s.state.ticket->work_finished_at == at("2026-12-06T23:00:00-06:00"));
}

TEST_CASE("DONE completes a ticket that has quantities", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("3 bags", details({}, 3));
  auto d = s.text("DONE", done());
  CHECK(only<fl::events::ticket_completed>(d).ticket_id == "tkt_1");
  CHECK(d.replies == std::vector<std::string>{replies::ticket_completed("Walmart Parking Lot")});
  CHECK(s.state.stage == session_stage::idle);
  CHECK_FALSE(s.state.ticket);
}

TEST_CASE("DONE with details applies them, then completes", "[ticket_session]") {
  auto s = with_open_ticket();
  auto d = s.text("DONE 5 bags", done(5));
  REQUIRE(d.events.size() == 3);  // details, completed, back to idle
  CHECK(std::get<fl::events::ticket_details_added>(d.events[0]).bag_salt == 5);
  CHECK(std::holds_alternative<fl::events::ticket_completed>(d.events[1]));
}

TEST_CASE("DONE on a ticket without any quantity asks for them once", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("plow truck", details({"plow truck"}, std::nullopt));
  auto d = s.text("DONE", done());
  CHECK_FALSE(has<fl::events::ticket_completed>(d));
  CHECK(s.state.stage == session_stage::collecting_completion_details);
  CHECK(d.replies == std::vector<std::string>{replies::ask_quantities("Walmart Parking Lot")});
}

TEST_CASE("asked for quantities, the answer completes the ticket with them", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("DONE", done());
  auto d = s.text("4 bags", details({}, 4));
  CHECK(only<fl::events::ticket_details_added>(d).bag_salt == 4);
  CHECK(has<fl::events::ticket_completed>(d));
  CHECK(s.state.stage == session_stage::idle);
}

TEST_CASE("asked for quantities, DONE again completes the ticket without", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("DONE", done());
  auto d = s.text("done", done());
  CHECK(has<fl::events::ticket_completed>(d));
  CHECK_FALSE(has<fl::events::ticket_details_added>(d));
}

TEST_CASE("asked for quantities, an unreadable answer asks once more", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("DONE", done());
  auto d = s.text("???", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::ask_quantities("Walmart Parking Lot")});
}

TEST_CASE("a completion read without confidence asks to confirm", "[ticket_session]") {
  auto s = with_open_ticket();
  auto d = s.text("think we r done", done(std::nullopt, interpretation_confidence::medium));
  CHECK(s.state.stage == session_stage::awaiting_completion);
  CHECK(d.replies == std::vector<std::string>{replies::confirm_completion("Walmart Parking Lot")});
}

TEST_CASE("confirming with YES completes (or asks for quantities)", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("3 bags", details({}, 3));
  s.text("think we r done", done(std::nullopt, interpretation_confidence::medium));
  auto d = s.text("yes", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(has<fl::events::ticket_completed>(d));
}

TEST_CASE("answering NO keeps the ticket open and collecting", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("think we r done", done(std::nullopt, interpretation_confidence::medium));
  auto d = s.text("No", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(s.state.stage == session_stage::collecting_ticket_details);
  CHECK(d.replies == std::vector<std::string>{replies::kept_open("Walmart Parking Lot")});
}

TEST_CASE("details while confirming are added and the ticket stays open", "[ticket_session]") {
  auto s = with_open_ticket();
  s.text("think we r done", done(std::nullopt, interpretation_confidence::medium));
  auto d = s.text("2 more bags", details({}, 2));
  CHECK(has<fl::events::ticket_details_added>(d));
  CHECK(s.state.stage == session_stage::collecting_ticket_details);
}

TEST_CASE("START while a ticket is open names the open ticket", "[ticket_session]") {
  auto s = with_open_ticket();
  auto d = s.text("START", read_as(ticket_intent::start_ticket));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::already_open("Walmart Parking Lot")});
}

TEST_CASE("the seed's dialogue: START, pick, details, DONE", "[ticket_session]") {
  session s;
  s.text("START", read_as(ticket_intent::start_ticket));
  s.text("1", read_as(ticket_intent::unknown, interpretation_confidence::low));
  auto plow = read_as(ticket_intent::provide_details);
  plow.equipment = {"plow truck"};
  plow.bulk_salt = bulk_salt{3, salt_unit::yards};
  auto updated = s.text("Plow truck 3 yards salt", plow);
  CHECK(updated.replies == std::vector<std::string>{replies::ticket_updated()});
  auto finished = s.text("DONE", done());
  CHECK(finished.replies ==
        std::vector<std::string>{replies::ticket_completed("Walmart Parking Lot")});
  CHECK(s.state == ticket_session_state{s.state.version, session_stage::idle, {}, std::nullopt});
}
