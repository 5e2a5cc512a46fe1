#pragma once

// A contractor with three properties and a driver that runs texts through
// the ticket session's decide and evolve, as the actor will.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "domain/ticket_session.hpp"
#include "tests/domain/time_test_support.hpp"

namespace fl::testing::tickets {

using namespace fl::domain;

inline std::vector<property_ref> three_properties() {
  return {{"p_walmart", "Walmart Parking Lot", "123 Main St"},
          {"p_target", "Target", "456 Oak Ave"},
          {"p_depot", "Home Depot", "789 Pine Rd"}};
}

/// A reading as an interpreter would give it.
inline interpretation read_as(ticket_intent intent,
                              interpretation_confidence c = interpretation_confidence::high) {
  interpretation r;
  r.intent = intent;
  r.confidence = c;
  return r;
}

inline interpretation details(std::vector<std::string> equipment, std::optional<double> bags,
                              std::optional<std::string> notes = std::nullopt) {
  auto r = read_as(ticket_intent::provide_details);
  r.equipment = std::move(equipment);
  r.bag_salt = bags;
  r.notes = std::move(notes);
  return r;
}

struct session {
  ticket_session_state state;
  ticket_session_context ctx;
  std::vector<ticket_session_event> log;
  int next_id = 1;
  int texts = 0;

  explicit session(std::vector<property_ref> assigned = three_properties()) {
    ctx.now = fl::time_test::at("2026-12-07T04:30:00-06:00");
    ctx.zone = fl::time_test::zone("America/Chicago");
    ctx.assigned = std::move(assigned);
    ctx.new_ticket_id = [this] { return "tkt_" + std::to_string(next_id++); };
  }

  /// Decides `body` read as `reading`, evolves the events, answers the decision.
  session_decision text(std::string body, interpretation reading) {
    auto d = decide(state, contractor_text{"msg_" + std::to_string(texts++), body, reading}, ctx);
    for (const auto& e : d.events) {
      evolve(state, e, ctx.now);
      log.push_back(e);
    }
    return d;
  }
};

template <class T>
const T& only(const session_decision& d) {
  const T* found = nullptr;
  for (const auto& e : d.events)
    if (const auto* t = std::get_if<T>(&e)) {
      REQUIRE(found == nullptr);
      found = t;
    }
  REQUIRE(found != nullptr);
  return *found;
}

template <class T>
bool has(const session_decision& d) {
  for (const auto& e : d.events)
    if (std::holds_alternative<T>(e)) return true;
  return false;
}

}  // namespace fl::testing::tickets
