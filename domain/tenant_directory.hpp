#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/secret.hpp"
#include "base/timestamp.hpp"
#include "events/tenant_events.hpp"

namespace fl::domain {

/// A service company using fieldline, as its `tenant_created` event made it.
struct tenant {
  std::string id;
  std::string name;
  std::string timezone;  // IANA
  std::string region;    // default region for phone numbers, e.g. "US"
  std::vector<events::sender_number> numbers;
  std::optional<std::string> messaging_service_sid;
  std::optional<std::string> twilio_account_sid;
  std::optional<secret> twilio_auth_token;
  std::string api_token_sha256;
  fl::timestamp created_at;
  // The compliance replies its conversations send (STOP, START, HELP); the
  // defaults until the SMS settings make them editable.
  std::string opt_out_message;
  std::string opt_in_message;
  std::string help_message;

  /// The number texts go from when a conversation has none yet.
  const std::string& default_sender() const { return numbers.front().number; }
};

/// Fills the tenant's default STOP/START/HELP replies from its name.
void set_default_compliance_texts(tenant& t);

/// Every tenant, looked up by id, by one of its numbers, by its Messaging
/// Service or by the hash of its API token. Built by folding `tenant_created`
/// events, so it is rebuilt from the log at start.
///
/// Thread safety: all members may be called from any thread; lookups answer
/// immutable snapshots.
class tenant_directory {
 public:
  using tenant_ptr = std::shared_ptr<const tenant>;

  /// Adds the tenant the event created; an id seen before is ignored (the
  /// event may be applied both by its writer and by a replay).
  void apply(const events::tenant_created& e, fl::timestamp recorded_at);

  tenant_ptr by_id(std::string_view id) const;
  /// The tenant owning `e164` as one of its sender numbers.
  tenant_ptr by_number(std::string_view e164) const;
  tenant_ptr by_messaging_service(std::string_view sid) const;
  tenant_ptr by_token_hash(std::string_view sha256_hex) const;
  /// All tenants, oldest first.
  std::vector<tenant_ptr> all() const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<tenant_ptr> ordered_;
  std::unordered_map<std::string, tenant_ptr> by_id_;
  std::unordered_map<std::string, tenant_ptr> by_number_;
  std::unordered_map<std::string, tenant_ptr> by_service_;
  std::unordered_map<std::string, tenant_ptr> by_token_;
};

}  // namespace fl::domain
