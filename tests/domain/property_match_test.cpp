// Which property a contractor's answer names.

#include "domain/property_match.hpp"

#include <catch2/catch.hpp>

using namespace fl::domain;

namespace {

const std::vector<property_ref> properties{{"w", "Walmart Parking Lot", "123 Main St"},
                                           {"t", "Target", "456 Oak Ave"},
                                           {"h", "Home Depot", "789 Pine Rd"},
                                           {"h2", "Home Goods", "1 Elm St"}};

std::optional<std::string> named(std::string_view answer) {
  auto i = match_property(answer, properties);
  if (!i) return std::nullopt;
  return properties[*i].id;
}

}  // namespace

TEST_CASE("a number in the list names its property", "[property_match]") {
  CHECK(named("1") == "w");
  CHECK(named(" #2. ") == "t");
  CHECK(named("5") == std::nullopt);
  CHECK(named("0") == std::nullopt);
}

TEST_CASE("a whole or starting name names its property, whatever the case", "[property_match]") {
  CHECK(named("TARGET") == "t");
  CHECK(named("walmart") == "w");
  CHECK(named("home depot") == "h");
}

TEST_CASE("small typos and partial names still name the property", "[property_match]") {
  CHECK(named("walmrt") == "w");
  CHECK(named("targt") == "t");
  CHECK(named("depot") == "h");
  CHECK(named("the walmart lot") == "w");
}

TEST_CASE("an answer naming two properties equally names none", "[property_match]") {
  CHECK(named("home") == std::nullopt);
  CHECK(named("costco") == std::nullopt);
  CHECK(named("") == std::nullopt);
  CHECK(named("!!!") == std::nullopt);
}
