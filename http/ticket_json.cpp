#include "http/ticket_json.hpp"

#include "http/json_out.hpp"

namespace fl::http {

namespace {

constexpr std::size_t typical_item_json = 500;

void optional_time(json_out& w, const std::optional<fl::timestamp>& t) {
  if (t)
    w.time(to_micros(*t));
  else
    w.null();
}

void strings(json_out& w, const std::vector<std::string>& list) {
  w.raw("[");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) w.raw(",");
    w.string(list[i]);
  }
  w.raw("]");
}

void write_ticket(json_out& w, const projections::ticket_record& r) {
  const auto& t = r.ticket;
  w.raw(R"({"bag_salt":)").optional_decimal(t.bag_salt);
  w.raw(R"(,"bulk_salt":)");
  if (t.bulk) {
    w.raw(R"({"quantity":)").decimal(t.bulk->quantity);
    w.raw(R"(,"unit":)").string(to_string(t.bulk->unit)).raw("}");
  } else {
    w.null();
  }
  w.raw(R"(,"calcium_chloride":)").optional_decimal(t.calcium_chloride);
  w.raw(R"(,"completed_at":)");
  if (r.completed_at_us)
    w.time(*r.completed_at_us);
  else
    w.null();
  w.raw(R"(,"contractor_id":)").string(r.contractor_id);
  w.raw(R"(,"equipment":)");
  strings(w, t.equipment);
  w.raw(R"(,"id":)").string(t.id);
  w.raw(R"(,"notes":)");
  strings(w, t.notes);
  w.raw(R"(,"property_id":)").string(t.property_id);
  w.raw(R"(,"property_name":)").string(t.property_name);
  w.raw(R"(,"started_at":)").time(to_micros(t.started_at));
  w.raw(R"(,"status":)").string(to_string(r.status()));
  w.raw(R"(,"updated_at":)").time(r.updated_at_us);
  w.raw(R"(,"work_finished_at":)");
  optional_time(w, t.work_finished_at);
  w.raw(R"(,"work_started_at":)");
  optional_time(w, t.work_started_at);
  w.raw("}");
}

}  // namespace

std::string ticket_json(const projections::ticket_record& t) {
  std::string out;
  {
    json_out w(out, typical_item_json);
    write_ticket(w, t);
  }
  return out;
}

std::string tickets_json(const projections::ticket_page& page) {
  std::string out;
  {
    json_out w(out, 64 + page.items.size() * typical_item_json);
    w.raw(R"({"items":[)");
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      if (i > 0) w.raw(",");
      write_ticket(w, page.items[i]);
    }
    w.raw(R"(],"next_cursor":)");
    if (page.next_cursor)
      w.string(*page.next_cursor);
    else
      w.null();
    w.raw("}");
  }
  return out;
}

}  // namespace fl::http
