#pragma once

// Instants and zones written as text in domain tests.

#include <catch2/catch.hpp>

#include <string_view>

#include "base/timestamp.hpp"
#include "domain/local_calendar.hpp"

namespace fl::time_test {

/// The instant an RFC 3339 text names; fails the test if it names none.
inline timestamp at(std::string_view rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  REQUIRE(t);
  return *t;
}

/// The IANA zone by that name; fails the test if there is none.
inline const date::time_zone* zone(std::string_view name) {
  auto* z = domain::find_time_zone(name);
  REQUIRE(z);
  return z;
}

}  // namespace fl::time_test
