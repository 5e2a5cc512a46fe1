#pragma once

// A contractor of a tenant: one stream (`contractor:<tenant>:<id>`) with the
// contractor's details, notification preferences and the assignment texts
// held by its quiet hours. Pure decide and evolve over plain values; the
// contractor actor holds the state.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/directory_error.hpp"
#include "domain/quiet_hours.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// The longest contractor or property name, in code points.
inline constexpr std::size_t max_contractor_name_code_points = 200;

/// What a contractor wants to be texted about (the seed's
/// `sms_notification_preferences`), every notification on by default.
struct contractor_preferences {
  bool notify_on_assignment = true;
  bool notify_on_route_assignment = true;
  bool notify_on_weather_alert = true;
  std::optional<clock_time> quiet_hours_start;  // both or neither
  std::optional<clock_time> quiet_hours_end;
  /// The quiet window, when both bounds are set and differ.
  std::optional<quiet_window> quiet() const;
  friend bool operator==(const contractor_preferences&, const contractor_preferences&) = default;
};

/// An assignment text waiting for the end of the contractor's quiet hours.
struct held_assignment_text {
  std::string external_id;
  std::string property_id;
  std::string body;
  fl::timestamp release_at;
  friend bool operator==(const held_assignment_text&, const held_assignment_text&) = default;
};

/// A contractor as its stream made it.
struct contractor_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  std::string id;             // "" until registered
  std::string name;
  std::string phone;  // E.164
  bool sms_notifications_enabled = true;
  contractor_preferences preferences;
  std::vector<held_assignment_text> held;  // in holding order
  bool registered() const { return !id.empty(); }
  friend bool operator==(const contractor_state&, const contractor_state&) = default;
};

/// A contractor's details as a client sent them.
struct contractor_details {
  std::string name;
  std::string phone;  // as typed; E.164 once checked
  bool sms_notifications_enabled = true;
  friend bool operator==(const contractor_details&, const contractor_details&) = default;
};

/// `details` normalised: the name trimmed (required, at most
/// max_contractor_name_code_points, no control character), the phone in
/// E.164 (a number without a country code reads as one of `region`).
/// Errors name the field: `blank_name`/`too_long`/`invalid_text` "name",
/// `invalid_phone` "phone".
[[nodiscard]] expected<contractor_details, directory_error> check_contractor_details(
    const contractor_details& details, std::string_view region);

/// Add a contractor under `id` (chosen by the caller: the stream is named
/// after it).
struct register_contractor {
  std::string id;
  contractor_details details;
};

/// Replace a contractor's details (all of them: a PUT).
struct update_contractor {
  contractor_details details;
};

/// Replace a contractor's preferences; quiet hours as sent ("HH:MM").
struct set_contractor_preferences {
  bool notify_on_assignment = true;
  bool notify_on_route_assignment = true;
  bool notify_on_weather_alert = true;
  std::optional<std::string> quiet_hours_start;
  std::optional<std::string> quiet_hours_end;
};

/// Hold an assignment text until the quiet hours end (see plan_assignment_text).
struct hold_assignment_text {
  held_assignment_text text;
};

/// A held text was handed to the conversation (`message_id`, "" when the
/// conversation refused it: it is not held any longer either way).
struct release_assignment_text {
  std::string external_id;
  std::string message_id;
};

using contractor_command =
    std::variant<register_contractor, update_contractor, set_contractor_preferences,
                 hold_assignment_text, release_assignment_text>;

/// What `decide` reads from outside the state.
struct contractor_context {
  std::string region = "US";  // the tenant's default region for phone numbers
  /// The checked phone belongs to another contractor or a customer of the
  /// tenant (the caller looks it up: the state knows only this contractor).
  bool phone_taken = false;
};

/// The events `command` produces; empty when it changes nothing.
/// - `register_contractor`: `contractor_registered`. The same details again
///   are nothing (a retried POST); other details for a registered id are
///   `already_registered`; `invalid_id`; `phone_taken` (409).
/// - `update_contractor`: `contractor_updated` when the details differ;
///   `not_registered`; `phone_taken` when the phone changes to a taken one.
/// - `set_contractor_preferences`: `contractor_preferences_set` when they
///   differ; `invalid_time` naming `quiet_hours_start`/`quiet_hours_end` for
///   a bound not "HH:MM", only one bound, or both the same.
/// - `hold_assignment_text`: `assignment_text_held` unless held already.
/// - `release_assignment_text`: `assignment_text_released` for a held one,
///   else nothing.
[[nodiscard]] expected<std::vector<events::event>, directory_error> decide(
    const contractor_state& state, const contractor_command& command,
    const contractor_context& context);

/// Applies one event of the contractor's stream; `version` grows by one for
/// every event.
void evolve(contractor_state& state, const events::event& event);

}  // namespace fl::domain
