#include "http/ticket_read_api.hpp"

#include "domain/dispatch_streams.hpp"
#include "http/auth.hpp"
#include "http/query_params.hpp"
#include "http/ticket_json.hpp"
#include "projections/ticket_reads.hpp"

namespace fl::http {

namespace {

// An id filter: none, a valid id, or 400 naming the parameter (answered).
bool id_filter(const query_params& q, std::string_view name, std::optional<std::string>& out,
               const respond_fn& respond) {
  out = q.text(name);
  if (!out || domain::is_valid_entity_id(*out)) return true;
  respond(invalid_parameter(name, "must be 1-64 characters of A-Z a-z 0-9 _ -"));
  return false;
}

}  // namespace

void handle_list_tickets(const ticket_read_deps& deps, const request_view& req,
                         respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q =
      query_params::parse(req.query, {"status", "contractor_id", "property_id", "limit", "cursor"});
  if (!q) return respond(q.error());
  projections::ticket_filter filter;
  if (auto status = q->text("status")) {
    filter.status = projections::parse_ticket_status(*status);
    if (!filter.status) return respond(invalid_parameter("status", "must be open or completed"));
  }
  if (!id_filter(*q, "contractor_id", filter.contractor_id, respond)) return;
  if (!id_filter(*q, "property_id", filter.property_id, respond)) return;
  auto page = q->page();
  if (!page) return respond(page.error());
  auto found = deps.reads->tickets(tenant->id, filter, {page->first, page->second});
  if (!found) return respond(invalid_parameter(found.error().parameter, found.error().message));
  respond(json_answer(200, tickets_json(*found)));
}

void handle_get_ticket(const ticket_read_deps& deps, const request_view& req, const std::string& id,
                       respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = query_params::parse(req.query, {});
  if (!q) return respond(q.error());
  auto found = deps.reads->ticket(tenant->id, id);
  if (!found) return respond(error_answer(404, "not_found", "no ticket " + id));
  respond(json_answer(200, ticket_json(*found)));
}

std::vector<ticket_read_route> ticket_read_routes() {
  return {
      {"/api/v1/tickets", "",
       [](const ticket_read_deps& d, const request_view& v, const std::string&, respond_fn r) {
         handle_list_tickets(d, v, std::move(r));
       }},
      {"/api/v1/tickets/:id", "id", handle_get_ticket},
  };
}

}  // namespace fl::http
