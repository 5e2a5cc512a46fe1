#include "domain/sms_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/utf8.hpp"

namespace fl::domain {

namespace {

constexpr std::array<std::string_view, 7> variable_names{
    "customer_first_name", "company_name", "scheduled_date", "scheduled_time",
    "tech_first_name",     "eta_minutes",  "invoice_link"};

constexpr std::array<default_template, 6> defaults{{
    {sms_trigger::scheduled, "Job Scheduled",
     "Hi {customer_first_name}, {company_name} has you scheduled for {scheduled_date} at "
     "{scheduled_time}. Reply STOP to opt out."},
    {sms_trigger::reminder, "Appointment Reminder",
     "Hi {customer_first_name}, a reminder that your appointment is tomorrow at "
     "{scheduled_time}. See you then! - {company_name}"},
    {sms_trigger::enroute, "Technician En Route",
     "Hi {customer_first_name}, {tech_first_name} is on the way and should arrive in about "
     "{eta_minutes} min."},
    {sms_trigger::fifteen_min, "15 Minute ETA",
     "Hi {customer_first_name}, {tech_first_name} is about 15 minutes away."},
    {sms_trigger::arrived, "Technician Arrived",
     "Hi {customer_first_name}, {tech_first_name} has arrived."},
    {sms_trigger::complete, "Job Complete",
     "Hi {customer_first_name}, your job with {company_name} is complete. Thank you! Your "
     "invoice: {invoice_link}"},
}};

template_error fail(template_errc code, std::string message, std::size_t offset,
                    std::string variable = {}) {
  return template_error{code, std::move(message), std::move(variable), offset};
}

// At most `max` bytes of `s`, never cutting a UTF-8 sequence, for echoing
// what a client sent without echoing all of it.
std::string clip(std::string_view s, std::size_t max = 40) {
  std::size_t end = 0;
  while (end < s.size()) {
    auto step = fl::scan_utf8(s, end).length;
    if (end + step > max) return std::string(s.substr(0, end)) + "...";
    end += step;
  }
  return std::string(s);
}

std::string_view trim_blanks(std::string_view s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto scan = fl::scan_utf8(s, i);
    if (!scan.valid) return i;
    i += scan.length;
  }
  return s.size();
}

}  // namespace

std::span<const std::string_view> known_template_variables() {
  return variable_names;
}

bool is_known_template_variable(std::string_view name) {
  return std::find(variable_names.begin(), variable_names.end(), name) != variable_names.end();
}

bool trigger_supplies(sms_trigger t, std::string_view variable) {
  if (!is_known_template_variable(variable)) return false;
  if (variable == "eta_minutes") return t == sms_trigger::enroute || t == sms_trigger::fifteen_min;
  return true;
}

std::string_view to_string(template_errc code) {
  switch (code) {
    case template_errc::unknown_variable:
      return "unknown_variable";
    case template_errc::unclosed_brace:
      return "unclosed_brace";
    case template_errc::stray_closing_brace:
      return "stray_closing_brace";
    case template_errc::empty_placeholder:
      return "empty_placeholder";
    case template_errc::empty_body:
      return "empty_body";
    case template_errc::too_long:
      return "too_long";
    case template_errc::invalid_utf8:
      return "invalid_utf8";
    case template_errc::missing_value:
      return "missing_value";
    case template_errc::unavailable_variable:
      return "unavailable_variable";
  }
  return "unknown";
}

