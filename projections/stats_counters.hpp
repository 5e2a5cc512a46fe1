#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::projections {

/// What happened to a tenant's messages in one local day or month.
struct stats_counters {
  std::uint64_t sent = 0;       // accepted by the provider (`sms_sent`)
  std::uint64_t received = 0;   // inbound
  std::uint64_t delivered = 0;  // final status delivered
  std::uint64_t failed = 0;     // final status failed/undelivered, or never sent
  friend bool operator==(const stats_counters&, const stats_counters&) = default;
};

std::string encode(const stats_counters& c);
stats_counters decode_counters(std::string_view bytes);  // zeros if malformed

}  // namespace fl::projections
