#pragma once

#include <caf/all.hpp>

#include <utility>

namespace fl::actors {

/// Drops the calling thread's reference to an actor system's logger.
///
/// CAF 0.17 keeps the logger of the last system a thread spawned into (or
/// constructed) in a thread-local strong reference, and ~actor_system waits
/// until every reference to its logger is gone. A thread that outlives the
/// system while holding one (a worker of another runtime's system, an HTTP
/// thread, a test's main thread) hangs its destruction for ever. Logging is
/// compiled out of Debian's CAF, so the reference carries nothing we use.
inline void forget_actor_system_on_this_thread() {
  caf::logger::set_current_actor_system(nullptr);
}

/// `system.spawn(fn, xs...)` that may be called from any thread, another
/// actor system's workers included.
template <class Fn, class... Ts>
caf::actor spawn_anywhere(caf::actor_system& system, Fn fn, Ts&&... xs) {
  auto actor = system.spawn(fn, std::forward<Ts>(xs)...);
  forget_actor_system_on_this_thread();
  return actor;
}

}  // namespace fl::actors
