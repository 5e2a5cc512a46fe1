#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "twilio/rest_client.hpp"

#include "outbound/transport.hpp"

namespace fl::outbound {

/// How far before `queued_at` a provider's `date_created` may lie and still
/// be this message: the provider's clock may be behind ours.
inline constexpr std::chrono::minutes reconcile_clock_skew{1};

/// Which of `candidates` (messages the provider holds) is the one `request`
/// created, if any: same To, same From (not compared when the request goes
/// through a messaging service, whose pool picks the sender), exactly the same
/// Body, created at or after `queued_at` - `reconcile_clock_skew`. Of several,
/// the earliest created at or after `queued_at`; else the latest created
/// before it; a candidate without a creation date comes last. Pure.
///
/// Identical texts to the same person inside that window cannot be told
/// apart: the provider's API takes no idempotency key.
std::optional<std::size_t> pick_sent(const send_request& request,
                                     const std::vector<twilio::found_message>& candidates);

}  // namespace fl::outbound
