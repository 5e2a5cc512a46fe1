#pragma once

// The field-service directory: customers, technicians and jobs, each its own
// stream (`customer:<tenant>:<id>`, `technician:<tenant>:<id>`,
// `job:<tenant>:<id>`). Times are microseconds since the Unix epoch (UTC), as
// the record envelope's `recorded_at_us`; positions are WGS 84 degrees.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::events {

/// A customer was added to the tenant's directory. The entity's id is in the
/// event so that a stream read alone says whose it is.
/// v1: first version.
struct customer_registered {
  static constexpr std::string_view type_name = "customer_registered";
  static constexpr int schema_version = 1;

  std::string customer_id;
  std::string first_name;
  std::string last_name;  // may be empty
  std::string phone;      // E.164
  std::string address;    // may be empty
  friend bool operator==(const customer_registered&, const customer_registered&) = default;
};

/// A customer's details were edited: all of them, as they now are (not a
/// patch). Whether the customer opted out of texts is not here: the
/// customer's conversation owns that (`opted_out`, `opted_in`).
/// v1: first version.
struct customer_updated {
  static constexpr std::string_view type_name = "customer_updated";
  static constexpr int schema_version = 1;

  std::string first_name;
  std::string last_name;
  std::string phone;  // E.164
  std::string address;
  friend bool operator==(const customer_updated&, const customer_updated&) = default;
};

/// A technician was added to the tenant's directory; status `available`.
/// v1: first version.
struct technician_registered {
  static constexpr std::string_view type_name = "technician_registered";
  static constexpr int schema_version = 1;

  std::string technician_id;
  std::string first_name;
  std::string last_name;
  std::string phone;  // E.164
  friend bool operator==(const technician_registered&, const technician_registered&) = default;
};

/// A technician's details were edited: all of them, as they now are.
/// v1: first version.
struct technician_updated {
  static constexpr std::string_view type_name = "technician_updated";
  static constexpr int schema_version = 1;

  std::string first_name;
  std::string last_name;
  std::string phone;  // E.164
  friend bool operator==(const technician_updated&, const technician_updated&) = default;
};

/// A technician's status moved: reported (`POST /technicians/{id}/status`),
/// or `on_site` because a location fix fell inside the geofence of the job
/// the technician was en route to (`source` "geofence"). Emitted only for a
/// change: the same status for the same job again records nothing.
/// v1: first version.
struct technician_status_changed {
  static constexpr std::string_view type_name = "technician_status_changed";
  static constexpr int schema_version = 1;

  std::string status;                 // available, enroute, on_site, complete
  std::optional<std::string> job_id;  // the job it is about; none for available
  std::string source;                 // "reported" or "geofence"
  friend bool operator==(const technician_status_changed&,
                         const technician_status_changed&) = default;
};

/// One location report of a technician, as the device sent it: every report
/// is recorded, even one older than the latest (a phone uploading a
/// backlog), which is stored but does not move the technician back.
/// `recorded_at_us` is the device's clock, not the log's.
/// v1: first version.
struct technician_located {
  static constexpr std::string_view type_name = "technician_located";
  static constexpr int schema_version = 1;

  double lat = 0;  // -90..90
  double lon = 0;  // -180..180
  std::int64_t recorded_at_us = 0;
  std::optional<double> speed_mps;  // as reported; none when not, or not usable (negative)
  friend bool operator==(const technician_located&, const technician_located&) = default;
};

/// A job was booked for a customer. It starts unassigned: assignment is
/// always a `job_assigned` event, even when the request named a technician.
/// v1: first version.
struct job_created {
  static constexpr std::string_view type_name = "job_created";
  static constexpr int schema_version = 1;

  std::string job_id;
  std::string customer_id;
  std::string address;
  std::optional<double> lat;  // both or neither: where the geofence and ETAs aim
  std::optional<double> lon;
  std::int64_t scheduled_at_us = 0;
  std::optional<std::string> invoice_link;
  friend bool operator==(const job_created&, const job_created&) = default;
};

/// A job's place or invoice link was edited: all of them, as they now are.
/// The appointment time moves only by `job_rescheduled`.
/// v1: first version.
struct job_updated {
  static constexpr std::string_view type_name = "job_updated";
  static constexpr int schema_version = 1;

  std::string address;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> invoice_link;
  friend bool operator==(const job_updated&, const job_updated&) = default;
};

/// A job's appointment moved. A day-before reminder already sent was for the
/// old time, so the job is due a new one.
/// v1: first version.
struct job_rescheduled {
  static constexpr std::string_view type_name = "job_rescheduled";
  static constexpr int schema_version = 1;

  std::int64_t scheduled_at_us = 0;
  friend bool operator==(const job_rescheduled&, const job_rescheduled&) = default;
};

/// A job was assigned, or reassigned, to a technician.
/// v1: first version.
struct job_assigned {
  static constexpr std::string_view type_name = "job_assigned";
  static constexpr int schema_version = 1;

  std::string technician_id;
  friend bool operator==(const job_assigned&, const job_assigned&) = default;
};

/// A job's status moved: `enroute`, `on_site`, `complete` following its
/// technician's status (`technician_id` set), or `cancelled` (none).
/// v1: first version.
struct job_status_changed {
  static constexpr std::string_view type_name = "job_status_changed";
  static constexpr int schema_version = 1;

  std::string status;  // enroute, on_site, complete, cancelled
  std::optional<std::string> technician_id;
  friend bool operator==(const job_status_changed&, const job_status_changed&) = default;
};

}  // namespace fl::events
