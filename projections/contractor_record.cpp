#include "projections/contractor_record.hpp"

#include "projections/record_codec.hpp"

namespace fl::projections {

namespace {

void ids(record_writer& w, const std::vector<std::string>& v) {
  w.u64(v.size());
  for (const auto& id : v) w.str(id);
}

std::vector<std::string> ids(record_reader& r) {
  std::vector<std::string> out;
  auto count = r.u64();
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) out.push_back(r.str());
  return out;
}

}  // namespace

std::string encode(const contractor_record& c) {
  record_writer w;
  w.str(c.id);
  w.str(c.name);
  w.str(c.phone);
  w.boolean(c.sms_notifications_enabled);
  w.boolean(c.notify_on_assignment);
  w.boolean(c.notify_on_route_assignment);
  w.boolean(c.notify_on_weather_alert);
  w.opt_str(c.quiet_hours_start);
  w.opt_str(c.quiet_hours_end);
  ids(w, c.property_ids);
  w.i64(c.held_texts);
  w.i64(c.created_at_us);
  w.i64(c.updated_at_us);
  return w.take();
}

std::optional<contractor_record> decode_contractor(std::string_view bytes) {
  record_reader r(bytes);
  contractor_record c;
  c.id = r.str();
  c.name = r.str();
  c.phone = r.str();
  c.sms_notifications_enabled = r.boolean();
  c.notify_on_assignment = r.boolean();
  c.notify_on_route_assignment = r.boolean();
  c.notify_on_weather_alert = r.boolean();
  c.quiet_hours_start = r.opt_str();
  c.quiet_hours_end = r.opt_str();
  c.property_ids = ids(r);
  c.held_texts = r.i64();
  c.created_at_us = r.i64();
  c.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return c;
}

std::string encode(const property_record& p) {
  record_writer w;
  w.str(p.id);
  w.str(p.name);
  w.str(p.address);
  ids(w, p.contractor_ids);
  w.i64(p.created_at_us);
  w.i64(p.updated_at_us);
  return w.take();
}

std::optional<property_record> decode_property(std::string_view bytes) {
  record_reader r(bytes);
  property_record p;
  p.id = r.str();
  p.name = r.str();
  p.address = r.str();
  p.contractor_ids = ids(r);
  p.created_at_us = r.i64();
  p.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return p;
}

}  // namespace fl::projections
