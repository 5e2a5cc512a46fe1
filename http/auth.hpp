#pragma once

// Bearer-token checks shared by the admin, read and audit routes.

#include <optional>
#include <string>
#include <string_view>

#include "base/secret.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::http {

/// The token of an `Authorization: Bearer <token>` header, if there is one.
std::optional<std::string> bearer_token(const request_view& req);

/// Compares digests, so neither length nor content leaks through timing.
bool same_secret(std::string_view given, const secret& expected);

/// The tenant whose API token the request carries; otherwise answers 401
/// itself and returns null.
domain::tenant_directory::tenant_ptr tenant_of(const domain::tenant_directory& tenants,
                                               const request_view& req, const respond_fn& respond);

}  // namespace fl::http
