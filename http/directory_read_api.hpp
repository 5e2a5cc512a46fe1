#pragma once

// The field-service directory's read routes of api.md: customers,
// technicians and jobs, answered from the directory projection. The writes
// on the same paths (POST, PUT) go through the actors, elsewhere.

#include <memory>
#include <string>
#include <vector>

#include "domain/tenant_directory.hpp"
#include "http/exchange.hpp"

namespace fl::projections {
class directory_reads;
}

namespace fl::http {

struct directory_read_deps {
  const domain::tenant_directory* tenants = nullptr;
  std::shared_ptr<const projections::directory_reads> reads;
};

/// `GET /api/v1/customers?limit=&cursor=`
void handle_list_customers(const directory_read_deps& deps, const request_view& req,
                           respond_fn respond);
/// `GET /api/v1/customers/{id}`
void handle_get_customer(const directory_read_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond);
/// `GET /api/v1/technicians?limit=&cursor=`
void handle_list_technicians(const directory_read_deps& deps, const request_view& req,
                             respond_fn respond);
/// `GET /api/v1/technicians/{id}`
void handle_get_technician(const directory_read_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond);
/// `GET /api/v1/jobs?status=&technician_id=&customer_id=&limit=&cursor=`
void handle_list_jobs(const directory_read_deps& deps, const request_view& req, respond_fn respond);
/// `GET /api/v1/jobs/{id}`
void handle_get_job(const directory_read_deps& deps, const request_view& req, const std::string& id,
                    respond_fn respond);

/// `GET /api/v1/contractors?limit=&cursor=`
void handle_list_contractors(const directory_read_deps& deps, const request_view& req,
                             respond_fn respond);
/// `GET /api/v1/contractors/{id}`: with `preferences` and `property_ids`.
void handle_get_contractor(const directory_read_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond);
/// `GET /api/v1/contractors/{id}/preferences`
void handle_get_contractor_preferences(const directory_read_deps& deps, const request_view& req,
                                       const std::string& id, respond_fn respond);
/// `GET /api/v1/properties?limit=&cursor=`
void handle_list_properties(const directory_read_deps& deps, const request_view& req,
                            respond_fn respond);
/// `GET /api/v1/properties/{id}`: with `contractor_ids`.
void handle_get_property(const directory_read_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond);

/// One of the routes above, for the server to register (all are GETs).
struct directory_read_route {
  std::string path;   // express form: "/api/v1/jobs/:id"
  std::string param;  // the path parameter's name; "" for none
  void (*handle)(const directory_read_deps& deps, const request_view& req, const std::string& param,
                 respond_fn respond);
};
std::vector<directory_read_route> directory_read_routes();

}  // namespace fl::http
