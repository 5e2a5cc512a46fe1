#pragma once

// A property (a lot a crew plows and salts) of a tenant: one stream
// (`property:<tenant>:<id>`) with its name, address and the contractors
// assigned to it. Pure decide and evolve; the property actor holds the state.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "domain/directory_error.hpp"
#include "events/event.hpp"

namespace fl::domain {

struct property_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  std::string id;             // "" until registered
  std::string name;
  std::string address;
  std::vector<std::string> contractor_ids;  // in assignment order
  bool registered() const { return !id.empty(); }
  bool has_contractor(std::string_view contractor_id) const;
  friend bool operator==(const property_state&, const property_state&) = default;
};

struct property_details {
  std::string name;     // required
  std::string address;  // required: the assignment text and "where is it" answer it
};

/// Add a property under `id`.
struct register_property {
  std::string id;
  property_details details;
};

/// Assign a contractor to the property.
struct assign_contractor {
  std::string contractor_id;
};

/// Take a contractor off the property.
struct unassign_contractor {
  std::string contractor_id;
};

using property_command = std::variant<register_property, assign_contractor, unassign_contractor>;

/// What `decide` reads from outside the state.
struct property_context {
  /// `assign_contractor`: the contractor is registered in the tenant (the
  /// caller asks the contractor's stream).
  bool contractor_registered = false;
};

/// The events `command` produces; empty when it changes nothing.
/// - `register_property`: `property_registered` with the name and address
///   trimmed (both required: `blank_name` "name", `invalid_text` "address";
///   `too_long`, `invalid_text`). The same again is nothing; other details
///   for the id are `already_registered`.
/// - `assign_contractor`: `contractor_assigned`; nothing when assigned
///   already; `not_registered` (no field) for the property; `invalid_id` or
///   `not_registered` with field `contractor_id` for a contractor id that
///   is no id or names no registered contractor.
/// - `unassign_contractor`: `contractor_unassigned`; nothing when not
///   assigned (a retried DELETE); `not_registered` for the property,
///   `invalid_id` "contractor_id" for a malformed id.
[[nodiscard]] expected<std::vector<events::event>, directory_error> decide(
    const property_state& state, const property_command& command, const property_context& context);

void evolve(property_state& state, const events::event& event);

}  // namespace fl::domain
