#pragma once

#include <string>
#include <vector>

#include "actors/actor_key.hpp"
#include "base/expected.hpp"
#include "storage/event_store.hpp"

namespace fl::outbox {

/// The conversations holding a queued message that was neither sent nor
/// failed: their actors must come back at start to resume the outbox.
///
/// Reads the whole log once (about 0.6 M events/s); the outbox projection of
/// the read side will answer this from its own state instead.
expected<std::vector<actors::actor_key>, std::string> conversations_with_unsent(
    const storage::event_store& store);

}  // namespace fl::outbox
