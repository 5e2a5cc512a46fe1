#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/expected.hpp"
#include "base/secret.hpp"
#include "domain/tenant_directory.hpp"
#include "storage/event_store.hpp"

namespace fl::tenants {

/// What the operator gives to create a tenant (api.md `POST /tenants`).
struct new_tenant {
  std::string name;
  std::string timezone;  // IANA name, checked against tzdata
  /// As typed, each with its own rate if given; the first is the default sender.
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> phone_numbers;
  std::optional<std::string> region;  // Default: "US"
  std::optional<std::string> messaging_service_sid;
  std::optional<std::string> twilio_account_sid;
  std::optional<secret> twilio_auth_token;
  /// For numbers without their own. Default: 1 (a long code).
  std::optional<std::int64_t> max_per_second;
};

/// Why a tenant was not created. Numbers are pinned.
enum class tenant_errc : std::uint8_t { invalid_field = 1, number_taken = 2, unavailable = 3 };
std::string_view to_string(tenant_errc code);

struct tenant_error {
  tenant_errc code;
  std::string field;  // the offending request field, when there is one
  std::string message;
};

struct created_tenant {
  domain::tenant_directory::tenant_ptr tenant;
  std::string api_token;  // shown once; only its SHA-256 is stored
  std::uint64_t position = 0;
};

/// The stream holding every `tenant_created` event (each appended under its
/// own tenant, so a tenant's audit shows its creation).
inline constexpr std::string_view tenants_stream = "tenants";

/// The SHA-256 (lowercase hex) under which an API token is looked up.
std::string token_hash(std::string_view token);

/// Creates tenants and keeps the directory equal to the log.
///
/// Thread safety: `create` may be called from any thread; creations are
/// serialized so two requests cannot claim one number.
class tenant_service {
 public:
  tenant_service(storage::event_store& store, domain::tenant_directory& directory);

  /// Reads every tenant from the log into the directory (at start).
  expected<void, std::string> load();

  /// Validates, appends `tenant_created` durably, then adds it to the
  /// directory. Every field error names the field.
  expected<created_tenant, tenant_error> create(const new_tenant& request);

 private:
  storage::event_store& store_;
  domain::tenant_directory& directory_;
  std::mutex create_mutex_;
};

}  // namespace fl::tenants
