// POST /api/v1/jobs, PUT /api/v1/jobs/{id}, POST /api/v1/jobs/{id}/assign,
// POST /api/v1/jobs/{id}/cancel, POST /api/v1/sms/trigger/{type},
// POST /api/v1/sms/send-reminders.

#include "domain/dispatch_streams.hpp"
#include "http/auth.hpp"
#include "http/dispatch_api.hpp"
#include "http/dispatch_json.hpp"
#include "http/json_fields.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;
using job_result = actors::dispatch_result<domain::job_state>;

// The place and invoice link of a POST or PUT.
struct job_place {
  std::string address;
  std::optional<double> lat, lon;
  std::optional<std::string> invoice_link;
};

job_place read_place(body_reader& in) {
  in.require("address");
  return {in.text("address").value_or(""), in.number("lat"), in.number("lon"),
          in.text("invoice_link")};
}

// Runs `next` after `first` succeeded, merging their positions; a failure
// of either is the answer.
std::function<void(job_result)> then_run(respond_fn respond,
                                         std::function<void(std::uint64_t, respond_fn)> next) {
  return [respond = std::move(respond), next = std::move(next)](job_result r) {
    if (!r) return respond(dispatch_failure_answer(r.error()));
    next(r->position, respond);
  };
}

actors::dispatch_reply_fn<domain::job_state> answer_job(respond_fn respond, int status,
                                                        std::uint64_t earlier = 0) {
  return [respond = std::move(respond), status, earlier](job_result r) {
    if (!r) return respond(dispatch_failure_answer(r.error()));
    json out = job_json(r->state);
    out["position"] = std::max(earlier, r->position);
    respond(json_answer(status, dump_json(out)));
  };
}

}  // namespace

void handle_create_job(const dispatch_api_deps& deps, const request_view& req, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown = unknown_field(*body, {"id", "customer_id", "technician_id", "address", "lat",
                                           "lon", "scheduled_at", "invoice_link"}))
    return respond(unknown_field_error(*unknown));
  body_reader in(*body);
  domain::create_job cmd;
  auto id = in.text("id");
  in.require("customer_id");
  cmd.customer_id = in.text("customer_id").value_or("");
  auto technician_id = in.text("technician_id");
  auto place = read_place(in);
  in.require("scheduled_at");
  auto scheduled_at = in.time("scheduled_at");
  if (in.error) return respond(std::move(*in.error));
  cmd.id = id.value_or(new_entity_id("job_"));
  cmd.address = std::move(place.address);
  cmd.lat = place.lat;
  cmd.lon = place.lon;
  cmd.invoice_link = std::move(place.invoice_link);
  cmd.scheduled_at = *scheduled_at;
  auto tenant_id = tenant->id;
  auto job_id = cmd.id;
  auto* dispatch = deps.dispatch;
  if (!technician_id)
    return dispatch->job(tenant_id, job_id, std::move(cmd), answer_job(std::move(respond), 201));
  // The technician is checked before the job is booked: a refused request
  // records nothing (else the job would exist behind a 404).
  if (!domain::is_valid_entity_id(*technician_id))
    return respond(field_error(400, "invalid_field", "technician_id",
                               "technician_id must be 1..64 of A-Z a-z 0-9 _ -"));
  dispatch->technician_state(
      tenant_id, *technician_id,
      [dispatch, tenant_id, job_id, technician_id = *technician_id, cmd = std::move(cmd),
       respond = std::move(respond)](domain::technician_state technician) mutable {
        if (!technician.registered())
          return respond(
              field_error(404, "not_found", "technician_id", "no technician " + technician_id));
        dispatch->job(tenant_id, job_id, std::move(cmd),
                      then_run(std::move(respond), [dispatch, tenant_id, job_id, technician_id](
                                                       std::uint64_t created, respond_fn respond) {
                        dispatch->job(tenant_id, job_id, domain::assign_job{technician_id},
                                      answer_job(std::move(respond), 201, created));
                      }));
      });
}

