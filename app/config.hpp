#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/expected.hpp"
#include "base/secret.hpp"

namespace fl::app {

/// The server's configuration (docs: ../shared/docs/api.md, "Binary and
/// configuration").
struct config {
  std::string listen_host = "127.0.0.1";  // Default: loopback.
  std::uint16_t listen_port = 8080;       // Default: 8080.
  std::string data_dir = "./data";        // Default: ./data
  std::string public_url;                 // Default: http://<listen>
  std::optional<secret> operator_token;   // Default: none (tenant creation disabled).
  std::optional<std::string> twilio_account_sid;
  std::optional<secret> twilio_auth_token;
  std::optional<std::string> twilio_phone_number;
  std::string twilio_api_base = "https://api.twilio.com";
  std::string sms_transport = "sandbox";    // Default: twilio with credentials, else sandbox.
  std::optional<secret> anthropic_api_key;  // Default: none (the rules interpreter only).
  std::string anthropic_api_base = "https://api.anthropic.com";
  std::string anthropic_model = "claude-sonnet-4-5";  // Default: claude-sonnet-4-5.
  // Longest wait for Claude's reading of one text, retries included, before
  // the rules answer. Default: 8000 ms.
  std::uint32_t anthropic_timeout_ms = 8000;
};

/// Values given for each setting by one source, keyed by setting name
/// ("listen", "data_dir", "public_url", "operator_token",
/// "twilio_account_sid", "twilio_auth_token", "twilio_phone_number",
/// "twilio_api_base", "sms_transport", "anthropic_api_key",
/// "anthropic_api_base", "anthropic_model", "anthropic_timeout_ms").
using setting_values = std::map<std::string, std::string>;

/// The environment variable of each setting (FIELDLINE_LISTEN, ...).
const std::map<std::string, std::string>& environment_names();

/// Reads the settings present in the environment through `getenv`.
setting_values from_environment(const std::function<const char*(const char*)>& getenv);

/// Reads a JSON config file: an object keyed by setting name. Unknown keys
/// and non-string values are errors (a typo must not be silently ignored).
expected<setting_values, std::string> from_config_file(const std::string& path);

/// Resolves the configuration: flags, then environment, then the file, then
/// defaults; then validates. Errors name the setting and the source.
expected<config, std::string> resolve_config(const setting_values& flags,
                                             const setting_values& environment,
                                             const setting_values& file);

}  // namespace fl::app
