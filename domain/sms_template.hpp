#pragma once

// Customer notification templates: text with `{variable}` placeholders,
// checked when saved so that a text never goes out with a raw `{oops}` in it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "domain/sms_segments.hpp"
#include "domain/sms_trigger.hpp"

namespace fl::domain {

/// The variables a template may use, by name.
std::span<const std::string_view> known_template_variables();
bool is_known_template_variable(std::string_view name);

/// The variables a text of trigger `t` can fill: all of them for `enroute`
/// and `15_min`; all but `eta_minutes` for the others (only a moving
/// technician has an ETA).
bool trigger_supplies(sms_trigger t, std::string_view variable);

/// Values for a template's variables, by name.
using template_variables = std::map<std::string, std::string, std::less<>>;

/// Why a template was refused. Numbers are pinned.
enum class template_errc : std::uint8_t {
  unknown_variable = 1,      // `{oops}`: not one of known_template_variables()
  unclosed_brace = 2,        // a `{` with no `}` before the end or the next `{`
  stray_closing_brace = 3,   // a `}` that closes nothing
  empty_placeholder = 4,     // `{}` or `{  }`
  empty_body = 5,            // nothing but whitespace
  too_long = 6,              // over max_template_code_points
  invalid_utf8 = 7,          // not well-formed UTF-8
  missing_value = 8,         // rendering: a placeholder with no value given
  unavailable_variable = 9,  // a variable the template's trigger cannot fill
};

std::string_view to_string(template_errc code);

struct template_error {
  template_errc code = template_errc::unknown_variable;
  std::string message;     // for people, names the variable or the position
  std::string variable;    // the variable concerned, when there is one
  std::size_t offset = 0;  // byte offset in the template of the fault
};

/// The longest template body, in code points: Twilio's limit on a message.
inline constexpr std::size_t max_template_code_points = 1600;

/// A template split into literal text and placeholders.
struct parsed_template {
  struct part {
    bool is_variable = false;
    std::string text;  // the literal text, or the variable's name
  };
  std::vector<part> parts;
  std::vector<std::string> variables;  // distinct, in order of first use
};

/// Checks and splits a template body. A placeholder is `{name}` with `name`
/// one of known_template_variables() (case-sensitive; spaces around it are
/// allowed: `{ eta_minutes }`). There is no escape for a literal brace: every
/// `{` opens a placeholder and every `}` must close one, so `{{x}}` is an
/// error, not the text "{x}". Errors: see template_errc; the first fault from
/// the start is reported.
expected<parsed_template, template_error> parse_template(std::string_view body);

/// Checks that `trigger` can fill every variable `t` uses (see
/// trigger_supplies); the error `unavailable_variable` names the first that
/// it cannot.
expected<void, template_error> check_variables_for(const parsed_template& t, sms_trigger trigger);

/// The text with every placeholder replaced by its value, verbatim (a value
/// is not itself expanded: a first name "{x}" stays "{x}"). A placeholder
/// with no entry in `values` is the error `missing_value` naming it, so a
/// text is never sent half-filled; an entry with an empty value renders as
/// nothing. Entries the template does not use are ignored.
expected<std::string, template_error> render(const parsed_template& t,
                                             const template_variables& values);

/// parse_template, then render.
expected<std::string, template_error> render_template(std::string_view body,
                                                      const template_variables& values);

/// Plausible values for every known variable, for previews: "Jane",
/// "Acme Plumbing", "Tue, Nov 24", "2:30 PM", "Mike", "12" and an https link.
const template_variables& sample_template_variables();

/// What a template looks like as sent.
struct template_preview {
  std::string text;
  segment_count segments;
};

/// Renders `body` with `given` values, falling back to the sample values for
/// variables not given, and counts the segments of the result.
expected<template_preview, template_error> preview_template(std::string_view body,
                                                            const template_variables& given = {});

/// One of the six templates every tenant starts with.
struct default_template {
  sms_trigger trigger;
  std::string_view name;
  std::string_view body;
};

/// The defaults for scheduled, reminder, enroute, 15_min, arrived and
/// complete, in that order. Each is valid, uses the seed's variables for its
/// trigger and renders with the sample values to one GSM-7 segment.
std::span<const default_template> default_templates();

/// The defaults whose trigger is not in `seeded` (the triggers the tenant's
/// default templates already exist for): seeding twice adds nothing.
std::vector<default_template> default_templates_missing(std::span<const sms_trigger> seeded);

}  // namespace fl::domain
