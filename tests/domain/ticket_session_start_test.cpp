// The ticket session choosing a property: awaiting_start_confirmation.

#include <catch2/catch.hpp>

#include "domain/ticket_replies.hpp"
#include "tests/domain/ticket_session_support.hpp"

using namespace fl::testing::tickets;

namespace {

session awaiting_choice() {
  session s;
  s.text("START", read_as(ticket_intent::start_ticket));
  REQUIRE(s.state.stage == session_stage::awaiting_start_confirmation);
  return s;
}

std::string started_property(const session_decision& d) {
  return only<fl::events::ticket_started>(d).property_id;
}

}  // namespace

TEST_CASE("a number answers which property", "[ticket_session]") {
  auto s = awaiting_choice();
  auto d = s.text("2", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(started_property(d) == "p_target");
  CHECK(s.state.stage == session_stage::collecting_ticket_details);
  CHECK(s.state.choices.empty());
}

TEST_CASE("a name answers which property, whatever its case and small typos", "[ticket_session]") {
  for (std::string answer : {"walmart", "WALMRT", "home depot", "Targt"}) {
    auto s = awaiting_choice();
    auto d = s.text(answer, read_as(ticket_intent::unknown, interpretation_confidence::low));
    CHECK(started_property(d) == (answer == "Targt"        ? "p_target"
                                  : answer == "home depot" ? "p_depot"
                                                           : "p_walmart"));
  }
}

TEST_CASE("the interpreter's property hint is used before the raw text", "[ticket_session]") {
  auto s = awaiting_choice();
  auto r = read_as(ticket_intent::provide_details, interpretation_confidence::medium);
  r.property_hint = "depot";
  CHECK(started_property(s.text("the depot one", r)) == "p_depot");
}

TEST_CASE("an answer naming no property asks again with the numbers", "[ticket_session]") {
  auto s = awaiting_choice();
  auto d = s.text("costco", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::number_or_name(3)});
  CHECK(s.text("7", read_as(ticket_intent::unknown)).replies ==
        std::vector<std::string>{replies::number_or_name(3)});
  CHECK(s.state.stage == session_stage::awaiting_start_confirmation);
}

TEST_CASE("START while choosing lists the properties again", "[ticket_session]") {
  auto s = awaiting_choice();
  s.ctx.assigned.pop_back();  // Home Depot was unassigned meanwhile
  auto d = s.text("start", read_as(ticket_intent::start_ticket));
  CHECK(s.state.choices == std::vector<std::string>{"p_walmart", "p_target"});
  CHECK(d.replies[0].find("Home Depot") == std::string::npos);
}

TEST_CASE("a property unassigned while choosing can no longer be picked", "[ticket_session]") {
  auto s = awaiting_choice();
  s.ctx.assigned.erase(s.ctx.assigned.begin());  // Walmart
  auto d = s.text("walmart", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK_FALSE(has<fl::events::ticket_started>(d));
  CHECK(d.replies == std::vector<std::string>{replies::number_or_name(2)});
}
