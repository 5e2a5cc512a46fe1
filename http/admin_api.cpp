#include "http/admin_api.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "base/sha256.hpp"
#include "base/timestamp.hpp"
#include "domain/dispatch_streams.hpp"
#include "domain/phone_number.hpp"
#include "http/auth.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

std::optional<answer> check_operator(const admin_api_deps& deps, const request_view& req) {
  auto token = bearer_token(req);
  if (!token) return error_answer(401, "unauthorized", "an operator bearer token is required");
  if (!deps.operator_token)
    return error_answer(403, "tenant_admin_disabled",
                        "tenant administration is disabled: set FIELDLINE_OPERATOR_TOKEN");
  if (!same_secret(*token, *deps.operator_token))
    return error_answer(401, "unauthorized", "the bearer token is not the operator token");
  return std::nullopt;
}

json tenant_json(const domain::tenant& t) {
  json numbers = json::array();
  for (const auto& n : t.numbers)
    numbers.push_back({{"number", n.number}, {"max_per_second", n.max_per_second}});
  return {
      {"id", t.id},
      {"name", t.name},
      {"timezone", t.timezone},
      {"region", t.region},
      {"phone_number", t.default_sender()},
      {"phone_numbers", numbers},
      {"messaging_service_sid", t.messaging_service_sid ? json(*t.messaging_service_sid) : json()},
      {"twilio_account_sid", t.twilio_account_sid ? json(*t.twilio_account_sid) : json()},
      {"has_twilio_auth_token", t.twilio_auth_token.has_value()},
      {"created_at", format_rfc3339_utc(t.created_at)}};
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses a JSON object body; answers 400 itself when it is not one.
std::optional<json> object_body(const request_view& req, const respond_fn& respond) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    respond(error_answer(400, "invalid_json", "the body must be a JSON object"));
    return std::nullopt;
  }
  return body;
}

// Reads an optional string field; answers 400 naming it when it has another type.
bool read_string(const json& body, const char* name, std::optional<std::string>& out,
                 const respond_fn& respond) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) {
    respond(error_answer(400, "invalid_field", std::string(name) + " must be a string"));
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool reject_unknown_fields(const json& body, const std::set<std::string>& known,
                           const respond_fn& respond) {
  for (const auto& [key, value] : body.items())
    if (!known.contains(key)) {
      respond(error_answer(400, "unknown_field", "unknown field \"" + key + "\""));
      return false;
    }
  return true;
}

}  // namespace

void handle_create_tenant(const admin_api_deps& deps, const request_view& req, respond_fn respond) {
  if (auto refused = check_operator(deps, req)) return respond(std::move(*refused));
  auto body = object_body(req, respond);
  if (!body) return;
  if (!reject_unknown_fields(
          *body,
          {"name", "timezone", "phone_number", "phone_numbers", "region", "messaging_service_sid",
           "twilio_account_sid", "twilio_auth_token", "max_per_second"},
          respond))
    return;
  tenants::new_tenant request;
  std::optional<std::string> name, timezone, phone, token;
  if (!read_string(*body, "name", name, respond) ||
      !read_string(*body, "timezone", timezone, respond) ||
      !read_string(*body, "phone_number", phone, respond) ||
      !read_string(*body, "region", request.region, respond) ||
      !read_string(*body, "messaging_service_sid", request.messaging_service_sid, respond) ||
      !read_string(*body, "twilio_account_sid", request.twilio_account_sid, respond) ||
      !read_string(*body, "twilio_auth_token", token, respond))
    return;
  request.name = name.value_or("");
  request.timezone = timezone.value_or("");
  if (phone) request.phone_numbers.push_back({*phone, std::nullopt});
  if (auto it = body->find("phone_numbers"); it != body->end() && !it->is_null()) {
    constexpr std::string_view shape =
        "phone_numbers must be an array of numbers or of {\"number\", \"max_per_second\"}";
    if (!it->is_array()) return respond(error_answer(400, "invalid_field", shape));
    for (const auto& n : *it) {
      if (n.is_string()) {
        request.phone_numbers.push_back({n.get<std::string>(), std::nullopt});
        continue;
      }
      auto number = n.is_object() ? n.find("number") : n.end();
      if (!n.is_object() || number == n.end() || !number->is_string())
        return respond(error_answer(400, "invalid_field", shape));
      std::optional<std::int64_t> rate;
      if (auto r = n.find("max_per_second"); r != n.end() && !r->is_null()) {
        if (!r->is_number_integer()) return respond(error_answer(400, "invalid_field", shape));
        rate = r->get<std::int64_t>();
      }
      request.phone_numbers.push_back({number->get<std::string>(), rate});
    }
  }
  if (token) request.twilio_auth_token = secret(*token);
  if (auto it = body->find("max_per_second"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer())
      return respond(error_answer(400, "invalid_field", "max_per_second must be an integer"));
    request.max_per_second = it->get<std::int64_t>();
  }
  auto created = deps.tenant_service->create(request);
  if (!created) {
    const auto& e = created.error();
    int status = e.code == tenants::tenant_errc::number_taken  ? 409
                 : e.code == tenants::tenant_errc::unavailable ? 503
                                                               : 400;
    std::string message = e.field.empty() || e.message.rfind(e.field, 0) == 0
                              ? e.message
                              : e.field + ": " + e.message;
    return respond(error_answer(status, to_string(e.code), message));
  }
  json out = tenant_json(*created->tenant);
  out["api_token"] = created->api_token;
  out["position"] = created->position;
  respond(json_answer(201, dump(out)));
}

