#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/actor_key.hpp"
#include "actors/consent_registry.hpp"
#include "actors/outbox.hpp"
#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/conversation.hpp"
#include "domain/tenant_directory.hpp"
#include "events/event.hpp"
#include "storage/event_store.hpp"

namespace fl::actors {

/// What a command produced once its events were durable.
struct command_reply {
  std::uint64_t position = 0;         // the last log position written; 0 if nothing was
  bool duplicate = false;             // the external id (MessageSid) was seen before
  std::vector<events::event> events;  // what was recorded, in order
};

/// Why a command did not produce its events. Numbers are pinned.
enum class command_errc : std::uint8_t {
  rejected = 1,     // the state machine refused it (see `domain_code`)
  unavailable = 2,  // the log refused or failed the write
  unknown_tenant = 3,
  unsupported = 4,  // no state machine for this actor kind yet
  shutting_down = 5,
};
std::string_view to_string(command_errc code);

struct command_failure {
  command_errc code;
  std::optional<domain::conversation_errc> domain_code;
  std::string message;
};

using command_result = expected<command_reply, command_failure>;
/// Called exactly once per command, on an actor thread; must not block.
using reply_fn = std::function<void(command_result)>;

struct runtime_options {
  std::size_t threads = 2;                // Default: the machine's 2 cores.
  std::size_t max_live_actors = 100'000;  // Default: 100K; least recently used passivate first.
  std::chrono::milliseconds idle_after{std::chrono::minutes(5)};  // Default: 5 min.
  /// Passivated conversations kept in memory as plain state (~0.3 KB each,
  /// against ~2 KB for a live CAF actor) so they come back without a
  /// recovery read; beyond it they recover from the log. Default: 1M.
  std::size_t max_hibernated = 1'000'000;
  std::chrono::milliseconds sweep_every{std::chrono::seconds(1)};  // Default: 1 s.
  fl::clock_fn clock = fl::system_now;                             // Default: the system clock.
  /// Kept up to date with every durable opt-out/opt-in. Default: none.
  consent_registry* consent = nullptr;
  /// The text that confirms a STOP, as the tenant's SMS settings say it.
  /// Default (none): the tenant directory's built-in one.
  std::function<std::string(const std::string& tenant)> opt_out_message;
};

/// Live counters, for /metrics and benchmarks.
struct runtime_stats {
  std::uint64_t live = 0;
  std::uint64_t spawned = 0;
  std::uint64_t passivated = 0;
  std::uint64_t commands = 0;
  std::uint64_t conflicts_retried = 0;
  std::uint64_t hibernated = 0;  // passivated conversations kept as plain state
};

/// One CAF actor per conversation (and, later, per ticket session), spawned
/// on its first command, recovered by replaying its stream, passivated when
/// idle or when the live-actor cap is reached, and back on the next command.
///
/// An actor handles one command at a time: decide → append with its expected
/// version → evolve → hand durable outbound messages to the outbox → reply.
///
/// Thread safety: every member may be called from any thread. The CAF headers
/// stay in actors/*.cpp.
class messaging_runtime {
 public:
  messaging_runtime(storage::event_store& store, const domain::tenant_directory& tenants,
                    outbox& out, runtime_options options = {});
  /// Lets every actor finish its command in flight, then stops them.
  ~messaging_runtime();
  messaging_runtime(const messaging_runtime&) = delete;
  messaging_runtime& operator=(const messaging_runtime&) = delete;

  /// Routes `command` to the actor owning `key`, spawning it if needed.
  void submit(const actor_key& key, domain::conversation_command command, reply_fn reply);

  /// Brings the actor owning `key` to life without a command, so that it
  /// recovers and resumes its unsent messages (used at start).
  void activate(const actor_key& key);

  /// Passivates actors idle longer than `idle_after` (also run periodically).
  void passivate_idle();

  runtime_stats stats() const;

  /// Waits until every command submitted so far has been answered and
  /// passivates every actor (for shutdown and tests).
  void drain();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace fl::actors
