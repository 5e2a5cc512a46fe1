#pragma once

// The contractor directory of the winter-service side: contractors
// (`contractor:<tenant>:<id>`) and the properties they are assigned to
// (`property:<tenant>:<id>`). Times are microseconds since the Unix epoch
// (UTC), as the record envelope's `recorded_at_us`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::events {

/// A contractor (a snow crew's driver, a subcontractor) was added to the
/// tenant's directory. The id is in the event so that a stream read alone
/// says whose it is. Preferences start at the seed's defaults (every
/// notification on, no quiet hours) until `contractor_preferences_set`.
/// v1: first version.
struct contractor_registered {
  static constexpr std::string_view type_name = "contractor_registered";
  static constexpr int schema_version = 1;

  std::string contractor_id;
  std::string name;
  std::string phone;  // E.164, no other contractor's nor customer's of the tenant
  bool sms_notifications_enabled = true;
  friend bool operator==(const contractor_registered&, const contractor_registered&) = default;
};

/// A contractor's details were edited: all of them, as they now are.
/// v1: first version.
struct contractor_updated {
  static constexpr std::string_view type_name = "contractor_updated";
  static constexpr int schema_version = 1;

  std::string name;
  std::string phone;  // E.164
  bool sms_notifications_enabled = true;
  friend bool operator==(const contractor_updated&, const contractor_updated&) = default;
};

/// A contractor's notification preferences were set: all of them, as they
/// now are. Quiet hours are "HH:MM" on the tenant's wall clock, both or
/// neither; start > end crosses midnight.
/// v1: first version.
struct contractor_preferences_set {
  static constexpr std::string_view type_name = "contractor_preferences_set";
  static constexpr int schema_version = 1;

  bool notify_on_assignment = true;
  bool notify_on_route_assignment = true;
  bool notify_on_weather_alert = true;
  std::optional<std::string> quiet_hours_start;
  std::optional<std::string> quiet_hours_end;
  friend bool operator==(const contractor_preferences_set&,
                         const contractor_preferences_set&) = default;
};

/// The assignment text fell in the contractor's quiet hours: it waits on
/// the contractor's stream until `release_at_us`, then goes out under
/// `external_id` (so a release repeated after a restart queues it once).
/// v1: first version.
struct assignment_text_held {
  static constexpr std::string_view type_name = "assignment_text_held";
  static constexpr int schema_version = 1;

  std::string external_id;  // "assign:<property>:<contractor>:<µs>"
  std::string property_id;
  std::string body;
  std::int64_t release_at_us = 0;
  friend bool operator==(const assignment_text_held&, const assignment_text_held&) = default;
};

/// A held assignment text was queued in the contractor's conversation.
/// v1: first version.
struct assignment_text_released {
  static constexpr std::string_view type_name = "assignment_text_released";
  static constexpr int schema_version = 1;

  std::string external_id;
  std::string message_id;  // the queued text; "" when the conversation refused it
  friend bool operator==(const assignment_text_released&,
                         const assignment_text_released&) = default;
};

/// A property (a lot a crew plows and salts) was added to the directory.
/// v1: first version.
struct property_registered {
  static constexpr std::string_view type_name = "property_registered";
  static constexpr int schema_version = 1;

  std::string property_id;
  std::string name;
  std::string address;
  friend bool operator==(const property_registered&, const property_registered&) = default;
};

/// A contractor was assigned to the property (on the property's stream).
/// Assigning one already assigned records nothing.
/// v1: first version.
struct contractor_assigned {
  static constexpr std::string_view type_name = "contractor_assigned";
  static constexpr int schema_version = 1;

  std::string property_id;
  std::string contractor_id;
  friend bool operator==(const contractor_assigned&, const contractor_assigned&) = default;
};

/// A contractor was taken off the property (on the property's stream): it
/// no longer lists it at START. Its tickets there stay as they are.
/// Removing one not assigned records nothing.
/// v1: first version.
struct contractor_unassigned {
  static constexpr std::string_view type_name = "contractor_unassigned";
  static constexpr int schema_version = 1;

  std::string property_id;
  std::string contractor_id;
  friend bool operator==(const contractor_unassigned&, const contractor_unassigned&) = default;
};

}  // namespace fl::events
