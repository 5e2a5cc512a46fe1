#pragma once

#include <functional>
#include <optional>
#include <string>

#include "actors/messaging_runtime.hpp"
#include "actors/ticket_runtime.hpp"
#include "base/expected.hpp"
#include "base/secret.hpp"
#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::http {

/// Who an inbound text's number is to the tenant's directory.
struct sender_identity {
  std::optional<std::string> contractor_id;  // a contractor: the text goes to the ticket session
  bool registered = false;                   // a contractor or a customer of the tenant
};

/// Looks `phone` (E.164) up in `tenant`'s directory; an error when the
/// directory cannot be read.
using identify_fn = std::function<expected<sender_identity, std::string>(const std::string& tenant,
                                                                         const std::string& phone)>;

/// What the Twilio-facing endpoints need.
struct twilio_endpoint_deps {
  std::string public_url;  // FIELDLINE_PUBLIC_URL, no trailing slash
  /// TWILIO_AUTH_TOKEN: checks signatures for tenants without their own token.
  std::optional<secret> default_auth_token;
  const domain::tenant_directory* tenants = nullptr;
  actors::messaging_runtime* runtime = nullptr;
  /// Contractors' texts go on to their ticket session. Without `identify`
  /// every text stays its conversation's alone.
  identify_fn identify;
  actors::ticket_runtime* tickets = nullptr;
  /// Counts each webhook by kind ("inbound", "status") and outcome.
  std::function<void(std::string_view kind, std::string_view outcome)> count;
};

/// `POST /sms/webhook`: verifies, routes to the conversation's actor, and
/// answers the empty TwiML only once the inbound event is durable. A form
/// with `MessageStatus` and no `Body` is a status callback.
///
/// A contractor's text then goes to their ticket session, and the answer
/// waits for the session's events and replies (a failure is a 503, so
/// Twilio retries and the session, knowing the MessageSid, finishes what
/// it had not). A number the directory does not know gets one short "not
/// registered" text, ever (its external id is the number).
void handle_inbound_webhook(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond);

/// `POST /sms/status`: verifies and records a delivery status (monotonic).
void handle_status_callback(const twilio_endpoint_deps& deps, const request_view& req,
                            respond_fn respond);

}  // namespace fl::http
