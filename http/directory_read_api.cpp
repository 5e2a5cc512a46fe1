#include "http/directory_read_api.hpp"

#include "domain/dispatch_streams.hpp"
#include "domain/job_state.hpp"
#include "http/auth.hpp"
#include "http/contractor_json.hpp"
#include "http/directory_json.hpp"
#include "http/json_fields.hpp"
#include "http/query_params.hpp"
#include "projections/directory_reads.hpp"

namespace fl::http {

namespace {

// Parses the query or answers 400; nullopt when it answered.
std::optional<query_params> params(const request_view& req, const respond_fn& respond,
                                   std::initializer_list<std::string_view> known) {
  auto p = query_params::parse(req.query, known);
  if (!p) {
    respond(p.error());
    return std::nullopt;
  }
  return std::move(*p);
}

std::optional<projections::page_request> page_of(const query_params& q, const respond_fn& respond) {
  auto page = q.page();
  if (!page) {
    respond(page.error());
    return std::nullopt;
  }
  return projections::page_request{page->first, page->second};
}

answer not_found(std::string_view kind, std::string_view id) {
  return error_answer(404, "not_found", "no " + std::string(kind) + " " + std::string(id));
}

// A listing without filters: `list(tenant, page)`, written by `write`.
template <class List, class Write>
void list_route(const directory_read_deps& deps, const request_view& req, respond_fn respond,
                List list, Write write) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond, {"limit", "cursor"});
  if (!q) return;
  auto page = page_of(*q, respond);
  if (!page) return;
  auto found = list(*deps.reads, tenant->id, *page);
  if (!found) return respond(invalid_parameter(found.error().parameter, found.error().message));
  respond(json_answer(200, write(*found)));
}

// One entry by id: `find(tenant, id)`, written by `write`; 404 for another
// tenant's or none.
template <class Find, class Write>
void get_route(const directory_read_deps& deps, const request_view& req, const std::string& id,
               respond_fn respond, std::string_view kind, Find find, Write write) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  if (!params(req, respond, {})) return;
  auto found = find(*deps.reads, tenant->id, id);
  if (!found) return respond(not_found(kind, id));
  respond(json_answer(200, write(*found)));
}

// An id filter: none, a valid id, or 400 naming the parameter (answered).
bool id_filter(const query_params& q, std::string_view name, std::optional<std::string>& out,
               const respond_fn& respond) {
  out = q.text(name);
  if (!out || domain::is_valid_entity_id(*out)) return true;
  respond(invalid_parameter(name, "must be 1-64 characters of A-Z a-z 0-9 _ -"));
  return false;
}

nlohmann::json item_json(const projections::contractor_record& c) {
  return contractor_json(c);
}
nlohmann::json item_json(const projections::property_record& p) {
  return property_json(p);
}

}  // namespace

void handle_list_customers(const directory_read_deps& deps, const request_view& req,
                           respond_fn respond) {
  list_route(
      deps, req, std::move(respond),
      [](const auto& reads, const auto& tenant, const auto& page) {
        return reads.customers(tenant, page);
      },
      customers_json);
}

void handle_get_customer(const directory_read_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond) {
  get_route(
      deps, req, id, std::move(respond), "customer",
      [](const auto& reads, const auto& tenant, const auto& id) {
        return reads.customer(tenant, id);
      },
      customer_json);
}

void handle_list_technicians(const directory_read_deps& deps, const request_view& req,
                             respond_fn respond) {
  list_route(
      deps, req, std::move(respond),
      [](const auto& reads, const auto& tenant, const auto& page) {
        return reads.technicians(tenant, page);
      },
      technicians_json);
}

void handle_get_technician(const directory_read_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond) {
  get_route(
      deps, req, id, std::move(respond), "technician",
      [](const auto& reads, const auto& tenant, const auto& id) {
        return reads.technician(tenant, id);
      },
      technician_json);
}

void handle_list_jobs(const directory_read_deps& deps, const request_view& req,
                      respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto q = params(req, respond, {"status", "technician_id", "customer_id", "limit", "cursor"});
  if (!q) return;
  projections::job_filter filter;
  filter.status = q->text("status");
  if (filter.status && !domain::parse_job_status(*filter.status))
    return respond(invalid_parameter(
        "status", "must be unassigned, scheduled, enroute, on_site, complete or cancelled"));
  if (!id_filter(*q, "technician_id", filter.technician_id, respond)) return;
  if (!id_filter(*q, "customer_id", filter.customer_id, respond)) return;
  auto page = page_of(*q, respond);
  if (!page) return;
  auto found = deps.reads->jobs(tenant->id, filter, *page);
  if (!found) return respond(invalid_parameter(found.error().parameter, found.error().message));
  respond(json_answer(200, jobs_json(*found)));
}