void handle_put_job(const dispatch_api_deps& deps, const request_view& req, const std::string& id,
                    respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown =
          unknown_field(*body, {"address", "lat", "lon", "scheduled_at", "invoice_link"}))
    return respond(unknown_field_error(*unknown));
  body_reader in(*body);
  auto place = read_place(in);
  auto scheduled_at = in.time("scheduled_at");
  if (in.error) return respond(std::move(*in.error));
  domain::update_job update{std::move(place.address), place.lat, place.lon,
                            std::move(place.invoice_link)};
  auto tenant_id = tenant->id;
  auto* dispatch = deps.dispatch;
  if (!scheduled_at)
    return dispatch->job(tenant_id, id, std::move(update), answer_job(std::move(respond), 200));
  // A closed job cannot move: refused before its place is changed, so that
  // a 409 records nothing.
  dispatch->job_state(
      tenant_id, id,
      [dispatch, tenant_id, id, at = *scheduled_at, update = std::move(update),
       respond = std::move(respond)](domain::job_state job) mutable {
        if (job.created() && job.closed() && job.scheduled_at != at)
          return respond(error_answer(409, "job_closed",
                                      "the job is " + std::string(domain::to_string(job.status))));
        dispatch->job(tenant_id, id, std::move(update),
                      then_run(std::move(respond), [dispatch, tenant_id, id, at](
                                                       std::uint64_t updated, respond_fn respond) {
                        dispatch->job(tenant_id, id, domain::reschedule_job{at},
                                      answer_job(std::move(respond), 200, updated));
                      }));
      });
}

void handle_assign_job(const dispatch_api_deps& deps, const request_view& req,
                       const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown = unknown_field(*body, {"technician_id"}))
    return respond(unknown_field_error(*unknown));
  body_reader in(*body);
  in.require("technician_id");
  auto technician_id = in.text("technician_id");
  if (in.error) return respond(std::move(*in.error));
  deps.dispatch->job(tenant->id, id, domain::assign_job{*technician_id},
                     answer_job(std::move(respond), 200));
}

void handle_cancel_job(const dispatch_api_deps& deps, const request_view& req,
                       const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  deps.dispatch->job(tenant->id, id, domain::cancel_job{}, answer_job(std::move(respond), 200));
}

void handle_trigger_notification(const dispatch_api_deps& deps, const request_view& req,
                                 const std::string& type, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown = unknown_field(*body, {"job_id"}))
    return respond(unknown_field_error(*unknown));
  body_reader in(*body);
  in.require("job_id");
  auto job_id = in.text("job_id");
  if (in.error) return respond(std::move(*in.error));
  deps.dispatch->job(tenant->id, *job_id, domain::trigger_notification{type},
                     [respond = std::move(respond), type](job_result r) {
                       if (!r) return respond(dispatch_failure_answer(r.error()));
                       json out{{"job_id", r->state.id},
                                {"trigger", type},
                                {"position", r->position},
                                {"job", job_json(r->state)}};
                       respond(json_answer(200, dump_json(out)));
                     });
}

void handle_send_reminders(const dispatch_api_deps& deps, const request_view& req,
                           respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  std::optional<fl::timestamp> as_of;
  if (!req.body.empty()) {
    auto body = object_body(req, respond);
    if (!body) return;
    if (auto unknown = unknown_field(*body, {"as_of"}))
      return respond(unknown_field_error(*unknown));
    body_reader in(*body);
    as_of = in.time("as_of");
    if (in.error) return respond(std::move(*in.error));
  }
  deps.dispatch->send_reminders(
      tenant->id, as_of, [respond = std::move(respond)](actors::reminder_sweep_result r) {
        respond(json_answer(200, dump_json({{"jobs_checked", r.jobs_checked},
                                            {"reminders", r.reminders},
                                            {"failed_jobs", r.failed_jobs},
                                            {"position", r.position}})));
      });
}

}  // namespace fl::http
