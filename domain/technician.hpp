#pragma once

// A technician of a tenant: one stream (`technician:<tenant>:<id>`) holding
// its details, its status and every location report. Pure decide and
// evolve; the technician actor holds the state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/directory_error.hpp"
#include "domain/geo.hpp"
#include "domain/person_details.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// Where a technician is in a visit.
enum class technician_status : std::uint8_t { available, enroute, on_site, complete };

/// "available", "enroute", "on_site", "complete".
std::string_view to_string(technician_status s);
/// The status of a wire name (exact, case-sensitive), or nullopt.
std::optional<technician_status> parse_technician_status(std::string_view name);

/// A technician as its stream made it.
struct technician_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  std::string id;             // "" until registered
  std::string first_name;
  std::string last_name;
  std::string phone;  // E.164
  technician_status status = technician_status::available;
  // The job the status is about: set by enroute, on_site and complete,
  // cleared by available.
  std::optional<std::string> job_id;
  // The latest fixes, newest last. A fix older than the latest is in the
  // log but not here: it does not move the technician back.
  recent_track track;
  std::uint64_t stale_fixes = 0;  // fixes recorded but older than the latest then
  bool registered() const { return !id.empty(); }
  /// Whether the technician is on the way to job `job`.
  bool en_route_to(std::string_view job) const {
    return status == technician_status::enroute && job_id == job;
  }
};

/// Add a technician under `id` (chosen by the caller). Status: available.
struct register_technician {
  std::string id;
  person_details details;  // `address` unused
};

/// Replace a technician's name and phone (a PUT).
struct update_technician {
  person_details details;  // `address` unused
};

/// A reported status (`POST /technicians/{id}/status`).
struct change_technician_status {
  std::string status;  // wire name; checked by decide
  // The job it is about. When none, enroute, on_site and complete are about
  // the technician's current job; available needs none.
  std::optional<std::string> job_id;
};

/// One location report.
struct record_location {
  double lat = 0;
  double lon = 0;
  std::optional<fl::timestamp> recorded_at;  // the device's clock; none: the context's now
  std::optional<double> speed_mps;
};

using technician_command =
    std::variant<register_technician, update_technician, change_technician_status, record_location>;

/// What `decide` reads from outside the state.
struct technician_context {
  fl::timestamp now;
  std::string region = "US";  // the tenant's default region for phone numbers
  // The place of the job the technician is en route to, if known (the
  // actor looks it up): a fix inside the geofence around it sets the
  // technician on site.
  std::optional<geo_point> destination;
  double geofence_radius_m = 150;  // the tenant's sms_settings
};

/// The events `command` produces; empty when it changes nothing.
/// - `register_technician`: `technician_registered` (details checked as for
///   customers; the address is ignored). A repeat with the same details is
///   nothing; other details are `already_registered`; a bad id `invalid_id`.
/// - `update_technician`: `technician_updated` when the details differ.
/// - `change_technician_status`: `technician_status_changed` (source
///   "reported") when the status or its job differs from the current ones.
///   Errors: `unknown_status`; `invalid_id` for a bad job id; `missing_job`
///   for enroute, on_site or complete with no job named and none current.
/// - `record_location`: `technician_located`, always (out-of-order fixes
///   too); a negative or non-finite speed is recorded as none (iOS reports
///   -1 for "unknown"). When the fix is newer than the latest, the technician
///   is en route and the fix is inside the geofence of `destination`, also
///   `technician_status_changed{on_site, job, "geofence"}`. Error:
///   `invalid_position` (not is_valid_position).
/// Everything but registering a technician is `not_registered` before it.
[[nodiscard]] expected<std::vector<events::event>, directory_error> decide(
    const technician_state& state, const technician_command& command,
    const technician_context& context);

/// Applies one event of the technician's stream: a fix newer than the
/// latest joins the track, an older one only counts in `stale_fixes`. Other
/// events change nothing but `version`, which grows by one for every event.
void evolve(technician_state& state, const events::event& event);

/// The fix a `technician_located` event carries.
location_fix fix_of(const events::technician_located& e);

/// Whether `e` moves the technician of `state` (the state before it): its
/// fix is newer than the latest. Only such a fix is worth telling the job
/// about; an older one is in the log and nowhere else.
bool moves_technician(const technician_state& state, const events::technician_located& e);

}  // namespace fl::domain
