#pragma once

// A job as its stream (`job:<tenant>:<id>`) made it: the appointment, its
// technician and status, and which customer notifications it has fired.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/timestamp.hpp"
#include "domain/geo.hpp"
#include "domain/sms_trigger.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// Where a job is. `unassigned` until a technician is assigned, then
/// `scheduled`; `enroute`, `on_site` and `complete` follow its technician;
/// `cancelled` by hand. `complete` and `cancelled` are closed.
enum class job_status : std::uint8_t {
  unassigned,
  scheduled,
  enroute,
  on_site,
  complete,
  cancelled
};

/// "unassigned", "scheduled", "enroute", "on_site", "complete", "cancelled".
std::string_view to_string(job_status s);
std::optional<job_status> parse_job_status(std::string_view name);

/// Which automated notifications a job has fired, each with the appointment
/// time it fired for (a reschedule re-arms the reminder, and only it).
class fired_notifications {
 public:
  /// The appointment time `t` fired for, or nullopt if it never fired (and
  /// always for `manual` and `reply`, which are not recorded here).
  std::optional<fl::timestamp> fired_for(sms_trigger t) const;
  bool fired(sms_trigger t) const { return fired_for(t).has_value(); }
  void record(sms_trigger t, fl::timestamp scheduled_at);
  friend bool operator==(const fired_notifications&, const fired_notifications&) = default;

 private:
  // Indexed by the automated triggers' enum values (scheduled .. complete).
  std::array<std::optional<fl::timestamp>, 6> fired_for_{};
};

/// A notification that fired and whose text is not queued in the customer's
/// conversation yet (`notification_queued` or `notification_skipped` ends it).
struct pending_notification {
  sms_trigger trigger = sms_trigger::scheduled;
  fl::timestamp scheduled_at;  // the appointment time it fired for
  std::optional<std::string> technician_id;
  std::optional<int> eta_minutes;
  std::optional<fl::timestamp> held_until;  // quiet hours: not before this
  bool by_hand = false;
  friend bool operator==(const pending_notification&, const pending_notification&) = default;
};

struct job_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  std::string id;             // "" until created
  std::string customer_id;
  std::string address;
  std::optional<geo_point> location;  // where the geofence and ETAs aim; none if unknown
  fl::timestamp scheduled_at;
  std::optional<std::string> invoice_link;
  std::optional<std::string> technician_id;
  job_status status = job_status::unassigned;
  fired_notifications fired;
  std::vector<pending_notification> pending;  // at most one per trigger, oldest first

  bool created() const { return !id.empty(); }
  bool closed() const { return status == job_status::complete || status == job_status::cancelled; }
  friend bool operator==(const job_state&, const job_state&) = default;
};

/// Applies one event of the job's stream. `notification_triggered` records
/// the trigger as fired for its appointment time and adds it to `pending`
/// (replacing one of the same trigger); `notification_queued` and
/// `notification_skipped` take it off. Other events change nothing but
/// `version`, which grows by one for every event.
void evolve(job_state& state, const events::event& event);

/// The pending notifications that may go out at `now` (not held, or held
/// until `now` or earlier), oldest first.
std::vector<pending_notification> due_notifications(const job_state& state, fl::timestamp now);

/// When the next held notification may go out, for the actor's timer; none
/// when nothing is held.
std::optional<fl::timestamp> next_release_at(const job_state& state);

/// Why a pending notification should no longer be texted, as the
/// `notification_skipped` reason: "cancelled" when the job was cancelled
/// since; "rescheduled" for a reminder of an appointment time that is no
/// longer the job's. Nullopt when it should still go.
std::optional<std::string_view> stale_reason(const job_state& state, const pending_notification& n);

}  // namespace fl::domain
