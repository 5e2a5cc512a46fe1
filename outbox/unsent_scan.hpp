#pragma once

#include <string>
#include <utility>
#include <vector>

#include "actors/actor_key.hpp"
#include "base/expected.hpp"
#include "storage/event_store.hpp"

namespace fl::outbox {

/// What the outbox must know at start.
struct outbox_recovery {
  /// Conversations holding a queued message neither sent nor failed: their
  /// actors come back at start to resume it.
  std::vector<actors::actor_key> with_unsent;
  /// (tenant, phone) of every number opted out now.
  std::vector<std::pair<std::string, std::string>> opted_out;
};

/// Reads the whole log once (about 0.6 M events/s); the read side's
/// projections will answer this from their own state instead.
expected<outbox_recovery, std::string> scan_for_outbox(const storage::event_store& store);

}  // namespace fl::outbox
