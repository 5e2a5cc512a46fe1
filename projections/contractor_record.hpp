#pragma once

// The contractor directory's records in the directory projection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::projections {

/// A contractor as `/contractors` shows it, with its preferences and the
/// properties it is assigned to.
struct contractor_record {
  std::string id;
  std::string name;
  std::string phone;  // E.164
  bool sms_notifications_enabled = true;
  bool notify_on_assignment = true;
  bool notify_on_route_assignment = true;
  bool notify_on_weather_alert = true;
  std::optional<std::string> quiet_hours_start;  // "HH:MM" on the tenant's clock
  std::optional<std::string> quiet_hours_end;
  std::vector<std::string> property_ids;  // in assignment order
  std::int64_t held_texts = 0;            // assignment texts waiting for quiet hours to end
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const contractor_record&, const contractor_record&) = default;
};

/// A property as `/properties` shows it.
struct property_record {
  std::string id;
  std::string name;
  std::string address;
  std::vector<std::string> contractor_ids;  // in assignment order
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const property_record&, const property_record&) = default;
};

std::string encode(const contractor_record& c);
std::string encode(const property_record& p);
/// Nullopt if `bytes` is not such a record.
std::optional<contractor_record> decode_contractor(std::string_view bytes);
std::optional<property_record> decode_property(std::string_view bytes);

}  // namespace fl::projections
