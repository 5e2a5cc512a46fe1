#pragma once

// Folding a stream's stored events into a decide/evolve state, and
// appending what `decide` makes with the state's version as the expected one.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/expected.hpp"
#include "events/event.hpp"
#include "storage/event_store.hpp"

#include "notifications/change_error.hpp"

namespace fl::notifications {

/// Evolves `state` with the events of `stream` after its version, and sets
/// `position` to the last one's. `State` has a `version` and a domain
/// `evolve(State&, const events::event&)`.
template <class State>
[[nodiscard]] expected<void, storage::store_error> fold_stream(const storage::event_store& store,
                                                               const std::string& stream,
                                                               State& state,
                                                               std::uint64_t& position) {
  auto stored = store.read_stream(stream, state.version + 1);
  if (!stored) return unexpected{std::move(stored).error()};
  for (const auto& r : *stored) {
    evolve(state, r.data);
    position = r.position;
  }
  return {};
}

/// What `decide_and_append` did: nothing (the decision was empty), or the
/// events appended and the last one's position.
struct appended_events {
  std::vector<events::event> events;
  std::uint64_t position = 0;  // the stream's last position afterwards
};

/// `decide(state)` → append with `expected_version::exactly(state.version)`
/// → evolve `state`. On a version conflict it folds what it missed and
/// decides once more. `Decide` answers
/// `expected<std::vector<events::event>, Rejection>`.
template <class Rejection, class State, class Decide>
expected<appended_events, change_error<Rejection>> decide_and_append(
    storage::event_store& store, const std::string& tenant, const std::string& stream, State& state,
    std::uint64_t& position, const Decide& decide) {
  using failure = change_error<Rejection>;
  for (int attempt = 0;; ++attempt) {
    auto decided = decide(state);
    if (!decided) return unexpected{failure{change_errc::rejected, std::move(decided).error(), {}}};
    if (decided->empty()) return appended_events{{}, position};
    storage::append_request request;
    request.tenant = tenant;
    request.stream = stream;
    request.expected = storage::expected_version::exactly(state.version);
    request.events = *decided;
    auto appended = store.append(std::move(request));
    if (appended) {
      for (const auto& e : *decided) evolve(state, e);
      position = appended->last_position;
      return appended_events{std::move(*decided), position};
    }
    if (appended.error().code != storage::store_errc::version_conflict || attempt > 0)
      return unexpected{failure{change_errc::unavailable, {}, appended.error().message}};
    if (auto caught_up = fold_stream(store, stream, state, position); !caught_up)
      return unexpected{failure{change_errc::unavailable, {}, caught_up.error().message}};
  }
}

}  // namespace fl::notifications
