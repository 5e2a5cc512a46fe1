#include "projections/ticket_record.hpp"

#include "projections/record_codec.hpp"

namespace fl::projections {

namespace {

void strings(record_writer& w, const std::vector<std::string>& list) {
  w.u64(list.size());
  for (const auto& s : list) w.str(s);
}

std::vector<std::string> strings(record_reader& r) {
  std::vector<std::string> out;
  auto count = r.u64();
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) out.push_back(r.str());
  return out;
}

}  // namespace

std::string_view to_string(ticket_status s) {
  return s == ticket_status::open ? "open" : "completed";
}

std::optional<ticket_status> parse_ticket_status(std::string_view name) {
  if (name == "open") return ticket_status::open;
  if (name == "completed") return ticket_status::completed;
  return std::nullopt;
}

std::string encode(const ticket_record& t) {
  const auto& d = t.ticket;
  record_writer w;
  w.str(d.id);
  w.str(t.contractor_id);
  w.str(d.property_id);
  w.str(d.property_name);
  w.i64(to_micros(d.started_at));
  w.opt_i64(t.completed_at_us);
  strings(w, d.equipment);
  w.boolean(d.bulk.has_value());
  if (d.bulk) {
    w.f64(d.bulk->quantity);
    w.u64(static_cast<std::uint64_t>(d.bulk->unit));
  }
  w.opt_f64(d.bag_salt);
  w.opt_f64(d.calcium_chloride);
  strings(w, d.notes);
  w.opt_i64(d.work_started_at ? std::optional(to_micros(*d.work_started_at)) : std::nullopt);
  w.opt_i64(d.work_finished_at ? std::optional(to_micros(*d.work_finished_at)) : std::nullopt);
  w.u64(t.position);
  w.i64(t.updated_at_us);
  return w.take();
}

std::optional<ticket_record> decode_ticket(std::string_view bytes) {
  record_reader r(bytes);
  ticket_record t;
  auto& d = t.ticket;
  d.id = r.str();
  t.contractor_id = r.str();
  d.property_id = r.str();
  d.property_name = r.str();
  d.started_at = from_micros(r.i64());
  t.completed_at_us = r.opt_i64();
  d.equipment = strings(r);
  if (r.boolean()) {
    domain::bulk_salt bulk;
    bulk.quantity = r.f64();
    auto unit = r.u64();
    if (unit > static_cast<std::uint64_t>(domain::salt_unit::tons)) return std::nullopt;
    bulk.unit = static_cast<domain::salt_unit>(unit);
    d.bulk = bulk;
  }
  d.bag_salt = r.opt_f64();
  d.calcium_chloride = r.opt_f64();
  d.notes = strings(r);
  if (auto us = r.opt_i64()) d.work_started_at = from_micros(*us);
  if (auto us = r.opt_i64()) d.work_finished_at = from_micros(*us);
  t.position = r.u64();
  t.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return t;
}

}  // namespace fl::projections
