#include "app/config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace fl::app {

const std::map<std::string, std::string>& environment_names() {
  static const std::map<std::string, std::string> names{
      {"listen", "FIELDLINE_LISTEN"},
      {"data_dir", "FIELDLINE_DATA_DIR"},
      {"public_url", "FIELDLINE_PUBLIC_URL"},
      {"operator_token", "FIELDLINE_OPERATOR_TOKEN"},
      {"twilio_account_sid", "TWILIO_ACCOUNT_SID"},
      {"twilio_auth_token", "TWILIO_AUTH_TOKEN"},
      {"twilio_phone_number", "TWILIO_PHONE_NUMBER"},
      {"twilio_api_base", "FIELDLINE_TWILIO_API_BASE"},
      {"sms_transport", "FIELDLINE_SMS_TRANSPORT"},
      {"anthropic_api_key", "ANTHROPIC_API_KEY"},
      {"anthropic_api_base", "FIELDLINE_ANTHROPIC_API_BASE"},
      {"anthropic_model", "FIELDLINE_ANTHROPIC_MODEL"},
      {"anthropic_timeout_ms", "FIELDLINE_ANTHROPIC_TIMEOUT_MS"},
  };
  return names;
}

setting_values from_environment(const std::function<const char*(const char*)>& getenv) {
  setting_values out;
  for (const auto& [name, variable] : environment_names()) {
    if (const char* value = getenv(variable.c_str()); value && *value) out[name] = value;
  }
  return out;
}

expected<setting_values, std::string> from_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return unexpected{std::string("cannot read config file ") + path};
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return unexpected{"config file " + path + " is not a JSON object"};
  setting_values out;
  for (const auto& [key, value] : json.items()) {
    if (!environment_names().contains(key))
      return unexpected{"config file " + path + ": unknown setting \"" + key + "\""};
    if (!value.is_string())
      return unexpected{"config file " + path + ": \"" + key + "\" must be a string"};
    out[key] = value.get<std::string>();
  }
  return out;
}

namespace {

struct sourced {
  std::string value;
  std::string source;
};

std::optional<sourced> pick(const std::string& name, const setting_values& flags,
                            const setting_values& environment, const setting_values& file) {
  if (auto it = flags.find(name); it != flags.end()) return sourced{it->second, "flag"};
  if (auto it = environment.find(name); it != environment.end())
    return sourced{it->second, environment_names().at(name)};
  if (auto it = file.find(name); it != file.end()) return sourced{it->second, "config file"};
  return std::nullopt;
}

bool parse_listen(const std::string& text, std::string& host, std::uint16_t& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

expected<config, std::string> resolve_config(const setting_values& flags,
                                             const setting_values& environment,
                                             const setting_values& file) {
  config c;
  auto get = [&](const std::string& name) { return pick(name, flags, environment, file); };

  if (auto v = get("listen")) {
    if (!parse_listen(v->value, c.listen_host, c.listen_port))
      return unexpected{"listen (" + v->source + "): \"" + v->value + "\" is not host:port"};
  }
  if (auto v = get("data_dir")) {
    if (v->value.empty()) return unexpected{"data_dir (" + v->source + ") is empty"};
    c.data_dir = v->value;
  }
  c.public_url = "http://" + c.listen_host + ":" + std::to_string(c.listen_port);
  for (auto [name, target] :
       {std::pair{"public_url", &c.public_url}, std::pair{"twilio_api_base", &c.twilio_api_base},
        std::pair{"anthropic_api_base", &c.anthropic_api_base}}) {
    if (auto v = get(name)) {
      if (!is_http_url(v->value))
        return unexpected{std::string(name) + " (" + v->source + "): \"" + v->value +
                          "\" is not an http(s) URL"};
      *target = v->value;
      while (target->size() > 1 && target->back() == '/') target->pop_back();
    }
  }
  if (auto v = get("operator_token")) c.operator_token = secret(v->value);
  if (auto v = get("twilio_account_sid")) c.twilio_account_sid = v->value;
  if (auto v = get("twilio_auth_token")) c.twilio_auth_token = secret(v->value);
  if (auto v = get("twilio_phone_number")) c.twilio_phone_number = v->value;
  if (auto v = get("anthropic_api_key")) c.anthropic_api_key = secret(v->value);
  if (auto v = get("anthropic_model")) {
    bool plain = !v->value.empty() && v->value.size() <= 100 &&
                 std::all_of(v->value.begin(), v->value.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                          (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
                          ch == '@' || ch == ':';
                 });
    if (!plain)
      return unexpected{"anthropic_model (" + v->source + "): \"" + v->value +
                        "\" is not a model name"};
    c.anthropic_model = v->value;
  }
  if (auto v = get("anthropic_timeout_ms")) {
    const char* begin = v->value.data();
    const char* end = begin + v->value.size();
    std::uint32_t ms = 0;
    auto [ptr, ec] = std::from_chars(begin, end, ms);
    if (ec != std::errc() || ptr != end || begin == end || ms < 100 || ms > 120000)
      return unexpected{"anthropic_timeout_ms (" + v->source + "): \"" + v->value +
                        "\" is not a number of milliseconds from 100 to 120000"};
    c.anthropic_timeout_ms = ms;
  }

  bool has_twilio = c.twilio_account_sid && c.twilio_auth_token;
  c.sms_transport = has_twilio ? "twilio" : "sandbox";
  if (auto v = get("sms_transport")) {
    if (v->value != "twilio" && v->value != "sandbox")
      return unexpected{"sms_transport (" + v->source + "): \"" + v->value +
                        "\" is neither twilio nor sandbox"};
    if (v->value == "twilio" && !has_twilio)
      return unexpected{
          "sms_transport (" + v->source +
          ") is twilio but TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not both set"};
    c.sms_transport = v->value;
  }
  return c;
}

}  // namespace fl::app
