#pragma once

// A customer of a tenant: one stream (`customer:<tenant>:<id>`). Pure decide
// and evolve over plain values; the customer actor holds the state.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "domain/directory_error.hpp"
#include "domain/person_details.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// A customer as its stream made it. Whether it opted out of texts is its
/// conversation's to know, not this state's.
struct customer_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  std::string id;             // "" until registered
  std::string first_name;
  std::string last_name;
  std::string phone;  // E.164
  std::string address;
  bool registered() const { return !id.empty(); }
  friend bool operator==(const customer_state&, const customer_state&) = default;
};

/// Add a customer under `id` (chosen by the caller: the stream is named
/// after it).
struct register_customer {
  std::string id;
  person_details details;
};

/// Replace a customer's details with `details` (all of them: a PUT).
struct update_customer {
  person_details details;
};

using customer_command = std::variant<register_customer, update_customer>;

/// What `decide` reads from outside the state.
struct customer_context {
  std::string region = "US";  // the tenant's default region for phone numbers
  /// The phone (E.164, as check_person_details makes it) is a contractor's
  /// of the tenant: a text from it must reach one party only. Customers may
  /// share a phone among themselves (a household).
  bool phone_is_contractors = false;
};

/// The events `command` produces; empty when it changes nothing.
/// - `register_customer`: `customer_registered` with the checked details
///   (check_person_details). A repeat with the same details is nothing (a
///   retried POST); other details for a registered id are
///   `already_registered`. An id that is_valid_entity_id refuses is
///   `invalid_id`; a contractor's phone is `phone_taken`.
/// - `update_customer`: `customer_updated` when the checked details differ;
///   `not_registered` before registration; a new phone that is a
///   contractor's is `phone_taken`.
[[nodiscard]] expected<std::vector<events::event>, directory_error> decide(
    const customer_state& state, const customer_command& command, const customer_context& context);

/// Applies one event of the customer's stream; other events change nothing
/// but `version`, which grows by one for every event.
void evolve(customer_state& state, const events::event& event);

}  // namespace fl::domain
