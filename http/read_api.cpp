#include "http/read_api.hpp"

#include <nlohmann/json.hpp>

#include "domain/local_calendar.hpp"
#include "http/auth.hpp"
#include "http/query_params.hpp"
#include "http/read_json.hpp"
#include "projections/read_model.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

answer query_refused(const projections::query_error& e) {
  return invalid_parameter(e.parameter, e.message);
}

// Parses the query or answers 400; null when it answered.
std::optional<query_params> params(const request_view& req, const respond_fn& respond,
                                   std::initializer_list<std::string_view> known) {
  auto p = query_params::parse(req.query, known);
  if (!p) {
    respond(p.error());
    return std::nullopt;
  }
  return std::move(*p);
}

}  // namespace

void handle_list_messages(const read_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond,
                  {"direction", "status", "trigger", "customer_id", "contractor_id", "since",
                   "limit", "cursor"});
  if (!q) return;
  projections::message_filter filter;
  filter.direction = q->text("direction");
  if (filter.direction && *filter.direction != "inbound" && *filter.direction != "outbound")
    return respond(invalid_parameter("direction", "must be inbound or outbound"));
  filter.status = q->text("status");
  filter.trigger = q->text("trigger");
  filter.customer_id = q->text("customer_id");
  filter.contractor_id = q->text("contractor_id");
  auto since = q->time("since");
  if (!since) return respond(since.error());
  filter.since = *since;
  auto page = q->page();
  if (!page) return respond(page.error());
  auto found = deps.reads->stored_messages(tenant->id, filter, {page->first, page->second});
  if (!found) return respond(query_refused(found.error()));
  respond(json_answer(200, messages_json(*found)));
}

void handle_list_conversations(const read_api_deps& deps, const request_view& req,
                               respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond, {"limit", "cursor"});
  if (!q) return;
  auto page = q->page();
  if (!page) return respond(page.error());
  auto found = deps.reads->stored_conversations(tenant->id, {page->first, page->second});
  if (!found) return respond(query_refused(found.error()));
  respond(json_answer(200, conversations_json(*found)));
}

void handle_get_conversation(const read_api_deps& deps, const request_view& req,
                             const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond, {"limit", "cursor"});
  if (!q) return;
  auto limit = q->number("limit", 1, 500);
  if (!limit) return respond(limit.error());
  auto phone = projections::phone_of_conversation(id);
  if (!phone) return respond(error_answer(404, "not_found", "no conversation " + id));
  auto found = deps.reads->stored_conversation(tenant->id, *phone,
                                               {limit->value_or(500), q->text("cursor")});
  if (!found) return respond(query_refused(found.error()));
  if (!*found) return respond(error_answer(404, "not_found", "no conversation " + id));
  respond(json_answer(200, conversation_detail_json(**found)));
}

void handle_mark_conversation_read(const read_api_deps& deps, const request_view& req,
                                   const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto phone = projections::phone_of_conversation(id);
  if (!phone) return respond(error_answer(404, "not_found", "no conversation " + id));
  // Only a conversation the tenant has (asked of the log, which the read
  // side may lag): no actor, and no stream, for anything else.
  auto key = actors::conversation_key(tenant->id, *phone);
  auto version = deps.store->stream_version(key.stream());
  if (!version) return respond(error_answer(503, "unavailable", version.error().message));
  if (*version == 0) return respond(error_answer(404, "not_found", "no conversation " + id));
  deps.runtime->submit(key, domain::mark_read{}, [respond, id](actors::command_result r) {
    if (!r) return respond(error_answer(503, to_string(r.error().code), r.error().message));
    std::int64_t marked = 0;
    for (const auto& e : r->events)
      if (const auto* read = std::get_if<events::conversation_read>(&e))
        marked = read->messages_read;
    json out{{"id", id}, {"unread", 0}, {"messages_read", marked}};
    out["position"] = r->position == 0 ? json() : json(r->position);
    respond(json_answer(200, dump(out)));
  });
}

void handle_get_stats(const read_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond, {"date"});
  if (!q) return;
  auto zone = domain::find_time_zone(tenant->timezone);
  std::string day = domain::local_date_of(deps.clock(), zone).day;
  if (auto asked = q->text("date")) {
    if (!domain::is_calendar_day(*asked))
      return respond(invalid_parameter("date", "must be a calendar date YYYY-MM-DD"));
    day = *asked;
  }
  auto s = deps.reads->stats(tenant->id, day);
  auto finals = s.this_month.delivered + s.this_month.failed;
  json rate = finals == 0 ? json() : json(static_cast<double>(s.this_month.delivered) / finals);
  respond(json_answer(200, dump({{"date", s.day},
                                 {"month", s.month},
                                 {"timezone", tenant->timezone},
                                 {"sent_today", s.today.sent},
                                 {"sent_month", s.this_month.sent},
                                 {"received_today", s.today.received},
                                 {"received_month", s.this_month.received},
                                 {"delivered", s.this_month.delivered},
                                 {"failed", s.this_month.failed},
                                 {"delivered_today", s.today.delivered},
                                 {"failed_today", s.today.failed},
                                 {"delivery_rate", rate},
                                 {"opted_out", s.opted_out}})));
}

}  // namespace fl::http
