#include "projections/directory_record.hpp"

#include <bit>

#include "projections/record_codec.hpp"

namespace fl::projections {

namespace {

// Doubles as their bit pattern: exact, and the same bytes on every rebuild.
void f64(record_writer& w, double d) {
  w.u64(std::bit_cast<std::uint64_t>(d));
}
double f64(record_reader& r) {
  return std::bit_cast<double>(r.u64());
}
void opt_f64(record_writer& w, const std::optional<double>& d) {
  w.boolean(d.has_value());
  if (d) f64(w, *d);
}
std::optional<double> opt_f64(record_reader& r) {
  if (!r.boolean()) return std::nullopt;
  return f64(r);
}

}  // namespace

std::string encode(const customer_record& c) {
  record_writer w;
  w.str(c.id);
  w.str(c.first_name);
  w.str(c.last_name);
  w.str(c.phone);
  w.str(c.address);
  w.boolean(c.opted_out);
  w.i64(c.created_at_us);
  w.i64(c.updated_at_us);
  return w.take();
}

std::optional<customer_record> decode_customer(std::string_view bytes) {
  record_reader r(bytes);
  customer_record c;
  c.id = r.str();
  c.first_name = r.str();
  c.last_name = r.str();
  c.phone = r.str();
  c.address = r.str();
  c.opted_out = r.boolean();
  c.created_at_us = r.i64();
  c.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return c;
}

std::string encode(const technician_record& t) {
  record_writer w;
  w.str(t.id);
  w.str(t.first_name);
  w.str(t.last_name);
  w.str(t.phone);
  w.str(t.status);
  w.opt_str(t.job_id);
  w.boolean(t.location.has_value());
  if (t.location) {
    f64(w, t.location->lat);
    f64(w, t.location->lon);
    w.i64(t.location->recorded_at_us);
    opt_f64(w, t.location->speed_mps);
  }
  w.i64(t.created_at_us);
  w.i64(t.updated_at_us);
  return w.take();
}

std::optional<technician_record> decode_technician(std::string_view bytes) {
  record_reader r(bytes);
  technician_record t;
  t.id = r.str();
  t.first_name = r.str();
  t.last_name = r.str();
  t.phone = r.str();
  t.status = r.str();
  t.job_id = r.opt_str();
  if (r.boolean()) {
    technician_fix fix;
    fix.lat = f64(r);
    fix.lon = f64(r);
    fix.recorded_at_us = r.i64();
    fix.speed_mps = opt_f64(r);
    t.location = fix;
  }
  t.created_at_us = r.i64();
  t.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return t;
}

std::string encode(const job_record& j) {
  record_writer w;
  w.str(j.id);
  w.str(j.customer_id);
  w.opt_str(j.technician_id);
  w.str(j.address);
  opt_f64(w, j.lat);
  opt_f64(w, j.lon);
  w.i64(j.scheduled_at_us);
  w.str(j.status);
  w.opt_str(j.invoice_link);
  w.u64(j.notifications.size());
  for (const auto& n : j.notifications) {
    w.str(n.trigger);
    w.str(n.status);
    w.i64(n.scheduled_at_us);
    w.i64(n.fired_at_us);
    w.opt_i64(n.held_until_us);
    w.opt_i64(n.eta_minutes);
    w.opt_str(n.technician_id);
    w.boolean(n.by_hand);
    w.opt_str(n.message_id);
    w.opt_str(n.reason);
  }
  w.i64(j.created_at_us);
  w.i64(j.updated_at_us);
  return w.take();
}

std::optional<job_record> decode_job(std::string_view bytes) {
  record_reader r(bytes);
  job_record j;
  j.id = r.str();
  j.customer_id = r.str();
  j.technician_id = r.opt_str();
  j.address = r.str();
  j.lat = opt_f64(r);
  j.lon = opt_f64(r);
  j.scheduled_at_us = r.i64();
  j.status = r.str();
  j.invoice_link = r.opt_str();
  auto count = r.u64();
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) {
    job_notification n;
    n.trigger = r.str();
    n.status = r.str();
    n.scheduled_at_us = r.i64();
    n.fired_at_us = r.i64();
    n.held_until_us = r.opt_i64();
    n.eta_minutes = r.opt_i64();
    n.technician_id = r.opt_str();
    n.by_hand = r.boolean();
    n.message_id = r.opt_str();
    n.reason = r.opt_str();
    j.notifications.push_back(std::move(n));
  }
  j.created_at_us = r.i64();
  j.updated_at_us = r.i64();
  if (!r.ok()) return std::nullopt;
  return j;
}

std::string encode_ids(const std::vector<std::string>& ids) {
  record_writer w;
  w.u64(ids.size());
  for (const auto& id : ids) w.str(id);
  return w.take();
}

std::vector<std::string> decode_ids(std::string_view bytes) {
  record_reader r(bytes);
  std::vector<std::string> ids;
  auto count = r.u64();
  for (std::uint64_t i = 0; i < count && r.ok(); ++i) ids.push_back(r.str());
  if (!r.ok()) return {};
  return ids;
}

}  // namespace fl::projections
