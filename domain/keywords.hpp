#pragma once

#include <cstdint>
#include <string_view>

namespace fl::domain {

/// What an inbound text means to the carrier-compliance layer.
enum class compliance_keyword : std::uint8_t { none, opt_out, opt_in, help };

std::string_view to_string(compliance_keyword k);

/// Classifies a text as Twilio's default keyword handling does: only when the
/// whole message, trimmed and compared case-insensitively, is one keyword.
/// Opt-out: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT.
/// Opt-in: START, YES, UNSTOP. Help: HELP, INFO. "STOP 12345" and "please
/// stop by" are `none`.
compliance_keyword classify_keyword(std::string_view body);

}  // namespace fl::domain
