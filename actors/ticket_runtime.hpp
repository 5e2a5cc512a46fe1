#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/messaging_runtime.hpp"
#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/interpretation.hpp"
#include "domain/interpreter.hpp"
#include "domain/property_match.hpp"
#include "domain/tenant_directory.hpp"
#include "domain/ticket_session_memory.hpp"
#include "storage/event_store.hpp"

namespace fl::actors {

/// A contractor's text, already durable in the contractor's conversation.
struct contractor_text {
  std::string tenant;
  std::string contractor_id;
  std::string phone;        // the contractor's number (E.164): where replies go
  std::string message_sid;  // Twilio's; a retry with the same sid is answered, not applied again
  std::string body;
};

/// What a text did once its events and replies were durable.
struct ticket_text_reply {
  std::uint64_t position = 0;  // the last log position written, the replies included
  bool duplicate = false;      // the sid was read before: nothing new was recorded
  std::string state;           // the session's state after the text ("idle", ...)
  std::vector<std::string> replies;
};

/// Why a text was not taken. Numbers are pinned.
enum class ticket_errc : std::uint8_t {
  unavailable = 1,  // the log, or the contractor's properties, could not be read or written
  unknown_tenant = 2,
  shutting_down = 3,
};
std::string_view to_string(ticket_errc code);

struct ticket_failure {
  ticket_errc code = ticket_errc::unavailable;
  std::string message;
};

using ticket_text_result = expected<ticket_text_reply, ticket_failure>;

/// The contractor's assigned properties, in assignment order.
using properties_fn = std::function<expected<std::vector<domain::property_ref>, std::string>(
    const std::string& tenant, const std::string& contractor_id)>;

struct ticket_runtime_options {
  fl::clock_fn clock = fl::system_now;  // Default: the system clock.
  /// Who reads the texts; must outlive the runtime. Default (null): the
  /// built-in rules interpreter.
  domain::interpreter* interpreter = nullptr;
  /// Required: where the properties come from (the directory projection).
  properties_fn properties;
  std::size_t threads = 1;  // Default: 1; a text is cheap next to its append.
};

/// One CAF actor per contractor of a tenant, the single writer of its
/// ticket session (`ticket-session:<tenant>:<contractor>`): a thin shell
/// over `domain::decide` and `remember`.
///
/// A text is read (interpreter), decided, and recorded as one append: its
/// `ticket_text_read` (the reading and the replies) first, then what the
/// machine decided. The replies are then queued in the contractor's
/// conversation under external ids made of the MessageSid, so a retried
/// webhook queues nothing twice. One text at a time per contractor.
///
/// Thread safety: every member may be called from any thread, a worker of
/// another actor system included (see spawn_anywhere.hpp).
class ticket_runtime {
 public:
  ticket_runtime(storage::event_store& store, const domain::tenant_directory& tenants,
                 messaging_runtime& conversations, ticket_runtime_options options);
  /// Lets every text in flight finish, then stops the actors.
  ~ticket_runtime();
  ticket_runtime(const ticket_runtime&) = delete;
  ticket_runtime& operator=(const ticket_runtime&) = delete;

  /// `reply` once, on an actor thread, when the text's events and replies
  /// are durable.
  void text(contractor_text text, std::function<void(ticket_text_result)> reply);

  /// The session as its actor has it (recovered from the log if needed).
  void session(const std::string& tenant, const std::string& contractor_id,
               std::function<void(domain::ticket_session_memory)> done);

  /// Waits for every text submitted so far to be answered, then stops.
  void drain();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::actors
