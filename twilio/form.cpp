#include "twilio/form.hpp"

#include "base/hex.hpp"
#include "base/utf8.hpp"

namespace fl::twilio {

namespace {

// The field as it appears in the body, shortened so a hostile body cannot
// make the message huge.
std::string field_label(std::string_view segment) {
  std::string_view name = segment.substr(0, segment.find('='));
  constexpr std::size_t max_len = 64;
  std::string label(name.substr(0, max_len));
  if (name.size() > max_len) label += "...";
  return label;
}

std::optional<std::string> decode_component(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_digit_value(in[i + 1]);
      int lo = hex_digit_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(form_errc code) {
  switch (code) {
    case form_errc::malformed_escape:
      return "malformed_escape";
    case form_errc::invalid_utf8:
      return "invalid_utf8";
  }
  return "unknown";
}

expected<form_fields, form_error> parse_form(std::string_view body) {
  form_fields fields;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view segment = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (segment.empty()) continue;
    std::size_t eq = segment.find('=');
    auto name = decode_component(segment.substr(0, eq));
    auto value = decode_component(eq == std::string_view::npos ? std::string_view{}
                                                               : segment.substr(eq + 1));
    if (!name || !value)
      return unexpected{
          form_error{form_errc::malformed_escape,
                     "malformed percent-escape in form field '" + field_label(segment) + "'"}};
    if (!is_valid_utf8(*name) || !is_valid_utf8(*value))
      return unexpected{form_error{form_errc::invalid_utf8,
                                   "form field '" + field_label(segment) + "' is not valid UTF-8"}};
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::optional<std::string_view> first(const form_fields& fields, std::string_view name) {
  for (const auto& [n, v] : fields)
    if (n == name) return std::string_view{v};
  return std::nullopt;
}

std::string encode_form(const form_fields& fields) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  auto encode = [&](std::string_view s) {
    for (char c : s) {
      bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
      if (unreserved) {
        out += c;
      } else {
        auto b = static_cast<unsigned char>(c);
        out += '%';
        out += hex[b >> 4];
        out += hex[b & 0x0F];
      }
    }
  };
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    encode(name);
    out += '=';
    encode(value);
  }
  return out;
}

}  // namespace fl::twilio
