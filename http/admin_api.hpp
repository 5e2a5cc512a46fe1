#pragma once

#include <optional>
#include <string>

#include "actors/dispatch_runtime.hpp"
#include "actors/messaging_runtime.hpp"
#include "base/secret.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

#include "tenants/tenant_service.hpp"

namespace fl::http {

/// What the admin API (`/api/v1`) needs.
struct admin_api_deps {
  std::optional<secret> operator_token;  // none: tenant creation disabled
  const domain::tenant_directory* tenants = nullptr;
  tenants::tenant_service* tenant_service = nullptr;
  actors::messaging_runtime* runtime = nullptr;
  /// Finds a customer's phone for `POST /sms/send {customer_id}`; absent:
  /// such sends are 404.
  actors::dispatch_runtime* dispatch = nullptr;
};

/// `POST /api/v1/tenants` (operator token).
void handle_create_tenant(const admin_api_deps& deps, const request_view& req, respond_fn respond);
/// `GET /api/v1/tenants`: every tenant for the operator, only itself for a
/// tenant token.
void handle_list_tenants(const admin_api_deps& deps, const request_view& req, respond_fn respond);
/// `GET /api/v1/tenants/{id}`: any for the operator; for a tenant token its
/// own, and 404 for every other.
void handle_get_tenant(const admin_api_deps& deps, const request_view& req, const std::string& id,
                       respond_fn respond);
/// `POST /api/v1/sms/send` (tenant token): a manual text.
void handle_send_sms(const admin_api_deps& deps, const request_view& req, respond_fn respond);

}  // namespace fl::http
