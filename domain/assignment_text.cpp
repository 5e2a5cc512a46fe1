#include "domain/assignment_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace fl::domain {

std::string assignment_text(const assignment_property& property) {
  return fmt::format(
      "\U0001F4CD New Assignment!\n\nProperty: {}\nAddress: {}\n\nReply START when you begin "
      "work.\nReply HELP for commands.",
      property.name, property.address);
}

std::string assignment_external_id(std::string_view property_id, std::string_view contractor_id,
                                   fl::timestamp at) {
  return fmt::format("assign:{}:{}:{}", property_id, contractor_id, to_micros(at));
}

assignment_plan plan_assignment_text(const contractor_state& contractor,
                                     const assignment_property& property, fl::timestamp now,
                                     const date::time_zone* zone) {
  assignment_plan plan;
  if (!contractor.registered()) {
    plan.what = assignment_plan::action::skip;
    plan.reason = "not_registered";
    return plan;
  }
  if (!contractor.sms_notifications_enabled) {
    plan.what = assignment_plan::action::skip;
    plan.reason = "notifications_disabled";
    return plan;
  }
  if (!contractor.preferences.notify_on_assignment) {
    plan.what = assignment_plan::action::skip;
    plan.reason = "assignment_notifications_off";
    return plan;
  }
  plan.text = {assignment_external_id(property.id, contractor.id, now), property.id,
               assignment_text(property), now};
  if (auto quiet = contractor.preferences.quiet(); quiet && is_quiet(now, zone, *quiet)) {
    plan.what = assignment_plan::action::hold;
    plan.text.release_at = quiet_ends_at(now, zone, *quiet);
  }
  return plan;
}

std::vector<held_assignment_text> due_assignment_texts(const contractor_state& contractor,
                                                       fl::timestamp now) {
  std::vector<held_assignment_text> out;
  for (const auto& h : contractor.held)
    if (h.release_at <= now) out.push_back(h);
  return out;
}

std::optional<fl::timestamp> next_assignment_release(const contractor_state& contractor) {
  std::optional<fl::timestamp> out;
  for (const auto& h : contractor.held)
    if (!out || h.release_at < *out) out = h.release_at;
  return out;
}

}  // namespace fl::domain