expected<parsed_template, template_error> parse_template(std::string_view body) {
  if (!fl::is_valid_utf8(body)) {
    auto at = first_invalid_utf8(body);
    return unexpected{fail(template_errc::invalid_utf8,
                           fmt::format("the template is not valid UTF-8 (byte {})", at), at)};
  }
  if (code_points(body) > max_template_code_points)
    return unexpected{fail(
        template_errc::too_long,
        fmt::format("the template is longer than {} characters", max_template_code_points), 0)};
  if (body.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos)
    return unexpected{fail(template_errc::empty_body, "the template is empty", 0)};

  parsed_template out;
  std::size_t literal_from = 0;
  auto add_literal = [&](std::size_t to) {
    if (to > literal_from)
      out.parts.push_back({false, std::string(body.substr(literal_from, to - literal_from))});
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '}')
      return unexpected{fail(template_errc::stray_closing_brace,
                             fmt::format("'}}' at byte {} closes no placeholder", i), i)};
    if (body[i] != '{') continue;
    auto close = body.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || body[close] == '{')
      return unexpected{
          fail(template_errc::unclosed_brace,
               fmt::format("'{{' at byte {} is not closed by '}}' (write a variable as "
                           "{{customer_first_name}}; there is no literal brace)",
                           i),
               i)};
    auto name = trim_blanks(body.substr(i + 1, close - i - 1));
    if (name.empty())
      return unexpected{fail(template_errc::empty_placeholder,
                             fmt::format("empty placeholder at byte {}", i), i)};
    if (!is_known_template_variable(name)) {
      std::string known;
      for (auto v : variable_names) known += (known.empty() ? "" : ", ") + std::string(v);
      return unexpected{
          fail(template_errc::unknown_variable,
               fmt::format("unknown variable {{{}}} at byte {}; known: {}", clip(name), i, known),
               i, clip(name))};
    }
    add_literal(i);
    out.parts.push_back({true, std::string(name)});
    if (std::find(out.variables.begin(), out.variables.end(), name) == out.variables.end())
      out.variables.emplace_back(name);
    i = close;
    literal_from = close + 1;
  }
  add_literal(body.size());
  return out;
}

expected<void, template_error> check_variables_for(const parsed_template& t, sms_trigger trigger) {
  for (const auto& v : t.variables)
    if (!trigger_supplies(trigger, v))
      return unexpected{
          fail(template_errc::unavailable_variable,
               fmt::format("a {} text has no value for {{{}}}", to_string(trigger), v), 0, v)};
  return {};
}

expected<std::string, template_error> render(const parsed_template& t,
                                             const template_variables& values) {
  std::string out;
  for (const auto& part : t.parts) {
    if (!part.is_variable) {
      out += part.text;
      continue;
    }
    auto found = values.find(part.text);
    if (found == values.end())
      return unexpected{fail(template_errc::missing_value,
                             fmt::format("no value for {{{}}}", part.text), 0, part.text)};
    out += found->second;
  }
  return out;
}

expected<std::string, template_error> render_template(std::string_view body,
                                                      const template_variables& values) {
  auto parsed = parse_template(body);
  if (!parsed) return unexpected{std::move(parsed).error()};
  return render(*parsed, values);
}

const template_variables& sample_template_variables() {
  static const template_variables samples{
      {"customer_first_name", "Jane"},
      {"company_name", "Acme Plumbing"},
      {"scheduled_date", "Tue, Nov 24"},
      {"scheduled_time", "2:30 PM"},
      {"tech_first_name", "Mike"},
      {"eta_minutes", "12"},
      {"invoice_link", "https://pay.example.com/i/8F3K2Q"},
  };
  return samples;
}

expected<template_preview, template_error> preview_template(std::string_view body,
                                                            const template_variables& given) {
  auto values = sample_template_variables();
  for (const auto& [name, value] : given) values.insert_or_assign(name, value);
  auto text = render_template(body, values);
  if (!text) return unexpected{std::move(text).error()};
  auto segments = count_segments(*text);
  return template_preview{std::move(*text), segments};
}

std::span<const default_template> default_templates() {
  return defaults;
}

std::vector<default_template> default_templates_missing(std::span<const sms_trigger> seeded) {
  std::vector<default_template> out;
  for (const auto& d : defaults)
    if (std::find(seeded.begin(), seeded.end(), d.trigger) == seeded.end()) out.push_back(d);
  return out;
}

}  // namespace fl::domain
