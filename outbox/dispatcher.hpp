#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "actors/outbox.hpp"
#include "base/timestamp.hpp"
#include "domain/outbound_policy.hpp"

#include "outbound/transport.hpp"

namespace fl::outbox {

/// What the dispatcher needs to know about a tenant to send for it.
struct sender_profile {
  std::optional<twilio::credentials> creds;  // none: the transport's own (sandbox)
  std::optional<std::string> messaging_service_sid;
  double max_per_second = 1;  // of the `from` number
};

struct dispatcher_options {
  domain::retry_policy retry;           // Default: see retry_policy.
  std::string status_callback_url;      // public URL + "/sms/status"
  fl::clock_fn clock = fl::system_now;  // Default: the system clock.
  std::uint64_t jitter_seed = std::random_device{}();
  bool own_thread = true;  // Default: true; false = the caller drives `poll()` (tests).
  /// Asked before every send attempt; false fails the text for good (the
  /// recipient opted out after it was queued). Default: everything may go.
  std::function<bool(const actors::outbound_job&)> may_send;
};

/// Where a message's outcome goes: the command its owner's actor records
/// (`record_sent` or `record_send_failure`).
using outcome_sink = std::function<void(const actors::actor_key&, domain::conversation_command)>;
/// The sending profile of (tenant, from number); nullopt if the tenant is gone.
using profile_lookup = std::function<std::optional<sender_profile>(const std::string& tenant,
                                                                   const std::string& from)>;

/// The durable outbox's sending side: takes messages whose `sms_queued` is
/// durable, spaces them per sender number, sends them through the transport,
/// retries what may be retried with exponential backoff and jitter,
/// reconciles unknown outcomes with the provider before sending again, and
/// reports each message's outcome exactly once per enqueue.
///
/// Thread safety: `enqueue` may be called from any thread and never blocks
/// on the network. Outcomes are reported from the dispatcher's thread.
class dispatcher final : public actors::outbox {
 public:
  dispatcher(outbound::transport& transport, outcome_sink sink, profile_lookup profiles,
             dispatcher_options options);
  ~dispatcher() override;
  dispatcher(const dispatcher&) = delete;
  dispatcher& operator=(const dispatcher&) = delete;

  /// Takes a message; a message id already being sent is ignored.
  void enqueue(actors::outbound_job job) override;

  /// Handles transport answers and starts every send or lookup that is due
  /// now. Called by the dispatcher's own thread, or by tests.
  void poll();

  /// When the next job is due (nullopt: nothing waiting on time).
  std::optional<fl::timestamp> next_due() const;

  /// Messages enqueued and not yet reported.
  std::size_t in_flight() const;

  /// Stops the thread; messages not yet reported stay in the log as queued
  /// and are resumed on the next start.
  void stop();

 private:
  enum class phase : std::uint8_t { send, reconcile, waiting };
  struct job_state {
    actors::outbound_job job;
    phase next = phase::send;
    int attempt = 0;  // sends and lookups started so far
    bool slot_reserved = false;
    bool sent = false;  // a send of this enqueue reached the transport
    fl::timestamp due;
  };
  struct answer {
    std::string message_id;
    std::optional<outbound::send_result> sent;
    std::optional<outbound::lookup_result> looked_up;
  };

  using actions = std::vector<std::function<void()>>;
  // The *_locked members run under `mutex_` and return what to do once it is
  // released: transports and sinks may call back synchronously.
  void start_due_locked(fl::timestamp now, actions& deferred);
  void handle_answer_locked(answer a, fl::timestamp now, actions& deferred);
  void schedule_locked(job_state& js, fl::timestamp due);
  void retry_locked(job_state& js, fl::timestamp now, const std::string& why,
                    std::optional<std::int64_t> code,
                    std::optional<std::chrono::milliseconds> floor, actions& deferred);
  void finish_locked(const std::string& id, domain::conversation_command outcome,
                     actions& deferred);
  outbound::send_request request_for(const job_state& js, const sender_profile& profile) const;
  void run();

  outbound::transport& transport_;
  outcome_sink sink_;
  profile_lookup profiles_;
  dispatcher_options options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<std::string, job_state> jobs_;   // by message id
  std::multimap<fl::timestamp, std::string> timers_;  // due time → message id
  std::deque<answer> answers_;
  std::unordered_map<std::string, domain::send_rate_limiter> limiters_;  // by from number
  std::mt19937_64 rng_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fl::outbox
