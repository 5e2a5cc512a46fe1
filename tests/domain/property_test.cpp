// A property: registered with a name and address, contractors assigned once.

#include "domain/property.hpp"

#include <catch2/catch.hpp>

using namespace fl;
using namespace fl::domain;

namespace {

std::vector<events::event> run(property_state& s, const property_command& cmd,
                               const property_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  if (!decided) FAIL("refused: " << decided.error().message);
  for (const auto& e : *decided) evolve(s, e);
  return *decided;
}

directory_error error_of(const property_state& s, const property_command& cmd,
                         const property_context& ctx = {}) {
  auto decided = decide(s, cmd, ctx);
  REQUIRE_FALSE(decided);
  return decided.error();
}

property_state walmart() {
  property_state s;
  run(s, register_property{"p1", {" Walmart Parking Lot ", "123 Main Street"}});
  return s;
}

}  // namespace

TEST_CASE("registering a property records its trimmed name and address", "[property]") {
  auto s = walmart();
  CHECK(s.id == "p1");
  CHECK(s.name == "Walmart Parking Lot");
  CHECK(s.address == "123 Main Street");
  CHECK(run(s, register_property{"p1", {"Walmart Parking Lot", "123 Main Street"}}).empty());
  CHECK(error_of(s, register_property{"p1", {"Target", "1 Oak"}}).code ==
        directory_errc::already_registered);
}

TEST_CASE("a property needs an id, a name and an address", "[property]") {
  property_state s;
  CHECK(error_of(s, register_property{"p/1", {"Walmart", "1 Main"}}).field == "id");
  CHECK(error_of(s, register_property{"p1", {" ", "1 Main"}}).field == "name");
  CHECK(error_of(s, register_property{"p1", {"Walmart", ""}}).field == "address");
}

TEST_CASE("assigning a contractor records it once, in assignment order", "[property]") {
  auto s = walmart();
  property_context known{true};
  auto out = run(s, assign_contractor{"con_2"}, known);
  REQUIRE(out.size() == 1);
  CHECK(std::get<events::contractor_assigned>(out.front()) ==
        events::contractor_assigned{"p1", "con_2"});
  CHECK(run(s, assign_contractor{"con_2"}, known).empty());
  run(s, assign_contractor{"con_1"}, known);
  CHECK(s.contractor_ids == std::vector<std::string>{"con_2", "con_1"});
}

TEST_CASE("assigning an unknown contractor or to an unknown property is refused", "[property]") {
  auto s = walmart();
  auto unknown = error_of(s, assign_contractor{"con_9"}, {false});
  CHECK(unknown.code == directory_errc::not_registered);
  CHECK(unknown.field == "contractor_id");
  CHECK(error_of(s, assign_contractor{"con;drop"}, {true}).field == "contractor_id");
  CHECK(error_of(property_state{}, assign_contractor{"con_1"}, {true}).field.empty());
}

TEST_CASE("taking a contractor off a property records it once; it can be assigned again",
          "[property]") {
  auto s = walmart();
  property_context known{true};
  run(s, assign_contractor{"con_1"}, known);
  run(s, assign_contractor{"con_2"}, known);
  auto out = run(s, unassign_contractor{"con_1"});
  REQUIRE(out.size() == 1);
  CHECK(std::get<events::contractor_unassigned>(out.front()) ==
        events::contractor_unassigned{"p1", "con_1"});
  CHECK(s.contractor_ids == std::vector<std::string>{"con_2"});
  // Again (a retried DELETE), or one never assigned: nothing.
  CHECK(run(s, unassign_contractor{"con_1"}).empty());
  CHECK(run(s, unassign_contractor{"con_9"}).empty());
  run(s, assign_contractor{"con_1"}, known);
  CHECK(s.contractor_ids == std::vector<std::string>{"con_2", "con_1"});
}

TEST_CASE("taking a malformed contractor id or off an unknown property is refused", "[property]") {
  auto s = walmart();
  auto bad = error_of(s, unassign_contractor{"con;drop"});
  CHECK(bad.code == directory_errc::invalid_id);
  CHECK(bad.field == "contractor_id");
  auto unknown = error_of(property_state{}, unassign_contractor{"con_1"});
  CHECK(unknown.code == directory_errc::not_registered);
  CHECK(unknown.field.empty());
}
