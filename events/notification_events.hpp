#pragma once

// Customer notifications: which automated texts a job has triggered (on the
// job's stream), and the tenant's SMS settings (`sms-settings:<tenant>`) and
// templates (`sms-templates:<tenant>`). Times are microseconds since the Unix
// epoch (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::events {

/// A customer notification fired for a job: the at-most-once record. A job
/// has at most one of each trigger, except `reminder`: at most one per
/// appointment time (`scheduled_at_us`), so a rescheduled job gets a new one.
/// The text itself is queued in the customer's conversation afterwards
/// (`notification_queued`), at once or, when quiet hours hold it, at
/// `held_until_us`.
/// v1: first version.
struct notification_triggered {
  static constexpr std::string_view type_name = "notification_triggered";
  static constexpr int schema_version = 1;

  std::string job_id;
  std::string trigger;               // scheduled, reminder, enroute, 15_min, arrived, complete
  std::int64_t scheduled_at_us = 0;  // the job's appointment time when it fired
  std::optional<std::string> technician_id;  // the job's technician when it fired
  // enroute and 15_min, when the technician has a fix and the job a place.
  std::optional<std::int64_t> eta_minutes;
  std::optional<std::int64_t> held_until_us;  // quiet hours: not to be sent before this
  bool by_hand = false;                       // POST /sms/trigger/{type}, not the automation
  friend bool operator==(const notification_triggered&, const notification_triggered&) = default;
};

/// A triggered notification's text was queued in the customer's
/// conversation (its `sms_queued` has `message_id`): the job's part is done.
/// v1: first version.
struct notification_queued {
  static constexpr std::string_view type_name = "notification_queued";
  static constexpr int schema_version = 1;

  std::string job_id;
  std::string trigger;
  std::string message_id;
  friend bool operator==(const notification_queued&, const notification_queued&) = default;
};

/// A triggered notification will not be texted, for `reason`: "opted_out"
/// (the customer opted out meanwhile), "no_template" (no enabled template
/// for the trigger), "render_failed" (a variable had no value), ...
/// v1: first version.
struct notification_skipped {
  static constexpr std::string_view type_name = "notification_skipped";
  static constexpr int schema_version = 1;

  std::string job_id;
  std::string trigger;
  std::string reason;
  friend bool operator==(const notification_skipped&, const notification_skipped&) = default;
};

/// Which automated notifications are switched on ("15_min" on the wire).
struct trigger_switches {
  bool scheduled = true;
  bool reminder = true;
  bool enroute = true;
  bool fifteen_min = true;
  bool arrived = true;
  bool complete = true;
  friend bool operator==(const trigger_switches&, const trigger_switches&) = default;
};

/// A tenant changed its SMS settings: all of them, as they now are. Before
/// the first one a tenant has the defaults.
/// v1: first version.
struct sms_settings_changed {
  static constexpr std::string_view type_name = "sms_settings_changed";
  static constexpr int schema_version = 1;

  bool enabled = true;
  trigger_switches triggers;
  std::int64_t reminder_hour = 18;
  std::string opt_out_message;
  std::optional<std::string> quiet_hours_start;  // "HH:MM" tenant-local; both or neither
  std::optional<std::string> quiet_hours_end;
  std::int64_t geofence_radius_m = 150;
  friend bool operator==(const sms_settings_changed&, const sms_settings_changed&) = default;
};

/// A notification template was created, edited, enabled or disabled (also
/// by seeding the defaults): all its fields, as they now are.
/// v1: first version.
struct sms_template_saved {
  static constexpr std::string_view type_name = "sms_template_saved";
  static constexpr int schema_version = 1;

  std::string template_id;
  std::optional<std::string> trigger;  // what it texts for; none: kept for manual use
  std::string name;
  std::string body;
  bool enabled = true;
  friend bool operator==(const sms_template_saved&, const sms_template_saved&) = default;
};

/// A notification template was deleted.
/// v1: first version.
struct sms_template_deleted {
  static constexpr std::string_view type_name = "sms_template_deleted";
  static constexpr int schema_version = 1;

  std::string template_id;
  friend bool operator==(const sms_template_deleted&, const sms_template_deleted&) = default;
};

}  // namespace fl::events
