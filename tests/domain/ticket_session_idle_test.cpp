// The ticket session with no ticket open, and what every state answers the
// same way: HELP, status, addresses.

#include <catch2/catch.hpp>

#include "domain/ticket_replies.hpp"
#include "tests/domain/ticket_session_support.hpp"

using namespace fl::testing::tickets;
using fl::time_test::at;

TEST_CASE("START with one assigned property starts its ticket", "[ticket_session]") {
  session s({{"p_walmart", "Walmart Parking Lot", "123 Main St"}});
  auto d = s.text("START", read_as(ticket_intent::start_ticket));
  const auto& started = only<fl::events::ticket_started>(d);
  CHECK(started.ticket_id == "tkt_1");
  CHECK(started.property_id == "p_walmart");
  CHECK(s.state.stage == session_stage::collecting_ticket_details);
  REQUIRE(d.replies.size() == 1);
  CHECK(d.replies[0].starts_with("\u2705 Ticket started for Walmart Parking Lot!"));
}

TEST_CASE("START with several properties lists them by number and waits for a choice",
          "[ticket_session]") {
  session s;
  auto d = s.text("start", read_as(ticket_intent::start_ticket));
  CHECK_FALSE(has<fl::events::ticket_started>(d));
  CHECK(s.state.stage == session_stage::awaiting_start_confirmation);
  CHECK(s.state.choices == std::vector<std::string>{"p_walmart", "p_target", "p_depot"});
  REQUIRE(d.replies.size() == 1);
  CHECK(d.replies[0] ==
        "\U0001F4CD Which property?\n\n1. Walmart Parking Lot - 123 Main St\n2. Target - 456 Oak "
        "Ave\n3. Home Depot - 789 Pine Rd\n\nReply with the number or property name.");
}

TEST_CASE("START with no property assigned says so and records nothing", "[ticket_session]") {
  session s(std::vector<property_ref>{});
  auto d = s.text("START", read_as(ticket_intent::start_ticket));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::no_properties()});
}

TEST_CASE("DONE with no open ticket says so and changes nothing", "[ticket_session]") {
  session s;
  auto d = s.text("DONE", read_as(ticket_intent::complete_ticket));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::no_open_ticket()});
}

TEST_CASE("details with no open ticket ask for START first and are not recorded",
          "[ticket_session]") {
  session s;
  auto d = s.text("plow truck 3 bags", details({"plow truck"}, 3));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::start_first()});
}

TEST_CASE("a text not understood while idle gets a short hint", "[ticket_session]") {
  session s;
  auto d = s.text("asdf qwer", read_as(ticket_intent::unknown, interpretation_confidence::low));
  CHECK(d.events.empty());
  CHECK(d.replies == std::vector<std::string>{replies::not_understood()});
}

TEST_CASE("HELP answers the seed's help text in any state and changes nothing",
          "[ticket_session]") {
  session s;
  s.text("START", read_as(ticket_intent::start_ticket));
  s.text("1", read_as(ticket_intent::unknown));
  auto d = s.text("HELP", read_as(ticket_intent::help));
  CHECK(d.events.empty());
  REQUIRE(d.replies.size() == 1);
  CHECK(d.replies[0].starts_with("\U0001F4F1 SMS Ticket Help:\n\nSTART - Begin a new ticket"));
  CHECK(s.state.stage == session_stage::collecting_ticket_details);
}

TEST_CASE("status lists the open ticket and today's completed ones", "[ticket_session]") {
  session s;
  s.ctx.todays_tickets = {{"Target", false, at("2026-12-07T01:00:00-06:00")},
                          {"Walmart Parking Lot", true, at("2026-12-07T03:10:00-06:00")}};
  auto d = s.text("status of tickets", read_as(ticket_intent::status));
  CHECK(d.replies == std::vector<std::string>{
                         "Open: Walmart Parking Lot (since 3:10 AM). Completed today: Target."});
  s.ctx.todays_tickets.clear();
  CHECK(s.text("status", read_as(ticket_intent::status)).replies ==
        std::vector<std::string>{"No open tickets, none completed today."});
}

TEST_CASE("an address question answers the named property's address, else the open one's",
          "[ticket_session]") {
  session s;
  auto where = read_as(ticket_intent::query_address);
  where.property_hint = "target";
  CHECK(s.text("where is target", where).replies ==
        std::vector<std::string>{"Target: 456 Oak Ave"});
  CHECK(
      s.text("address?", read_as(ticket_intent::query_address)).replies ==
      std::vector<std::string>{"Which property? Yours: Walmart Parking Lot, Target, Home Depot."});
  s.text("START", read_as(ticket_intent::start_ticket));
  s.text("3", read_as(ticket_intent::unknown));
  CHECK(s.text("address?", read_as(ticket_intent::query_address)).replies ==
        std::vector<std::string>{"Home Depot: 789 Pine Rd"});
}
