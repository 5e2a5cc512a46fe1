#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::projections {

/// A customer as `/customers` shows it. `opted_out` is the consent of the
/// conversation with `phone` (not the customer's stream's business).
struct customer_record {
  std::string id;
  std::string first_name, last_name;
  std::string phone;  // E.164
  std::string address;
  bool opted_out = false;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const customer_record&, const customer_record&) = default;
};

/// A technician's latest location fix (by the device's clock).
struct technician_fix {
  double lat = 0;
  double lon = 0;
  std::int64_t recorded_at_us = 0;
  std::optional<double> speed_mps;
  friend bool operator==(const technician_fix&, const technician_fix&) = default;
};

/// A technician as `/technicians` shows it.
struct technician_record {
  std::string id;
  std::string first_name, last_name;
  std::string phone;
  std::string status = "available";   // available, enroute, on_site, complete
  std::optional<std::string> job_id;  // the job the status is about
  std::optional<technician_fix> location;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const technician_record&, const technician_record&) = default;
};

/// One customer notification a job fired, and what became of it.
struct job_notification {
  std::string trigger;               // scheduled, reminder, enroute, 15_min, arrived, complete
  std::string status = "pending";    // pending, queued, skipped, superseded
  std::int64_t scheduled_at_us = 0;  // the appointment time it fired for
  std::int64_t fired_at_us = 0;      // when notification_triggered was recorded
  std::optional<std::int64_t> held_until_us;
  std::optional<std::int64_t> eta_minutes;
  std::optional<std::string> technician_id;
  bool by_hand = false;
  std::optional<std::string> message_id;  // queued: the text in the conversation
  std::optional<std::string> reason;      // skipped: why
  friend bool operator==(const job_notification&, const job_notification&) = default;
};

/// A job as `/jobs` shows it.
struct job_record {
  std::string id;
  std::string customer_id;
  std::optional<std::string> technician_id;
  std::string address;
  std::optional<double> lat, lon;  // both or neither
  std::int64_t scheduled_at_us = 0;
  std::string status = "unassigned";
  std::optional<std::string> invoice_link;
  std::vector<job_notification> notifications;  // in firing order
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const job_record&, const job_record&) = default;
};

std::string encode(const customer_record& c);
std::string encode(const technician_record& t);
std::string encode(const job_record& j);
/// Nullopt if `bytes` is not such a record.
std::optional<customer_record> decode_customer(std::string_view bytes);
std::optional<technician_record> decode_technician(std::string_view bytes);
std::optional<job_record> decode_job(std::string_view bytes);

/// The customer ids that have a phone (the phone index), sorted.
std::string encode_ids(const std::vector<std::string>& ids);
std::vector<std::string> decode_ids(std::string_view bytes);

}  // namespace fl::projections
