#pragma once

// The frozen stored format of the notification, SMS settings and template
// events, v1. Keys in ascending order.

#include "events/field_table.hpp"
#include "events/notification_events.hpp"

namespace fl::events {

constexpr auto fields(std::type_identity<notification_triggered>) {
  return std::tuple{field("by_hand", &notification_triggered::by_hand),
                    field("eta_minutes", &notification_triggered::eta_minutes),
                    field("held_until_us", &notification_triggered::held_until_us),
                    field("job_id", &notification_triggered::job_id),
                    field("scheduled_at_us", &notification_triggered::scheduled_at_us),
                    field("technician_id", &notification_triggered::technician_id),
                    field("trigger", &notification_triggered::trigger)};
}

constexpr auto fields(std::type_identity<notification_queued>) {
  return std::tuple{field("job_id", &notification_queued::job_id),
                    field("message_id", &notification_queued::message_id),
                    field("trigger", &notification_queued::trigger)};
}

constexpr auto fields(std::type_identity<notification_skipped>) {
  return std::tuple{field("job_id", &notification_skipped::job_id),
                    field("reason", &notification_skipped::reason),
                    field("trigger", &notification_skipped::trigger)};
}

constexpr auto fields(std::type_identity<trigger_switches>) {
  return std::tuple{field("15_min", &trigger_switches::fifteen_min),
                    field("arrived", &trigger_switches::arrived),
                    field("complete", &trigger_switches::complete),
                    field("enroute", &trigger_switches::enroute),
                    field("reminder", &trigger_switches::reminder),
                    field("scheduled", &trigger_switches::scheduled)};
}

constexpr auto fields(std::type_identity<sms_settings_changed>) {
  return std::tuple{field("enabled", &sms_settings_changed::enabled),
                    field("geofence_radius_m", &sms_settings_changed::geofence_radius_m),
                    field("opt_out_message", &sms_settings_changed::opt_out_message),
                    field("quiet_hours_end", &sms_settings_changed::quiet_hours_end),
                    field("quiet_hours_start", &sms_settings_changed::quiet_hours_start),
                    field("reminder_hour", &sms_settings_changed::reminder_hour),
                    field("triggers", &sms_settings_changed::triggers)};
}

constexpr auto fields(std::type_identity<sms_template_saved>) {
  return std::tuple{field("body", &sms_template_saved::body),
                    field("enabled", &sms_template_saved::enabled),
                    field("name", &sms_template_saved::name),
                    field("template_id", &sms_template_saved::template_id),
                    field("trigger", &sms_template_saved::trigger)};
}

constexpr auto fields(std::type_identity<sms_template_deleted>) {
  return std::tuple{field("template_id", &sms_template_deleted::template_id)};
}

static_assert(canonical_order(fields(std::type_identity<notification_triggered>{})));
static_assert(canonical_order(fields(std::type_identity<notification_queued>{})));
static_assert(canonical_order(fields(std::type_identity<notification_skipped>{})));
static_assert(canonical_order(fields(std::type_identity<trigger_switches>{})));
static_assert(canonical_order(fields(std::type_identity<sms_settings_changed>{})));
static_assert(canonical_order(fields(std::type_identity<sms_template_saved>{})));
static_assert(canonical_order(fields(std::type_identity<sms_template_deleted>{})));

}  // namespace fl::events
