#include "http/dispatch_json.hpp"

#include <stdexcept>

#include "base/random_id.hpp"
#include "http/json_fields.hpp"

namespace fl::http {

using json = nlohmann::json;

namespace {

json optional_text(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

}  // namespace

json customer_json(const domain::customer_state& c, bool opted_out) {
  return {{"id", c.id},       {"first_name", c.first_name}, {"last_name", c.last_name},
          {"phone", c.phone}, {"address", c.address},       {"opted_out", opted_out}};
}

json technician_json(const domain::technician_state& t) {
  json out{{"id", t.id},
           {"first_name", t.first_name},
           {"last_name", t.last_name},
           {"phone", t.phone},
           {"status", std::string(domain::to_string(t.status))},
           {"job_id", optional_text(t.job_id)}};
  if (const auto* fix = t.track.latest())
    out["location"] = {{"lat", fix->at.lat},
                       {"lon", fix->at.lon},
                       {"recorded_at", format_rfc3339_utc(fix->recorded_at)}};
  else
    out["location"] = nullptr;
  return out;
}

json job_json(const domain::job_state& j) {
  json notifications = json::array();
  for (auto t : domain::all_sms_triggers)
    if (auto at = j.fired.fired_for(t))
      notifications.push_back({{"trigger", std::string(domain::to_string(t))},
                               {"for_scheduled_at", format_rfc3339_utc(*at)}});
  return {{"id", j.id},
          {"customer_id", j.customer_id},
          {"technician_id", optional_text(j.technician_id)},
          {"address", j.address},
          {"lat", j.location ? json(j.location->lat) : json(nullptr)},
          {"lon", j.location ? json(j.location->lon) : json(nullptr)},
          {"scheduled_at", format_rfc3339_utc(j.scheduled_at)},
          {"status", std::string(domain::to_string(j.status))},
          {"invoice_link", optional_text(j.invoice_link)},
          {"notifications", notifications}};
}

answer dispatch_failure_answer(const actors::dispatch_failure& f) {
  switch (f.code) {
    case actors::dispatch_errc::rejected:
      break;
    case actors::dispatch_errc::unknown_tenant:
      return error_answer(404, "not_found", f.message);
    case actors::dispatch_errc::unavailable:
    case actors::dispatch_errc::shutting_down:
      return error_answer(503, to_string(f.code), f.message);
  }
  const auto& r = f.reason;
  if (r == "not_found" || r == "not_registered" || r == "not_created")
    return f.field.empty() || f.field == "id" ? error_answer(404, "not_found", f.message)
                                              : field_error(404, "not_found", f.field, f.message);
  if (r == "already_registered" || r == "already_created" || r == "job_closed" ||
      r == "already_sent" || r == "opted_out" || r == "wrong_technician" || r == "not_assigned" ||
      r == "phone_taken")
    return f.field.empty() ? error_answer(409, r, f.message)
                           : field_error(409, r, f.field, f.message);
  return f.field.empty() ? error_answer(400, "invalid_field", f.message)
                         : field_error(400, "invalid_field", f.field, f.message);
}

const json* body_reader::member(std::string_view field) const {
  auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool body_reader::has(std::string_view field) const {
  return member(field) != nullptr;
}

void body_reader::fail(std::string_view field, std::string message) {
  if (!error) error = field_error(400, "invalid_field", field, message);
}

std::optional<std::string> body_reader::text(std::string_view field) {
  const json* m = member(field);
  if (!m) return std::nullopt;
  if (!m->is_string()) {
    fail(field, std::string(field) + " must be a string");
    return std::nullopt;
  }
  return m->get<std::string>();
}

std::optional<double> body_reader::number(std::string_view field) {
  const json* m = member(field);
  if (!m) return std::nullopt;
  if (!m->is_number()) {
    fail(field, std::string(field) + " must be a number");
    return std::nullopt;
  }
  return m->get<double>();
}

std::optional<bool> body_reader::flag(std::string_view field) {
  const json* m = member(field);
  if (!m) return std::nullopt;
  if (!m->is_boolean()) {
    fail(field, std::string(field) + " must be true or false");
    return std::nullopt;
  }
  return m->get<bool>();
}

std::optional<fl::timestamp> body_reader::time(std::string_view field) {
  auto s = text(field);
  if (!s) return std::nullopt;
  auto t = parse_rfc3339(*s);
  if (!t) fail(field, std::string(field) + " must be an RFC 3339 time with an offset");
  return t;
}

void body_reader::require(std::string_view field) {
  if (!has(field)) fail(field, std::string(field) + " is required");
}

bool dispatch_ready(const actors::dispatch_runtime* dispatch, const respond_fn& respond) {
  if (dispatch) return true;
  respond(error_answer(503, "unavailable", "the field-service directory is not available"));
  return false;
}

std::string new_entity_id(std::string_view prefix) {
  return random_id(prefix);
}

}  // namespace fl::http