namespace {

// Who is asking: the operator (every tenant) or one tenant (only itself).
struct reader {
  bool is_operator = false;
  domain::tenant_directory::tenant_ptr tenant;
};

std::optional<reader> who_reads(const admin_api_deps& deps, const request_view& req,
                                const respond_fn& respond) {
  auto token = bearer_token(req);
  if (!token) {
    respond(error_answer(401, "unauthorized", "a bearer token is required"));
    return std::nullopt;
  }
  if (deps.operator_token && same_secret(*token, *deps.operator_token))
    return reader{true, nullptr};
  if (auto t = deps.tenants->by_token_hash(tenants::token_hash(*token))) return reader{false, t};
  respond(error_answer(401, "unauthorized",
                       "the bearer token is neither the operator's nor a tenant's"));
  return std::nullopt;
}

}  // namespace

void handle_list_tenants(const admin_api_deps& deps, const request_view& req, respond_fn respond) {
  auto who = who_reads(deps, req, respond);
  if (!who) return;
  json items = json::array();
  if (who->is_operator)
    for (const auto& t : deps.tenants->all()) items.push_back(tenant_json(*t));
  else
    items.push_back(tenant_json(*who->tenant));
  respond(json_answer(200, dump({{"items", items}, {"next_cursor", nullptr}})));
}

void handle_get_tenant(const admin_api_deps& deps, const request_view& req, const std::string& id,
                       respond_fn respond) {
  auto who = who_reads(deps, req, respond);
  if (!who) return;
  auto t = deps.tenants->by_id(id);
  // Another tenant's id is as absent as an unknown one.
  if (!t || (!who->is_operator && t->id != who->tenant->id))
    return respond(error_answer(404, "not_found", "no tenant " + id));
  respond(json_answer(200, dump(tenant_json(*t))));
}

namespace {

// Queues a manual text in the conversation with `phone` and answers it.
void queue_manual(actors::messaging_runtime& runtime, const std::string& tenant,
                  const std::string& phone, domain::send_sms cmd, respond_fn respond) {
  runtime.submit(
      actors::conversation_key(tenant, phone), std::move(cmd), [respond](actors::command_result r) {
        if (!r) {
          const auto& f = r.error();
          if (f.code == actors::command_errc::rejected) {
            bool opted_out = f.domain_code == domain::conversation_errc::opted_out;
            return respond(error_answer(opted_out ? 409 : 400,
                                        opted_out ? "opted_out" : "invalid_field", f.message));
          }
          return respond(error_answer(503, to_string(f.code), f.message));
        }
        for (const auto& e : r->events)
          if (const auto* q = std::get_if<events::sms_queued>(&e))
            return respond(json_answer(
                201,
                dump({{"id", q->message_id},
                      {"direction", "outbound"},
                      {"from", q->from},
                      {"to", q->to},
                      {"body", q->body},
                      {"trigger", q->trigger},
                      {"status", "queued"},
                      {"segments", q->segments},
                      {"encoding", q->encoding},
                      {"customer_id", q->customer_id ? json(*q->customer_id) : json(nullptr)},
                      {"contractor_id", q->contractor_id ? json(*q->contractor_id) : json(nullptr)},
                      {"position", r->position}})));
        respond(error_answer(503, "unavailable", "the message was not queued"));
      });
}

}  // namespace

void handle_send_sms(const admin_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (!reject_unknown_fields(*body, {"to", "customer_id", "contractor_id", "body"}, respond))
    return;
  std::optional<std::string> to, customer_id, contractor_id, text;
  if (!read_string(*body, "to", to, respond) ||
      !read_string(*body, "customer_id", customer_id, respond) ||
      !read_string(*body, "contractor_id", contractor_id, respond) ||
      !read_string(*body, "body", text, respond))
    return;
  int recipients = (to ? 1 : 0) + (customer_id ? 1 : 0) + (contractor_id ? 1 : 0);
  if (recipients != 1)
    return respond(
        error_answer(400, "invalid_field", "give exactly one of to, customer_id, contractor_id"));
  if (!text) return respond(error_answer(400, "invalid_field", "body is required"));
  domain::send_sms cmd;
  cmd.body = *text;
  cmd.trigger = "manual";
  if (contractor_id) {
    if (!deps.dispatch || !domain::is_valid_entity_id(*contractor_id))
      return respond(error_answer(404, "not_found", "no contractor " + *contractor_id));
    cmd.contractor_id = *contractor_id;
    return deps.dispatch->contractor_state(
        tenant->id, *contractor_id,
        [runtime = deps.runtime, tenant_id = tenant->id, cmd = std::move(cmd),
         respond = std::move(respond)](domain::contractor_state c) mutable {
          if (!c.registered())
            return respond(error_answer(404, "not_found", "no contractor " + *cmd.contractor_id));
          queue_manual(*runtime, tenant_id, c.phone, std::move(cmd), std::move(respond));
        });
  }
  if (customer_id) {
    if (!deps.dispatch || !domain::is_valid_entity_id(*customer_id))
      return respond(error_answer(404, "not_found", "no customer " + *customer_id));
    cmd.customer_id = *customer_id;
    // The customer's actor knows its phone; the text goes to its conversation.
    return deps.dispatch->customer_state(
        tenant->id, *customer_id,
        [runtime = deps.runtime, tenant_id = tenant->id, cmd = std::move(cmd),
         respond = std::move(respond)](domain::customer_state c) mutable {
          if (!c.registered())
            return respond(error_answer(404, "not_found", "no customer " + *cmd.customer_id));
          queue_manual(*runtime, tenant_id, c.phone, std::move(cmd), std::move(respond));
        });
  }
  auto phone = domain::parse_phone(*to, tenant->region);
  if (!phone) return respond(error_answer(400, "invalid_field", "to: " + phone.error().message));
  queue_manual(*deps.runtime, tenant->id, phone->e164(), std::move(cmd), std::move(respond));
}

}  // namespace fl::http
