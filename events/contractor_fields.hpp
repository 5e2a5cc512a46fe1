#pragma once

// The frozen stored format of the contractor directory events, v1. Keys in
// ascending order.

#include "events/contractor_events.hpp"
#include "events/field_table.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<contractor_registered>) {
  return std::tuple{
      field("contractor_id", &contractor_registered::contractor_id),
      field("name", &contractor_registered::name), field("phone", &contractor_registered::phone),
      field("sms_notifications_enabled", &contractor_registered::sms_notifications_enabled)};
}

constexpr auto fields(std::type_identity<contractor_updated>) {
  return std::tuple{
      field("name", &contractor_updated::name), field("phone", &contractor_updated::phone),
      field("sms_notifications_enabled", &contractor_updated::sms_notifications_enabled)};
}

constexpr auto fields(std::type_identity<contractor_preferences_set>) {
  using P = contractor_preferences_set;
  return std::tuple{field("notify_on_assignment", &P::notify_on_assignment),
                    field("notify_on_route_assignment", &P::notify_on_route_assignment),
                    field("notify_on_weather_alert", &P::notify_on_weather_alert),
                    field("quiet_hours_end", &P::quiet_hours_end),
                    field("quiet_hours_start", &P::quiet_hours_start)};
}

constexpr auto fields(std::type_identity<assignment_text_held>) {
  return std::tuple{field("body", &assignment_text_held::body),
                    field("external_id", &assignment_text_held::external_id),
                    field("property_id", &assignment_text_held::property_id),
                    field("release_at_us", &assignment_text_held::release_at_us)};
}

constexpr auto fields(std::type_identity<assignment_text_released>) {
  return std::tuple{field("external_id", &assignment_text_released::external_id),
                    field("message_id", &assignment_text_released::message_id)};
}

constexpr auto fields(std::type_identity<property_registered>) {
  return std::tuple{field("address", &property_registered::address),
                    field("name", &property_registered::name),
                    field("property_id", &property_registered::property_id)};
}

constexpr auto fields(std::type_identity<contractor_assigned>) {
  return std::tuple{field("contractor_id", &contractor_assigned::contractor_id),
                    field("property_id", &contractor_assigned::property_id)};
}

constexpr auto fields(std::type_identity<contractor_unassigned>) {
  return std::tuple{field("contractor_id", &contractor_unassigned::contractor_id),
                    field("property_id", &contractor_unassigned::property_id)};
}

static_assert(canonical_order(fields(std::type_identity<contractor_registered>{})));
static_assert(canonical_order(fields(std::type_identity<contractor_updated>{})));
static_assert(canonical_order(fields(std::type_identity<contractor_preferences_set>{})));
static_assert(canonical_order(fields(std::type_identity<assignment_text_held>{})));
static_assert(canonical_order(fields(std::type_identity<assignment_text_released>{})));
static_assert(canonical_order(fields(std::type_identity<property_registered>{})));
static_assert(canonical_order(fields(std::type_identity<contractor_assigned>{})));
static_assert(canonical_order(fields(std::type_identity<contractor_unassigned>{})));

}  // namespace fl::events
