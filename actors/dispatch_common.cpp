#include "actors/dispatch_core.hpp"

namespace fl::actors::dispatch {

void append_then(core& c, const caf::actor& self, const std::string& tenant,
                 const std::string& stream, std::uint64_t version,
                 std::vector<events::event> events, std::optional<std::string> external_id,
                 std::function<void(storage::append_outcome)> then) {
  storage::append_request request;
  request.tenant = tenant;
  request.stream = stream;
  request.expected = storage::expected_version::exactly(version);
  request.events = std::move(events);
  request.external_id = std::move(external_id);
  // The store's completion thread must not block: hand the outcome back to
  // the actor.
  c.store.append_async(std::move(request),
                       [self, then = std::move(then)](storage::append_outcome o) mutable {
                         post(self, [then = std::move(then), o = std::move(o)] { then(o); });
                       });
}

dispatch_failure failure_of(const domain::directory_error& e) {
  return {dispatch_errc::rejected, std::string(domain::to_string(e.code)), e.field, e.message};
}

dispatch_failure failure_of(const domain::job_error& e) {
  return {dispatch_errc::rejected, std::string(domain::to_string(e.code)), e.field, e.message};
}

dispatch_failure unavailable(std::string message) {
  return {dispatch_errc::unavailable, "", "", std::move(message)};
}

}  // namespace fl::actors::dispatch
