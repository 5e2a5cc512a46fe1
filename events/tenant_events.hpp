#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::events {

/// One phone number a tenant sends from, with its carrier throughput.
struct sender_number {
  std::string number;               // E.164
  std::int64_t max_per_second = 1;  // Twilio long code: 1 message a second
  friend bool operator==(const sender_number&, const sender_number&) = default;
};

/// A tenant (a service company) was created by the operator. Its Twilio auth
/// token is kept in the log because webhook signatures must still verify after
/// a restart; audit exports must redact `twilio_auth_token` (a read-side
/// concern). The tenant's API token itself is never stored, only its hash.
/// v1: first version.
struct tenant_created {
  static constexpr std::string_view type_name = "tenant_created";
  static constexpr int schema_version = 1;

  std::string tenant_id;  // "tn_..."
  std::string name;
  std::string timezone;  // IANA, e.g. "America/Chicago"
  std::string region;    // default region for phone parsing, e.g. "US"
  std::vector<sender_number> numbers;
  std::optional<std::string> messaging_service_sid;
  std::optional<std::string> twilio_account_sid;
  std::optional<std::string> twilio_auth_token;
  std::string api_token_sha256;  // lowercase hex SHA-256 of the tenant's API token
  friend bool operator==(const tenant_created&, const tenant_created&) = default;
};

}  // namespace fl::events
