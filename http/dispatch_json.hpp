#pragma once

// JSON of the field-service directory (customers, technicians, jobs) for
// the write routes, and what a refused dispatch command answers.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "actors/dispatch_runtime.hpp"
#include "domain/customer.hpp"
#include "domain/job_state.hpp"
#include "domain/technician.hpp"
#include "http/exchange.hpp"
#include "http/json_fields.hpp"

namespace fl::http {

nlohmann::json customer_json(const domain::customer_state& c, bool opted_out);
nlohmann::json technician_json(const domain::technician_state& t);
nlohmann::json job_json(const domain::job_state& j);

/// The answer for a refused or failed command: 404 for an unknown entity,
/// 409 for a conflict with the entity's state (`already_registered`,
/// `job_closed`, `already_sent`, `opted_out`, `wrong_technician`, ...), 400
/// naming the field for bad input, 503 when the log could not take it.
answer dispatch_failure_answer(const actors::dispatch_failure& f);

/// Reads optional members of a request object one by one; the first wrong
/// one becomes `error` (400 naming the field).
class body_reader {
 public:
  explicit body_reader(const nlohmann::json& body) : body_(body) {}
  std::optional<std::string> text(std::string_view field);
  std::optional<double> number(std::string_view field);
  std::optional<bool> flag(std::string_view field);
  /// RFC 3339 with an offset.
  std::optional<fl::timestamp> time(std::string_view field);
  /// A required member missing.
  void require(std::string_view field);
  /// Whether the member is present (and not null).
  bool has(std::string_view field) const;
  std::optional<answer> error;

 private:
  const nlohmann::json* member(std::string_view field) const;
  void fail(std::string_view field, std::string message);
  const nlohmann::json& body_;
};

/// Answers 503 itself when the runtime is absent.
bool dispatch_ready(const actors::dispatch_runtime* dispatch, const respond_fn& respond);

/// A reply that answers `status` with the entity's JSON and `position`, or
/// the failure's answer.
template <class State>
actors::dispatch_reply_fn<State> answer_with(respond_fn respond, int status,
                                             std::function<nlohmann::json(const State&)> to_json) {
  return [respond = std::move(respond), status,
          to_json = std::move(to_json)](actors::dispatch_result<State> r) {
    if (!r) return respond(dispatch_failure_answer(r.error()));
    nlohmann::json out = to_json(r->state);
    out["position"] = r->position;
    respond(json_answer(status, dump_json(out)));
  };
}

/// A new entity id when the client gave none: `prefix` and 16 random hex
/// digits ("cus_4f0c...").
std::string new_entity_id(std::string_view prefix);

}  // namespace fl::http
