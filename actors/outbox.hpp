#pragma once

#include "actors/actor_key.hpp"
#include "domain/conversation.hpp"

namespace fl::actors {

/// A durable `sms_queued` handed over for sending.
struct outbound_job {
  actor_key owner;  // whose actor records the outcome
  domain::outbound_message message;
  /// Recovered after a restart or a passivation: a request may already have
  /// reached the provider, so the sender reconciles before sending.
  bool resume = false;
};

/// Where actors hand durable outbound messages. Implementations must not
/// block the caller (an actor thread) and must accept the same message id
/// twice without sending it twice.
class outbox {
 public:
  virtual ~outbox() = default;
  virtual void enqueue(outbound_job job) = 0;
};

}  // namespace fl::actors
