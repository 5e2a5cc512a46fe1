#include "http/directory_json.hpp"

#include <cmath>

#include "http/json_out.hpp"

namespace fl::http {

namespace {

using projections::customer_record;
using projections::job_notification;
using projections::job_record;
using projections::technician_record;

constexpr std::size_t typical_item_json = 400;

// The shortest text that reads back as the same double.
void number(json_out& w, double d) {
  if (!std::isfinite(d)) {
    w.null();
    return;
  }
  char text[32];
  auto end = std::to_chars(text, text + sizeof text, d).ptr;
  w.raw(std::string_view(text, static_cast<std::size_t>(end - text)));
}

void optional_number(json_out& w, const std::optional<double>& d) {
  if (d)
    number(w, *d);
  else
    w.null();
}

template <class Integer>
void optional_integer(json_out& w, const std::optional<Integer>& n) {
  if (n)
    w.number(*n);
  else
    w.null();
}

void optional_time(json_out& w, const std::optional<std::int64_t>& us) {
  if (us)
    w.time(*us);
  else
    w.null();
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return std::string_view(*s);
}

void write_customer(json_out& w, const customer_record& c) {
  w.raw(R"({"address":)").string(c.address);
  w.raw(R"(,"created_at":)").time(c.created_at_us);
  w.raw(R"(,"first_name":)").string(c.first_name);
  w.raw(R"(,"id":)").string(c.id);
  w.raw(R"(,"last_name":)").string(c.last_name);
  w.raw(R"(,"opted_out":)").boolean(c.opted_out);
  w.raw(R"(,"phone":)").string(c.phone);
  w.raw(R"(,"updated_at":)").time(c.updated_at_us).raw("}");
}

void write_technician(json_out& w, const technician_record& t) {
  w.raw(R"({"created_at":)").time(t.created_at_us);
  w.raw(R"(,"first_name":)").string(t.first_name);
  w.raw(R"(,"id":)").string(t.id);
  w.raw(R"(,"job_id":)").optional_string(view(t.job_id));
  w.raw(R"(,"last_name":)").string(t.last_name);
  w.raw(R"(,"location":)");
  if (t.location) {
    w.raw(R"({"lat":)");
    number(w, t.location->lat);
    w.raw(R"(,"lon":)");
    number(w, t.location->lon);
    w.raw(R"(,"recorded_at":)").time(t.location->recorded_at_us);
    w.raw(R"(,"speed_mps":)");
    optional_number(w, t.location->speed_mps);
    w.raw("}");
  } else {
    w.null();
  }
  w.raw(R"(,"phone":)").string(t.phone);
  w.raw(R"(,"status":)").string(t.status);
  w.raw(R"(,"updated_at":)").time(t.updated_at_us).raw("}");
}

void write_notification(json_out& w, const job_notification& n) {
  w.raw(R"({"by_hand":)").boolean(n.by_hand);
  w.raw(R"(,"eta_minutes":)");
  optional_integer(w, n.eta_minutes);
  w.raw(R"(,"fired_at":)").time(n.fired_at_us);
  w.raw(R"(,"held_until":)");
  optional_time(w, n.held_until_us);
  w.raw(R"(,"message_id":)").optional_string(view(n.message_id));
  w.raw(R"(,"reason":)").optional_string(view(n.reason));
  w.raw(R"(,"scheduled_at":)").time(n.scheduled_at_us);
  w.raw(R"(,"status":)").string(n.status);
  w.raw(R"(,"technician_id":)").optional_string(view(n.technician_id));
  w.raw(R"(,"trigger":)").string(n.trigger).raw("}");
}

void write_job(json_out& w, const job_record& j) {
  w.raw(R"({"address":)").string(j.address);
  w.raw(R"(,"created_at":)").time(j.created_at_us);
  w.raw(R"(,"customer_id":)").string(j.customer_id);
  w.raw(R"(,"id":)").string(j.id);
  w.raw(R"(,"invoice_link":)").optional_string(view(j.invoice_link));
  w.raw(R"(,"lat":)");
  optional_number(w, j.lat);
  w.raw(R"(,"lon":)");
  optional_number(w, j.lon);
  w.raw(R"(,"notifications":[)");
  for (std::size_t i = 0; i < j.notifications.size(); ++i) {
    if (i > 0) w.raw(",");
    write_notification(w, j.notifications[i]);
  }
  w.raw(R"(],"scheduled_at":)").time(j.scheduled_at_us);
  w.raw(R"(,"status":)").string(j.status);
  w.raw(R"(,"technician_id":)").optional_string(view(j.technician_id));
  w.raw(R"(,"updated_at":)").time(j.updated_at_us).raw("}");
}

template <class Record, class Write>
std::string one_json(const Record& r, Write write) {
  std::string out;
  {
    json_out w(out, typical_item_json);
    write(w, r);
  }
  return out;
}

template <class Record, class Write>
std::string list_json(const projections::directory_page<Record>& page, Write write) {
  std::string out;
  {
    json_out w(out, 64 + page.items.size() * typical_item_json);
    w.raw(R"({"items":[)");
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      if (i > 0) w.raw(",");
      write(w, page.items[i]);
    }
    w.raw(R"(],"next_cursor":)").optional_string(view(page.next_cursor)).raw("}");
  }
  return out;
}

}  // namespace

std::string customer_json(const customer_record& c) {
  return one_json(c, write_customer);
}
std::string technician_json(const technician_record& t) {
  return one_json(t, write_technician);
}
std::string job_json(const job_record& j) {
  return one_json(j, write_job);
}

std::string customers_json(const projections::directory_page<customer_record>& page) {
  return list_json(page, write_customer);
}
std::string technicians_json(const projections::directory_page<technician_record>& page) {
  return list_json(page, write_technician);
}
std::string jobs_json(const projections::directory_page<job_record>& page) {
  return list_json(page, write_job);
}

}  // namespace fl::http
