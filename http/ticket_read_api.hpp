#pragma once

// The tickets' read routes of api.md, answered from the tickets projection.
// Tickets are written by the contractors' ticket sessions (texts), never
// through the API.

#include <memory>
#include <string>
#include <vector>

#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::projections {
class ticket_reads;
}

namespace fl::http {

struct ticket_read_deps {
  const domain::tenant_directory* tenants = nullptr;
  std::shared_ptr<const projections::ticket_reads> reads;
};

/// `GET /api/v1/tickets?status=&contractor_id=&property_id=&limit=&cursor=`:
/// newest first (by the log position that started each ticket).
void handle_list_tickets(const ticket_read_deps& deps, const request_view& req, respond_fn respond);
/// `GET /api/v1/tickets/{id}`: 404 for none, or another tenant's.
void handle_get_ticket(const ticket_read_deps& deps, const request_view& req, const std::string& id,
                       respond_fn respond);

/// One of the routes above, for the server to register (all are GETs).
struct ticket_read_route {
  std::string path;   // express form: "/api/v1/tickets/:id"
  std::string param;  // the path parameter's name; "" for none
  void (*handle)(const ticket_read_deps& deps, const request_view& req, const std::string& param,
                 respond_fn respond);
};
std::vector<ticket_read_route> ticket_read_routes();

}  // namespace fl::http
