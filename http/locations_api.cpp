// POST /api/v1/technicians/{id}/status, POST /api/v1/technicians/{id}/location,
// POST /api/v1/locations (the NDJSON location stream).

#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/auth.hpp"
#include "http/dispatch_api.hpp"
#include "http/dispatch_json.hpp"
#include "http/json_fields.hpp"
#include "http/location_lines.hpp"

namespace fl::http {

namespace {

using json = nlohmann::json;

// At most this many line errors are listed in an answer (all are counted).
constexpr std::size_t max_listed_errors = 100;

json line_error_json(std::size_t line, std::string_view field, std::string_view message) {
  return {{"line", line}, {"field", field}, {"message", message}};
}

// Gathers the answers of one stream's lines; answers once the last is in.
struct stream_tally {
  std::mutex mutex;
  std::size_t left = 0;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  std::uint64_t position = 0;
  json errors = json::array();
  respond_fn respond;

  void reject(std::size_t line, std::string_view field, std::string_view message) {
    ++rejected;
    if (errors.size() < max_listed_errors) errors.push_back(line_error_json(line, field, message));
  }

  void finish_one(std::unique_lock<std::mutex>& lock) {
    if (--left > 0) return;
    json out{{"accepted", accepted},
             {"rejected", rejected},
             {"errors", std::move(errors)},
             {"position", position}};
    lock.unlock();
    respond(json_answer(rejected > 0 && accepted == 0 ? 400 : 200, dump_json(out)));
  }
};

// One technician's lines of a request, in the order of the body.
struct technician_batch {
  std::string technician_id;
  std::vector<domain::record_location> fixes;
  std::vector<std::size_t> lines;  // the body's line number of each fix
};

std::vector<technician_batch> by_technician(std::vector<location_line>& accepted) {
  std::vector<technician_batch> out;
  std::unordered_map<std::string_view, std::size_t> index;  // views into `accepted`
  for (auto& l : accepted) {
    auto [it, added] = index.try_emplace(l.technician_id, out.size());
    if (added) out.push_back({l.technician_id, {}, {}});
    auto& b = out[it->second];
    b.fixes.push_back(domain::record_location{l.lat, l.lon, l.recorded_at, l.speed_mps});
    b.lines.push_back(l.line);
  }
  return out;
}

}  // namespace

void handle_technician_status(const dispatch_api_deps& deps, const request_view& req,
                              const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown = unknown_field(*body, {"status", "job_id"}))
    return respond(unknown_field_error(*unknown));
  body_reader in(*body);
  in.require("status");
  domain::change_technician_status cmd{in.text("status").value_or(""), in.text("job_id")};
  if (in.error) return respond(std::move(*in.error));
  deps.dispatch->technician(
      tenant->id, id, std::move(cmd),
      answer_with<domain::technician_state>(std::move(respond), 200, technician_json));
}

void handle_technician_location(const dispatch_api_deps& deps, const request_view& req,
                                const std::string& id, respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto body = object_body(req, respond);
  if (!body) return;
  if (auto unknown =
          unknown_field(*body, {"technician_id", "lat", "lon", "recorded_at", "speed_mps"}))
    return respond(unknown_field_error(*unknown));
  auto fix = parse_location_fix(req.body);
  if (!fix) {
    const auto& e = fix.error();
    return respond(e.field.empty() ? error_answer(400, "invalid_json", e.message)
                                   : field_error(400, "invalid_field", e.field, e.message));
  }
  if (fix->technician_id && *fix->technician_id != id)
    return respond(field_error(400, "invalid_field", "technician_id",
                               "technician_id differs from the technician of the URL"));
  deps.dispatch->technician(
      tenant->id, id, domain::record_location{fix->lat, fix->lon, fix->recorded_at, fix->speed_mps},
      answer_with<domain::technician_state>(std::move(respond), 201, technician_json));
}

void handle_location_stream(const dispatch_api_deps& deps, const request_view& req,
                            respond_fn respond) {
  auto tenant = tenant_of(*deps.tenants, req, respond);
  if (!tenant || !dispatch_ready(deps.dispatch, respond)) return;
  auto lines = parse_location_lines(req.body);
  if (lines.accepted.empty() && lines.rejected.empty())
    return respond(error_answer(400, "empty_body", "the body holds no location line"));
  auto tally = std::make_shared<stream_tally>();
  tally->respond = std::move(respond);
  for (const auto& e : lines.rejected) tally->reject(e.line, e.field, e.message);
  // Each technician's lines, in their order, as one command: one append
  // per technician and request instead of one per line.
  auto batches = by_technician(lines.accepted);
  std::unique_lock lock(tally->mutex);
  tally->left = batches.size() + 1;  // +1: this handler, until every batch is sent
  lock.unlock();
  for (auto& b : batches) {
    deps.dispatch->technician_locations(
        tenant->id, b.technician_id, std::move(b.fixes),
        [tally, numbers = std::move(b.lines)](actors::location_batch_result r) {
          std::unique_lock lock(tally->mutex);
          for (std::size_t i = 0; i < numbers.size(); ++i) {
            const actors::dispatch_failure* f = !r               ? &r.error()
                                                : r->failures[i] ? &*r->failures[i]
                                                                 : nullptr;
            if (!f) {
              ++tally->accepted;
              continue;
            }
            tally->reject(numbers[i], f->field.empty() ? "technician_id" : f->field,
                          f->reason.empty() ? f->message : f->reason + ": " + f->message);
          }
          if (r) tally->position = std::max(tally->position, r->position);
          tally->finish_one(lock);
        });
  }
  lock.lock();
  tally->finish_one(lock);
}

}  // namespace fl::http
