#pragma once

#include <functional>
#include <optional>
#include <string>

#include "actors/messaging_runtime.hpp"
#include "base/secret.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::http {

/// What the Twilio-facing endpoints need.
struct twilio_endpoint_deps {
  std::string public_url;  // FIELDLINE_PUBLIC_URL, no trailing slash
  /// TWILIO_AUTH_TOKEN: checks signatures for tenants without their own token.
  std::optional<secret> default_auth_token;
  const domain::tenant_directory* tenants = nullptr;
  actors::messaging_runtime* runtime = nullptr;
  /// Counts each webhook by kind ("inbound", "status") and outcome.
  std::function<void(std::string_view kind, std::string_view outcome)> count;
};

/// `POST /sms/webhook`: verifies, routes to the conversation's actor, and
/// answers the empty TwiML only once the inbound event is durable. A form
/// with `MessageStatus` and no `Body` is a status callback.
void handle_inbound_webhook(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond);

/// `POST /sms/status`: verifies and records a delivery status (monotonic).
void handle_status_callback(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond);

}  // namespace fl::http
