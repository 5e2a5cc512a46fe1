#pragma once

// What the ticket session actors share, and the messages they take.
// Internal to actors/ticket_*.cpp: it includes CAF.

#include <caf/all.hpp>

#include <functional>
#include <string>

#include "actors/ticket_runtime.hpp"

namespace fl::actors::tickets {

/// Runs `fn` on the receiving actor's thread (an append's outcome, an
/// interpreter's reading, a queued reply coming back).
struct run_msg {
  std::function<void()> fn;
};

struct text_msg {
  contractor_text text;
  std::function<void(ticket_text_result)> reply;
};

struct query_msg {
  std::function<void(domain::ticket_session_memory)> done;
};

struct core {
  storage::event_store& store;
  const domain::tenant_directory& tenants;
  messaging_runtime& conversations;
  ticket_runtime_options options;
};

caf::behavior session_actor(caf::event_based_actor* self, core* c, std::string tenant,
                            std::string contractor_id);

}  // namespace fl::actors::tickets

// Local messages only; std::function members make them non-serializable.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::tickets::run_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::tickets::text_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::tickets::query_msg)
