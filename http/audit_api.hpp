#pragma once

// The audit routes of api.md: a tenant reads its own events straight from
// the log (not from the projections), with their hashes, and checks the chain.

#include <functional>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"
#include "storage/event_store.hpp"

namespace fl::http {

struct audit_api_deps {
  const domain::tenant_directory* tenants = nullptr;
  const storage::event_store* store = nullptr;
  /// Whether the tenant's projections equal a fresh rebuild from the log; an
  /// error when that cannot be checked now. Absent: `projections_ok` is null.
  std::function<fl::expected<bool, std::string>(std::string_view tenant_id)> verify_projections;
};

/// `GET /api/v1/audit/streams/{stream}?as_of=&limit=&cursor=`: the tenant's
/// events of the stream in version order, and the state the stream's actor
/// had at `as_of`. `encoded_stream` is the path segment as received.
void handle_audit_stream(const audit_api_deps& deps, const request_view& req,
                         std::string_view encoded_stream, respond_fn respond);

/// `GET /api/v1/audit/log?from=&limit=` (`cursor=` is `from`): the tenant's
/// events in log order.
void handle_audit_log(const audit_api_deps& deps, const request_view& req, respond_fn respond);

/// `GET /api/v1/audit/verify`: the hash chain and the tenant's projections.
void handle_audit_verify(const audit_api_deps& deps, const request_view& req, respond_fn respond);

}  // namespace fl::http
