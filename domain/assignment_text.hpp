#pragma once

// The seed's "New Assignment" text to a contractor, and whether it goes now,
// waits for the end of the contractor's quiet hours, or is not sent.

#include <string>
#include <string_view>
#include <vector>

#include "base/timestamp.hpp"
#include "domain/contractor.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

/// The property an assignment text is about.
struct assignment_property {
  std::string id;
  std::string name;
  std::string address;
};

/// The seed's text: "📍 New Assignment!", the property's name and address,
/// then how to START and get HELP.
std::string assignment_text(const assignment_property& property);

/// "assign:<property>:<contractor>:<µs>": the text's external id, so that a
/// retry or a release repeated after a restart queues it once.
std::string assignment_external_id(std::string_view property_id, std::string_view contractor_id,
                                   fl::timestamp at);

/// What becomes of one assignment text.
struct assignment_plan {
  enum class action { send, hold, skip };
  action what = action::send;
  /// skip: "not_registered", "notifications_disabled" (the contractor's
  /// sms_notifications_enabled is off) or "assignment_notifications_off"
  /// (its notify_on_assignment preference).
  std::string reason;
  held_assignment_text text;  // send and hold; `release_at` is now for send
};

/// The plan at `now`, with the tenant's time zone (UTC when null): skipped
/// when the contractor does not want it, held until the quiet hours end
/// when `now` is inside them, else sent now.
assignment_plan plan_assignment_text(const contractor_state& contractor,
                                     const assignment_property& property, fl::timestamp now,
                                     const date::time_zone* zone);

/// The held texts whose release time is at or before `now`, in holding order.
std::vector<held_assignment_text> due_assignment_texts(const contractor_state& contractor,
                                                       fl::timestamp now);

/// The earliest release time of a held text, if any is held.
std::optional<fl::timestamp> next_assignment_release(const contractor_state& contractor);

}  // namespace fl::domain
