// The frozen v1 format of the contractor directory events: see golden_test.cpp.

#include <catch2/catch.hpp>

#include "events/codec.hpp"
#include "tests/events/golden_support.hpp"

using namespace fl::events;
using fl::testing::golden::check_golden;

TEST_CASE("the contractor_registered v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(contractor_registered{"con_7", "Zo\xC3\xAB O'Brien \xE2\x80\x94 \"plow 2\"",
                                     "+15551234567", true});
}

TEST_CASE("the contractor_updated v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(contractor_updated{"Mike Ross", "+13125550147", false});
}

TEST_CASE("the contractor_preferences_set v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(contractor_preferences_set{false, true, true, "22:00", "06:00"});
}

TEST_CASE("the assignment_text_held v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(assignment_text_held{"assign:p_1:con_7:1796540400000000", "p_1",
                                    "New Assignment!\n\nProperty: Walmart", 1796558400000000});
}

TEST_CASE("the assignment_text_released v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(assignment_text_released{"assign:p_1:con_7:1796540400000000", "msg_0a1b"});
}

TEST_CASE("the property_registered v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(
      property_registered{"p_1", "Walmart Parking Lot", "123 Main Street, Anytown, ST 12345"});
}

TEST_CASE("the contractor_assigned v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(contractor_assigned{"p_1", "con_7"});
}

TEST_CASE("the contractor_unassigned v1 golden file decodes to its value and re-encodes",
          "[events][golden]") {
  check_golden(contractor_unassigned{"p_1", "con_7"});
}

TEST_CASE("contractor preferences without quiet hours store them as null", "[events][codec]") {
  event e = contractor_preferences_set{true, true, false, std::nullopt, std::nullopt};
  auto text = encode_data(e);
  CHECK(text ==
        R"({"notify_on_assignment":true,"notify_on_route_assignment":true,)"
        R"("notify_on_weather_alert":false,"quiet_hours_end":null,"quiet_hours_start":null})");
  auto back = decode_data("contractor_preferences_set", 1, text);
  REQUIRE(back);
  CHECK(*back == e);
}
