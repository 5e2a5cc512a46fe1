#include "projections/contractor_directory.hpp"

#include <algorithm>

#include "projections/contractor_record.hpp"
#include "projections/directory_projection.hpp"
#include "projections/keys.hpp"

namespace fl::projections {

namespace {

using P = directory_projection;

std::optional<contractor_record> load_contractor(const write_set& out, const std::string& key) {
  auto bytes = out.get(key);
  if (!bytes) return std::nullopt;
  return decode_contractor(*bytes);
}

std::optional<property_record> load_property(const write_set& out, const std::string& key) {
  auto bytes = out.get(key);
  if (!bytes) return std::nullopt;
  return decode_property(*bytes);
}

// The contractor phone index: a phone is one contractor's (the actors
// refuse a second), so the value is the id.
void move_phone(write_set& out, std::string_view tenant, std::string_view id, std::string_view from,
                std::string_view to) {
  if (from == to) return;
  if (!from.empty()) {
    auto old_key = keys::key(tenant, P::contractor_phone_tag, from);
    if (out.get(old_key) == std::string(id)) out.erase(std::move(old_key));
  }
  out.put(keys::key(tenant, P::contractor_phone_tag, to), std::string(id));
}

void add_id(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

void apply_contractor_event(write_set& out, const events::recorded_event& e, std::string_view id) {
  auto key = keys::key(e.tenant, P::contractor_tag, id);
  auto current = load_contractor(out, key);
  auto now = to_micros(e.recorded_at);
  const auto* registered = std::get_if<events::contractor_registered>(&e.data);
  // Anything but the registration of a contractor never registered has
  // nothing to show.
  if (!current && !registered) return;
  contractor_record c = current.value_or(contractor_record{});
  std::string old_phone = c.phone;
  bool changed = std::visit(events::overloaded{
                                [&](const events::contractor_registered& r) {
                                  if (current) return false;
                                  c.id = std::string(id);
                                  c.created_at_us = now;
                                  c.name = r.name;
                                  c.phone = r.phone;
                                  c.sms_notifications_enabled = r.sms_notifications_enabled;
                                  return true;
                                },
                                [&](const events::contractor_updated& u) {
                                  c.name = u.name;
                                  c.phone = u.phone;
                                  c.sms_notifications_enabled = u.sms_notifications_enabled;
                                  return true;
                                },
                                [&](const events::contractor_preferences_set& p) {
                                  c.notify_on_assignment = p.notify_on_assignment;
                                  c.notify_on_route_assignment = p.notify_on_route_assignment;
                                  c.notify_on_weather_alert = p.notify_on_weather_alert;
                                  c.quiet_hours_start = p.quiet_hours_start;
                                  c.quiet_hours_end = p.quiet_hours_end;
                                  return true;
                                },
                                [&](const events::assignment_text_held&) {
                                  ++c.held_texts;
                                  return true;
                                },
                                [&](const events::assignment_text_released&) {
                                  c.held_texts = std::max<std::int64_t>(0, c.held_texts - 1);
                                  return true;
                                },
                                [](const auto&) { return false; },
                            },
                            e.data);
  if (!changed) return;
  c.updated_at_us = now;
  move_phone(out, e.tenant, id, old_phone, c.phone);
  out.put(std::move(key), encode(c));
}

void apply_property_event(write_set& out, const events::recorded_event& e, std::string_view id) {
  auto key = keys::key(e.tenant, P::property_tag, id);
  auto current = load_property(out, key);
  auto now = to_micros(e.recorded_at);
  if (const auto* r = std::get_if<events::property_registered>(&e.data)) {
    if (current) return;
    property_record p;
    p.id = std::string(id);
    p.name = r->name;
    p.address = r->address;
    p.created_at_us = p.updated_at_us = now;
    out.put(std::move(key), encode(p));
    return;
  }
  const auto* a = std::get_if<events::contractor_assigned>(&e.data);
  const auto* u = std::get_if<events::contractor_unassigned>(&e.data);
  if ((!a && !u) || !current) return;
  const std::string& contractor_id = a ? a->contractor_id : u->contractor_id;
  if (a)
    add_id(current->contractor_ids, contractor_id);
  else
    std::erase(current->contractor_ids, contractor_id);
  current->updated_at_us = now;
  out.put(std::move(key), encode(*current));
  auto contractor_key = keys::key(e.tenant, P::contractor_tag, contractor_id);
  if (auto c = load_contractor(out, contractor_key)) {
    if (a)
      add_id(c->property_ids, std::string(id));
    else
      std::erase(c->property_ids, std::string(id));
    c->updated_at_us = now;
    out.put(std::move(contractor_key), encode(*c));
  }
}

}  // namespace fl::projections
