#pragma once

// A tenant's notification templates as a stream (`sms-templates:<tenant>`):
// create, edit, enable, disable, delete, and seed the defaults. Pure decide
// and evolve; bodies are checked with parse_template before they are kept.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "domain/sms_template.hpp"
#include "domain/sms_trigger.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// One template as the tenant keeps it.
struct stored_template {
  std::string id;
  std::optional<sms_trigger> trigger;  // none: kept for manual use
  std::string name;
  std::string body;
  bool enabled = true;
  friend bool operator==(const stored_template&, const stored_template&) = default;
};

struct template_library_state {
  std::uint64_t version = 0;               // stream version after the last evolved event
  std::vector<stored_template> templates;  // in order of creation
  const stored_template* find(std::string_view id) const;
  friend bool operator==(const template_library_state&, const template_library_state&) = default;
};

/// The template a notification of trigger `t` is texted with: the first
/// enabled one for `t`, in order of creation; null when there is none.
const stored_template* template_for(const template_library_state& state, sms_trigger t);

/// The longest template name, in code points.
inline constexpr std::size_t max_template_name_code_points = 100;

/// Create a template (`id` none: a new id from the context) or replace one
/// (`id` given: `PUT /sms/templates/{id}`; all fields, not a patch).
struct save_template {
  std::optional<std::string> id;
  std::optional<std::string> trigger;  // wire name ("15_min", ...); none: for manual use
  std::string name;
  std::string body;
  bool enabled = true;
};

struct delete_template {
  std::string id;
};

struct set_template_enabled {
  std::string id;
  bool enabled = true;
};

/// `POST /sms/templates/seed`: add the default template of every automated
/// trigger that has no template yet (enabled or not).
struct seed_default_templates {};

using template_command =
    std::variant<save_template, delete_template, set_template_enabled, seed_default_templates>;

struct template_library_context {
  std::function<std::string()> new_template_id;  // "tpl_..."; must be set to create or seed
};

/// Why `decide` refused a command. Numbers are pinned.
enum class template_library_errc : std::uint8_t {
  not_found = 1,        // no template with that id
  invalid_id = 2,       // an id that is_valid_entity_id refuses
  blank_name = 3,       // name empty or whitespace
  invalid_name = 4,     // name not UTF-8, with a control character, or too long
  unknown_trigger = 5,  // not a trigger's wire name
  invalid_body = 6,     // parse_template or check_variables_for refused it: see `body_fault`
};

std::string_view to_string(template_library_errc code);

struct template_library_error {
  template_library_errc code = template_library_errc::not_found;
  std::string field;  // "id", "name", "trigger", "body"
  std::string message;
  // For invalid_body: the fault and the variable concerned (`{oops}` →
  // unknown_variable, "oops").
  std::optional<template_errc> body_fault;
  std::string variable;
};

/// The events `command` produces; empty when it changes nothing.
/// - `save_template`: `sms_template_saved`. The name is trimmed and must not
///   be blank; the body must parse (parse_template: known variables only,
///   braces balanced, 1..1600 characters) and use only variables its trigger
///   fills (check_variables_for; a template without a trigger is checked as
///   `manual`). Saving what is stored already is nothing. `not_found` for an
///   unknown id.
/// - `delete_template`: `sms_template_deleted`; `not_found` for an unknown id.
/// - `set_template_enabled`: `sms_template_saved` with the flag, when it
///   changes; `not_found` for an unknown id.
/// - `seed_default_templates`: one `sms_template_saved` per default whose
///   trigger has no template (default_templates_missing); seeding again adds
///   nothing.
[[nodiscard]] expected<std::vector<events::event>, template_library_error> decide(
    const template_library_state& state, const template_command& command,
    const template_library_context& context);

/// Applies one event of the templates stream; `version` grows by one for
/// every event.
void evolve(template_library_state& state, const events::event& event);

}  // namespace fl::domain
