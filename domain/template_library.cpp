#include "domain/template_library.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/dispatch_streams.hpp"
#include "domain/text_checks.hpp"

namespace fl::domain {

std::string_view to_string(template_library_errc code) {
  switch (code) {
    case template_library_errc::not_found:
      return "not_found";
    case template_library_errc::invalid_id:
      return "invalid_id";
    case template_library_errc::blank_name:
      return "blank_name";
    case template_library_errc::invalid_name:
      return "invalid_name";
    case template_library_errc::unknown_trigger:
      return "unknown_trigger";
    case template_library_errc::invalid_body:
      return "invalid_body";
  }
  return "unknown";
}

const stored_template* template_library_state::find(std::string_view id) const {
  auto it = std::find_if(templates.begin(), templates.end(),
                         [&](const stored_template& t) { return t.id == id; });
  return it == templates.end() ? nullptr : &*it;
}

const stored_template* template_for(const template_library_state& state, sms_trigger t) {
  for (const auto& tpl : state.templates)
    if (tpl.enabled && tpl.trigger == t) return &tpl;
  return nullptr;
}

namespace {

using event_list = std::vector<events::event>;
using decision = expected<event_list, template_library_error>;

unexpected<template_library_error> fail(template_library_errc code, std::string field,
                                        std::string message) {
  return unexpected{template_library_error{code, std::move(field), std::move(message), {}, {}}};
}

decision not_found(std::string_view id) {
  return fail(template_library_errc::not_found, "id", fmt::format("no template \"{}\"", id));
}

events::sms_template_saved saved_event(const stored_template& t) {
  std::optional<std::string> trigger;
  if (t.trigger) trigger = std::string(to_string(*t.trigger));
  return events::sms_template_saved{t.id, std::move(trigger), t.name, t.body, t.enabled};
}

// The template `cmd` describes, checked; its id is left to the caller.
expected<stored_template, template_library_error> checked(const save_template& cmd) {
  stored_template out;
  if (cmd.trigger) {
    out.trigger = parse_sms_trigger(*cmd.trigger);
    if (!out.trigger)
      return fail(template_library_errc::unknown_trigger, "trigger",
                  "trigger must be scheduled, reminder, enroute, 15_min, arrived, complete, "
                  "manual or reply");
  }
  auto name = trim_whitespace(cmd.name);
  if (name.empty()) return fail(template_library_errc::blank_name, "name", "name is empty");
  if (check_text(name, max_template_name_code_points, false) != text_fault::none)
    return fail(template_library_errc::invalid_name, "name",
                fmt::format("name must be UTF-8 text of at most {} characters",
                            max_template_name_code_points));
  out.name = std::string(name);

  auto parsed = parse_template(cmd.body);
  expected<void, template_error> usable =
      parsed ? check_variables_for(*parsed, out.trigger.value_or(sms_trigger::manual))
             : expected<void, template_error>{unexpected{parsed.error()}};
  if (!usable) {
    const auto& e = usable.error();
    return unexpected{template_library_error{template_library_errc::invalid_body, "body", e.message,
                                             e.code, e.variable}};
  }
  out.body = cmd.body;
  out.enabled = cmd.enabled;
  return out;
}

decision decide_save(const template_library_state& s, const save_template& cmd,
                     const template_library_context& ctx) {
  if (cmd.id && !is_valid_entity_id(*cmd.id))
    return fail(template_library_errc::invalid_id, "id",
                "a template id is 1..64 of A-Z a-z 0-9 _ -");
  const stored_template* existing = cmd.id ? s.find(*cmd.id) : nullptr;
  if (cmd.id && !existing) return not_found(*cmd.id);
  auto tpl = checked(cmd);
  if (!tpl) return unexpected{tpl.error()};
  tpl->id = existing ? existing->id : ctx.new_template_id();
  if (existing && *existing == *tpl) return event_list{};
  return event_list{saved_event(*tpl)};
}

decision decide_seed(const template_library_state& s, const template_library_context& ctx) {
  std::vector<sms_trigger> seeded;
  for (const auto& t : s.templates)
    if (t.trigger) seeded.push_back(*t.trigger);
  event_list out;
  for (const auto& d : default_templates_missing(seeded))
    out.emplace_back(saved_event(
        {ctx.new_template_id(), d.trigger, std::string(d.name), std::string(d.body), true}));
  return out;
}

}  // namespace

decision decide(const template_library_state& state, const template_command& command,
                const template_library_context& context) {
  return std::visit(events::overloaded{
                        [&](const save_template& c) { return decide_save(state, c, context); },
                        [&](const delete_template& c) -> decision {
                          if (!state.find(c.id)) return not_found(c.id);
                          return event_list{events::sms_template_deleted{c.id}};
                        },
                        [&](const set_template_enabled& c) -> decision {
                          const auto* t = state.find(c.id);
                          if (!t) return not_found(c.id);
                          if (t->enabled == c.enabled) return event_list{};
                          stored_template changed = *t;
                          changed.enabled = c.enabled;
                          return event_list{saved_event(changed)};
                        },
                        [&](const seed_default_templates&) { return decide_seed(state, context); },
                    },
                    command);
}

void evolve(template_library_state& state, const events::event& event) {
  if (const auto* e = std::get_if<events::sms_template_saved>(&event)) {
    stored_template t;
    t.id = e->template_id;
    if (e->trigger) t.trigger = parse_sms_trigger(*e->trigger);
    t.name = e->name;
    t.body = e->body;
    t.enabled = e->enabled;
    auto it = std::find_if(state.templates.begin(), state.templates.end(),
                           [&](const stored_template& x) { return x.id == t.id; });
    if (it == state.templates.end())
      state.templates.push_back(std::move(t));
    else
      *it = std::move(t);
  } else if (const auto* d = std::get_if<events::sms_template_deleted>(&event)) {
    std::erase_if(state.templates,
                  [&](const stored_template& x) { return x.id == d->template_id; });
  }
  ++state.version;
}

}  // namespace fl::domain
