#include "domain/contractor.hpp"

#include <algorithm>

#include "domain/dispatch_streams.hpp"
#include "domain/person_details.hpp"
#include "domain/phone_number.hpp"

namespace fl::domain {

namespace {

using decision = expected<std::vector<events::event>, directory_error>;

unexpected<directory_error> fail(directory_errc code, std::string field, std::string message) {
  return unexpected{directory_error{code, std::move(field), std::move(message)}};
}

bool same_details(const contractor_state& s, const contractor_details& d) {
  return s.name == d.name && s.phone == d.phone &&
         s.sms_notifications_enabled == d.sms_notifications_enabled;
}

decision decide_register(const contractor_state& s, const register_contractor& cmd,
                         const contractor_context& ctx) {
  if (!is_valid_entity_id(cmd.id))
    return fail(directory_errc::invalid_id, "id", "a contractor id is 1..64 of A-Z a-z 0-9 _ -");
  auto d = check_contractor_details(cmd.details, ctx.region);
  if (!d) return unexpected{d.error()};
  if (s.registered()) {
    if (s.id == cmd.id && same_details(s, *d)) return std::vector<events::event>{};
    return fail(directory_errc::already_registered, "id", "contractor " + cmd.id + " exists");
  }
  if (ctx.phone_taken)
    return fail(directory_errc::phone_taken, "phone", d->phone + " is someone else's already");
  return std::vector<events::event>{
      events::contractor_registered{cmd.id, d->name, d->phone, d->sms_notifications_enabled}};
}

decision decide_update(const contractor_state& s, const update_contractor& cmd,
                       const contractor_context& ctx) {
  if (!s.registered()) return fail(directory_errc::not_registered, "", "no such contractor");
  auto d = check_contractor_details(cmd.details, ctx.region);
  if (!d) return unexpected{d.error()};
  if (same_details(s, *d)) return std::vector<events::event>{};
  if (d->phone != s.phone && ctx.phone_taken)
    return fail(directory_errc::phone_taken, "phone", d->phone + " is someone else's already");
  return std::vector<events::event>{
      events::contractor_updated{d->name, d->phone, d->sms_notifications_enabled}};
}

expected<std::optional<clock_time>, directory_error> bound(const std::optional<std::string>& text,
                                                           const char* field) {
  if (!text) return std::optional<clock_time>{};
  auto t = parse_clock_time(*text);
  if (!t) return fail(directory_errc::invalid_time, field, std::string(field) + " is not HH:MM");
  return std::optional<clock_time>{*t};
}

decision decide_preferences(const contractor_state& s, const set_contractor_preferences& cmd) {
  if (!s.registered()) return fail(directory_errc::not_registered, "", "no such contractor");
  auto start = bound(cmd.quiet_hours_start, "quiet_hours_start");
  if (!start) return unexpected{start.error()};
  auto end = bound(cmd.quiet_hours_end, "quiet_hours_end");
  if (!end) return unexpected{end.error()};
  if (start->has_value() != end->has_value())
    return fail(directory_errc::invalid_time,
                start->has_value() ? "quiet_hours_end" : "quiet_hours_start",
                "quiet hours need both a start and an end, or neither");
  if (*start && **start == **end)
    return fail(directory_errc::invalid_time, "quiet_hours_end",
                "quiet hours cannot start and end at the same minute");
  contractor_preferences wanted{cmd.notify_on_assignment, cmd.notify_on_route_assignment,
                                cmd.notify_on_weather_alert, *start, *end};
  if (wanted == s.preferences) return std::vector<events::event>{};
  auto text = [](const std::optional<clock_time>& t) {
    return t ? std::optional<std::string>(to_string(*t)) : std::nullopt;
  };
  return std::vector<events::event>{events::contractor_preferences_set{
      wanted.notify_on_assignment, wanted.notify_on_route_assignment,
      wanted.notify_on_weather_alert, text(wanted.quiet_hours_start),
      text(wanted.quiet_hours_end)}};
}

const held_assignment_text* find_held(const contractor_state& s, std::string_view external_id) {
  auto it = std::find_if(s.held.begin(), s.held.end(),
                         [&](const auto& h) { return h.external_id == external_id; });
  return it == s.held.end() ? nullptr : &*it;
}

decision decide_hold(const contractor_state& s, const hold_assignment_text& cmd) {
  if (!s.registered()) return fail(directory_errc::not_registered, "", "no such contractor");
  if (find_held(s, cmd.text.external_id)) return std::vector<events::event>{};
  const auto& t = cmd.text;
  return std::vector<events::event>{
      events::assignment_text_held{t.external_id, t.property_id, t.body, to_micros(t.release_at)}};
}

decision decide_release(const contractor_state& s, const release_assignment_text& cmd) {
  if (!find_held(s, cmd.external_id)) return std::vector<events::event>{};
  return std::vector<events::event>{
      events::assignment_text_released{cmd.external_id, cmd.message_id}};
}

std::optional<clock_time> parsed(const std::optional<std::string>& t) {
  return t ? parse_clock_time(*t) : std::nullopt;
}

}  // namespace

std::optional<quiet_window> contractor_preferences::quiet() const {
  if (!quiet_hours_start || !quiet_hours_end || *quiet_hours_start == *quiet_hours_end)
    return std::nullopt;
  return quiet_window{*quiet_hours_start, *quiet_hours_end};
}

expected<contractor_details, directory_error> check_contractor_details(
    const contractor_details& details, std::string_view region) {
  contractor_details out;
  auto name = check_directory_text(details.name, "name", max_contractor_name_code_points, false);
  if (!name) return unexpected{name.error()};
  if (name->empty()) return fail(directory_errc::blank_name, "name", "name is empty");
  out.name = std::move(*name);
  auto phone = parse_phone(details.phone, region);
  if (!phone) return fail(directory_errc::invalid_phone, "phone", phone.error().message);
  out.phone = phone->e164();
  out.sms_notifications_enabled = details.sms_notifications_enabled;
  return out;
}

decision decide(const contractor_state& state, const contractor_command& command,
                const contractor_context& context) {
  return std::visit(
      events::overloaded{
          [&](const register_contractor& c) { return decide_register(state, c, context); },
          [&](const update_contractor& c) { return decide_update(state, c, context); },
          [&](const set_contractor_preferences& c) { return decide_preferences(state, c); },
          [&](const hold_assignment_text& c) { return decide_hold(state, c); },
          [&](const release_assignment_text& c) { return decide_release(state, c); },
      },
      command);
}

void evolve(contractor_state& state, const events::event& event) {
  if (const auto* r = std::get_if<events::contractor_registered>(&event)) {
    state.id = r->contractor_id;
    state.name = r->name;
    state.phone = r->phone;
    state.sms_notifications_enabled = r->sms_notifications_enabled;
  } else if (const auto* u = std::get_if<events::contractor_updated>(&event)) {
    state.name = u->name;
    state.phone = u->phone;
    state.sms_notifications_enabled = u->sms_notifications_enabled;
  } else if (const auto* p = std::get_if<events::contractor_preferences_set>(&event)) {
    state.preferences = {p->notify_on_assignment, p->notify_on_route_assignment,
                         p->notify_on_weather_alert, parsed(p->quiet_hours_start),
                         parsed(p->quiet_hours_end)};
  } else if (const auto* h = std::get_if<events::assignment_text_held>(&event)) {
    state.held.push_back({h->external_id, h->property_id, h->body, from_micros(h->release_at_us)});
  } else if (const auto* d = std::get_if<events::assignment_text_released>(&event)) {
    std::erase_if(state.held, [&](const auto& x) { return x.external_id == d->external_id; });
  }
  ++state.version;
}

}  // namespace fl::domain
