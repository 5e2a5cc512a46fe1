// POST /api/v1/customers, PUT /api/v1/customers/{id}, POST
// /api/v1/technicians, PUT /api/v1/technicians/{id}.

#include "http/auth.hpp"
#include "http/dispatch_api.hpp"
#include "http/dispatch_json.hpp"
#include "http/json_fields.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

// The person's fields of a POST (with an optional id) or a PUT.
struct person_request {
  std::optional<std::string> id;
  domain::person_details details;
};

std::optional<person_request> read_person(const json& body, bool with_address, bool with_id,
                                          const respond_fn& respond) {
  // Two calls, not one list chosen by `?:`: the array behind an
  // initializer_list lives only as long as its full-expression, so a list
  // kept from a conditional dangles.
  auto unknown = with_address
                     ? unknown_field(body, {"id", "first_name", "last_name", "phone", "address"})
                     : unknown_field(body, {"id", "first_name", "last_name", "phone"});
  if (unknown || (!with_id && body.contains("id"))) {
    respond(unknown_field_error(unknown ? *unknown : "id"));
    return std::nullopt;
  }
  body_reader in(body);
  person_request out;
  if (with_id) out.id = in.text("id");
  in.require("first_name");
  in.require("phone");
  out.details.first_name = in.text("first_name").value_or("");
  out.details.last_name = in.text("last_name").value_or("");
  out.details.phone = in.text("phone").value_or("");
  if (with_address) out.details.address = in.text("address").value_or("");
  if (in.error) {
    respond(std::move(*in.error));
    return std::nullopt;
  }
  return out;
}

std::function<json(const domain::customer_state&)> customer_to_json(const dispatch_api_deps& deps,
                                                                    std::string tenant) {
  const auto* consent = deps.consent;
  return [consent, tenant = std::move(tenant)](const domain::customer_state& c) {
    return customer_json(c, consent && consent->is_opted_out(tenant, c.phone));
  };
}

}  // namespace

void handle_create_customer(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto person = read_person(*body, true, true, respond);
  if (!person) return;
  auto id = person->id.value_or(new_entity_id("cus_"));
  deps.dispatch->customer(tenant->id, id, domain::register_customer{id, std::move(person->details)},
                          answer_with<domain::customer_state>(std::move(respond), 201,
                                                              customer_to_json(deps, tenant->id)));
}

void handle_put_customer(const dispatch_api_deps& deps, const request_view& req,
                         const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto person = read_person(*body, true, false, respond);
  if (!person) return;
  deps.dispatch->customer(tenant->id, id, domain::update_customer{std::move(person->details)},
                          answer_with<domain::customer_state>(std::move(respond), 200,
                                                              customer_to_json(deps, tenant->id)));
}

void handle_create_technician(const dispatch_api_deps& deps, const request_view& req,
                              respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto person = read_person(*body, false, true, respond);
  if (!person) return;
  auto id = person->id.value_or(new_entity_id("tech_"));
  deps.dispatch->technician(
      tenant->id, id, domain::register_technician{id, std::move(person->details)},
      answer_with<domain::technician_state>(std::move(respond), 201, technician_json));
}

void handle_put_technician(const dispatch_api_deps& deps, const request_view& req,
                           const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  auto person = read_person(*body, false, false, respond);
  if (!person) return;
  deps.dispatch->technician(
      tenant->id, id, domain::update_technician{std::move(person->details)},
      answer_with<domain::technician_state>(std::move(respond), 200, technician_json));
}

}  // namespace fl::http