void handle_get_job(const directory_read_deps& deps, const request_view& req, const std::string& id,
                    respond_fn respond) {
  get_route(
      deps, req, id, std::move(respond), "job",
      [](const auto& reads, const auto& tenant, const auto& id) { return reads.job(tenant, id); },
      job_json);
}

namespace {

// A page of records written with the JSON of each.
template <class Record>
std::string page_json(const projections::directory_page<Record>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : page.items) items.push_back(item_json(r));
  return dump_json({{"items", std::move(items)},
                    {"next_cursor", page.next_cursor ? nlohmann::json(*page.next_cursor)
                                                     : nlohmann::json(nullptr)}});
}

}  // namespace

void handle_list_contractors(const directory_read_deps& deps, const request_view& req,
                             respond_fn respond) {
  list_route(
      deps, req, std::move(respond),
      [](const auto& reads, const auto& tenant, const auto& page) {
        return reads.contractors(tenant, page);
      },
      [](const auto& page) { return page_json(page); });
}

namespace {

// The contractor `id` written by `write`, or 404 (another tenant's, none,
// no id at all).
template <class Write>
void contractor_route(const directory_read_deps& deps, const request_view& req,
                      const std::string& id, respond_fn respond, Write write) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  if (!params(req, respond, {})) return;
  auto found = deps.reads->contractor(tenant->id, id);
  if (!found || !*found) return respond(not_found("contractor", id));
  respond(json_answer(200, dump_json(write(**found))));
}

}  // namespace

void handle_get_contractor(const directory_read_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond) {
  contractor_route(deps, req, id, std::move(respond),
                   [](const projections::contractor_record& c) { return contractor_json(c); });
}

void handle_get_contractor_preferences(const directory_read_deps& deps, const request_view& req,
                                       const std::string& id, respond_fn respond) {
  contractor_route(deps, req, id, std::move(respond),
                   [](const projections::contractor_record& c) { return preferences_json(c); });
}

void handle_list_properties(const directory_read_deps& deps, const request_view& req,
                            respond_fn respond) {
  list_route(
      deps, req, std::move(respond),
      [](const auto& reads, const auto& tenant, const auto& page) {
        return reads.properties(tenant, page);
      },
      [](const auto& page) { return page_json(page); });
}

void handle_get_property(const directory_read_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond) {
  get_route(
      deps, req, id, std::move(respond), "property",
      [](const auto& reads, const auto& tenant, const auto& id) {
        return reads.property(tenant, id);
      },
      [](const projections::property_record& p) { return dump_json(property_json(p)); });
}

std::vector<directory_read_route> directory_read_routes() {
  // Lists take no path parameter; the route type has one for every handler.
  using deps_t = const directory_read_deps&;
  using req_t = const request_view&;
  return {
      {"/api/v1/customers", "",
       [](deps_t d, req_t v, const std::string&, respond_fn r) {
         handle_list_customers(d, v, std::move(r));
       }},
      {"/api/v1/customers/:id", "id", handle_get_customer},
      {"/api/v1/technicians", "",
       [](deps_t d, req_t v, const std::string&, respond_fn r) {
         handle_list_technicians(d, v, std::move(r));
       }},
      {"/api/v1/technicians/:id", "id", handle_get_technician},
      {"/api/v1/jobs", "",
       [](deps_t d, req_t v, const std::string&, respond_fn r) {
         handle_list_jobs(d, v, std::move(r));
       }},
      {"/api/v1/jobs/:id", "id", handle_get_job},
      {"/api/v1/contractors", "",
       [](deps_t d, req_t v, const std::string&, respond_fn r) {
         handle_list_contractors(d, v, std::move(r));
       }},
      {"/api/v1/contractors/:id", "id", handle_get_contractor},
      {"/api/v1/contractors/:id/preferences", "id", handle_get_contractor_preferences},
      {"/api/v1/properties", "",
       [](deps_t d, req_t v, const std::string&, respond_fn r) {
         handle_list_properties(d, v, std::move(r));
       }},
      {"/api/v1/properties/:id", "id", handle_get_property},
  };
}

}  // namespace fl::http
