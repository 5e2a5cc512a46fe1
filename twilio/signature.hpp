#pragma once

#include <string>
#include <string_view>

#include "base/secret.hpp"
#include "twilio/form.hpp"

namespace fl::twilio {

/// The `X-Twilio-Signature` Twilio sends for a POST of `params` to `url`,
/// computed as Twilio's helper libraries do (node `getExpectedTwilioSignature`):
/// base64(HMAC-SHA1(auth_token, url + name1 + value1 + ...)) with the fields
/// sorted by name in UTF-16 code-unit order (JavaScript's `sort()`). A repeated
/// name contributes its distinct values, sorted the same way, each preceded by
/// the name: `A=2&A=1&A=2` signs as `A1A2`. Thread-safe (pure).
std::string compute_signature(const secret& auth_token, std::string_view url,
                              const form_fields& params);

/// True if `signature_header` is the signature of `params` posted to `url`, or
/// to `url` with its port removed, or with the scheme's default port (`:443`
/// for https, else `:80`) added when it has none — the URL forms Twilio's
/// `validateRequest` accepts. The comparison is constant-time. A missing
/// (empty) header never validates.
[[nodiscard]] bool validate_signature(const secret& auth_token, std::string_view signature_header,
                                      std::string_view url, const form_fields& params);

/// `url` with its port removed (any port), as node's `removePort`; unchanged
/// if it has no `scheme://`.
std::string url_without_port(std::string_view url);

/// `url` with the scheme's default port added if it has none, as node's
/// `addPort`; unchanged if it has a port or no `scheme://`.
std::string url_with_default_port(std::string_view url);

}  // namespace fl::twilio
