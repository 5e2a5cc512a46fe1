// The frozen v1 format of the ticket session events: see golden_test.cpp.

#include <catch2/catch.hpp>

#include "events/codec.hpp"
#include "tests/events/golden_support.hpp"

using namespace fl::events;
using fl::testing::golden::check_golden;

TEST_CASE("the ticket_started v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(ticket_started{"tkt_7", "p_42", "Walmart Parking Lot \xE2\x80\x94 \"north\""});
}

TEST_CASE("the ticket_details_added v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  ticket_details_added e;
  e.ticket_id = "tkt_7";
  e.message_id = "msg_0a1b";
  e.equipment = {"skid steer", "plow truck"};
  e.bulk_salt_quantity = 2.5;
  e.bulk_salt_unit = "tons";
  e.bag_salt = 5;
  e.note = "icy conditions";
  e.work_started_at_us = 1796540400000000;
  check_golden(e);
}

TEST_CASE("the ticket_completed v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(ticket_completed{"tkt_7"});
}

TEST_CASE("the ticket_session_moved v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(ticket_session_moved{"awaiting_start_confirmation", {"p_42", "p_43"}});
}

TEST_CASE("the ticket_text_read v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  ticket_text_read e;
  e.message_sid = "SM0123456789abcdef0123456789abcdef";
  e.intent = "provide_details";
  e.confidence = "high";
  e.interpreter = "rules";
  e.fallback_reason = "claude timed out";
  e.model = "claude-sonnet-4-5";
  e.attempts = 2;
  e.equipment = {"skid steer"};
  e.bag_salt = 5;
  e.notes = "icy";
  e.work_started_minutes = 120;
  e.replies = {"Ticket updated! Reply DONE when finished."};
  check_golden(e);
}
