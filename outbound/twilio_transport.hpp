#pragma once

#include <memory>

#include "twilio/rest_client.hpp"

#include "outbound/transport.hpp"

namespace fl::outbound {

/// The transport through Twilio's REST API (`twilio::rest_client`, whose
/// thread runs the callbacks).
///
/// `send` maps Twilio's answer with `to_send_result`. A request without
/// credentials is refused as permanent. `find_sent` lists the tenant's
/// messages To → From since the day of `queued_at` - 1 minute and picks with
/// `pick_sent` (Body compared exactly).
std::unique_ptr<transport> make_twilio_transport(twilio::rest_options options);

/// 2xx with a sid → accepted; 429 and 5xx → retryable (with Retry-After);
/// any other status → permanent with Twilio's code; no response → retryable;
/// sent without a usable answer → unknown_outcome. Pure.
send_result to_send_result(const twilio::create_result& result);

}  // namespace fl::outbound
