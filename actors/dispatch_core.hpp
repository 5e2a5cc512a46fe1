#pragma once

// What the dispatch actors share, and the messages they take. Internal to
// actors/*.cpp: it includes CAF.

#include <caf/all.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/dispatch_runtime.hpp"
#include "domain/assignment_text.hpp"

namespace fl::actors::dispatch {

/// Runs `fn` on the receiving actor's thread: how an asynchronous step (an
/// append, another actor's answer, a text queued) comes back to an actor.
struct run_msg {
  std::function<void()> fn;
};

struct customer_command_msg {
  domain::customer_command command;
  dispatch_reply_fn<domain::customer_state> reply;
};

struct technician_command_msg {
  domain::technician_command command;
  dispatch_reply_fn<domain::technician_state> reply;
};

/// Several fixes of one technician, one command (`technician_locations`).
struct technician_fixes_msg {
  std::vector<domain::record_location> fixes;
  std::function<void(location_batch_result)> reply;
};

struct job_command_msg {
  domain::job_command command;
  dispatch_reply_fn<domain::job_state> reply;
  std::optional<fl::timestamp> as_of;
  // The technician the command is about (follow_technician_*), as its actor
  // had it after recording what it forwards.
  std::optional<domain::technician_state> technician;
};

/// What a technician's batch of fixes tells one job: each step as the job
/// command it would be alone (`technician`: as that fix left it), handled
/// in order as one command (the customer asked once). `done` gets the
/// highest position the steps wrote (0: none), on the job's thread.
struct job_follow_msg {
  struct step {
    domain::job_command command;
    domain::technician_state technician;
  };
  std::vector<step> steps;
  std::function<void(std::uint64_t)> done;
};

struct contractor_command_msg {
  domain::contractor_command command;
  dispatch_reply_fn<domain::contractor_state> reply;
};

struct property_command_msg {
  domain::property_command command;
  dispatch_reply_fn<domain::property_state> reply;
};

/// The contractor's actor: send, hold or skip the assignment text about
/// `property`. `done` gets the outcome and the last position written (0:
/// none); a failure when the contractor is not registered or the text could
/// not be queued.
struct contractor_notify_msg {
  domain::assignment_property property;
  std::function<void(expected<std::pair<assignment_text_outcome, std::uint64_t>, dispatch_failure>)>
      done;
};

struct contractor_query_msg {
  std::function<void(domain::contractor_state)> done;
};
struct property_query_msg {
  std::function<void(domain::property_state)> done;
};

struct customer_query_msg {
  std::function<void(domain::customer_state)> done;
};
struct technician_query_msg {
  std::function<void(domain::technician_state)> done;
};
struct job_query_msg {
  std::function<void(domain::job_state)> done;
};

/// A job's timer: held texts may be due, or a text to retry.
struct release_msg {};

/// The runtime's sweep to an actor idle for a while: stop, unless it still
/// has work of its own (a held text, a timer) or has been sent anything
/// since (`epoch`: how many messages the runtime had sent it then).
struct passivate_msg {
  std::uint64_t epoch = 0;
};

/// The open jobs of every tenant, kept by the job actors as they record.
class job_agenda {
 public:
  void put(const std::string& tenant, const std::string& job, fl::timestamp scheduled_at) {
    std::lock_guard lock(mutex_);
    jobs_[tenant][job] = scheduled_at;
  }
  void remove(const std::string& tenant, const std::string& job) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(tenant);
    if (it != jobs_.end()) it->second.erase(job);
  }
  /// The tenant's open jobs with an appointment in (`from`, `to`].
  std::vector<std::string> between(const std::string& tenant, fl::timestamp from,
                                   fl::timestamp to) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    auto it = jobs_.find(tenant);
    if (it == jobs_.end()) return out;
    for (const auto& [job, at] : it->second)
      if (at > from && at <= to) out.push_back(job);
    return out;
  }
  std::vector<std::string> tenants() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [tenant, jobs] : jobs_)
      if (!jobs.empty()) out.push_back(tenant);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, fl::timestamp>> jobs_;
};

/// Which contractor holds which phone, per tenant, as the contractor actors
/// claim them before they write: closes the window in which two contractors
/// could take one phone before the read side shows the first.
class phone_claims {
 public:
  /// Claims `phone` for `id`; false when another contractor holds it.
  bool claim(const std::string& tenant, const std::string& phone, const std::string& id) {
    std::lock_guard lock(mutex_);
    auto [it, added] = owners_.try_emplace(tenant + '\0' + phone, id);
    return added || it->second == id;
  }
  /// Whether a contractor holds `phone`.
  bool held(const std::string& tenant, const std::string& phone) {
    std::lock_guard lock(mutex_);
    return owners_.contains(tenant + '\0' + phone);
  }
  /// Gives `phone` up if `id` holds it.
  void release(const std::string& tenant, const std::string& phone, const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = owners_.find(tenant + '\0' + phone);
    if (it != owners_.end() && it->second == id) owners_.erase(it);
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> owners_;
};

/// What every dispatch actor shares.
struct core {
  storage::event_store& store;
  const domain::tenant_directory& tenants;
  notifications::sms_config_service& config;
  messaging_runtime& conversations;
  const consent_registry& consent;
  dispatch_options options;
  job_agenda agenda;
  phone_claims phones;

  // Set by the runtime. `deliver` sends `message` to the live actor of the
  // kind, tenant and id (spawning it, recovered from its stream, if there
  // is none) and counts it; `wake` only makes sure the actor lives.
  // `retire` is an actor's answer to passivate_msg: true when the runtime
  // has sent it nothing since `epoch`, in which case it is forgotten (the
  // next message spawns a new one) and the actor must stop.
  std::function<void(char kind, const std::string& tenant, const std::string& id, caf::message)>
      deliver;
  std::function<void(char kind, const std::string& tenant, const std::string& id)> wake;
  std::function<bool(char kind, const std::string& tenant, const std::string& id,
                     const caf::actor_addr& self, std::uint64_t epoch)>
      retire;
  std::atomic<std::int64_t> in_flight{0};

  template <class Msg>
  void send(char kind, const std::string& tenant, const std::string& id, Msg msg) {
    deliver(kind, tenant, id, caf::make_message(std::move(msg)));
  }
  template <class Msg>
  void send_customer(const std::string& tenant, const std::string& id, Msg msg) {
    send('c', tenant, id, std::move(msg));
  }
  template <class Msg>
  void send_technician(const std::string& tenant, const std::string& id, Msg msg) {
    send('t', tenant, id, std::move(msg));
  }
  template <class Msg>
  void send_job(const std::string& tenant, const std::string& id, Msg msg) {
    send('j', tenant, id, std::move(msg));
  }
  template <class Msg>
  void send_contractor(const std::string& tenant, const std::string& id, Msg msg) {
    send('k', tenant, id, std::move(msg));
  }
};

/// Stops `self` if the runtime agrees (see core::retire); true when it did.
inline bool passivate(caf::event_based_actor* self, core& c, char kind, const std::string& tenant,
                      const std::string& id, const passivate_msg& m) {
  if (!c.retire(kind, tenant, id, self->address(), m.epoch)) return false;
  self->quit();
  return true;
}

/// Sends `fn` to run on `target`'s thread.
inline void post(const caf::actor& target, std::function<void()> fn) {
  caf::anon_send(target, run_msg{std::move(fn)});
}

/// Appends `events` to `stream` at exactly `version`; `then` runs on
/// `self`'s thread with the outcome.
void append_then(core& c, const caf::actor& self, const std::string& tenant,
                 const std::string& stream, std::uint64_t version,
                 std::vector<events::event> events, std::optional<std::string> external_id,
                 std::function<void(storage::append_outcome)> then);

/// The failure for a domain error of the directory machines.
dispatch_failure failure_of(const domain::directory_error& e);
dispatch_failure failure_of(const domain::job_error& e);
dispatch_failure unavailable(std::string message);

/// Folds the events of `stream` after `state.version` into `state`.
template <class State>
bool catch_up(core& c, const std::string& stream, State& state) {
  auto stored = c.store.read_stream(stream, state.version + 1);
  if (!stored) return false;
  for (const auto& r : *stored) domain::evolve(state, r.data);
  return true;
}

/// Appends `events` decided over `*state` (kept alive by the shared
/// pointer), evolves it once they are durable and calls `then` with the last
/// position, on `self`'s thread. A version conflict (another writer: only
/// after a bug or a second server) re-reads the stream and is `unavailable`.
template <class State>
void record(core& c, const caf::actor& self, const std::string& tenant, const std::string& stream,
            std::shared_ptr<State> state, std::vector<events::event> events,
            std::function<void(expected<std::uint64_t, dispatch_failure>)> then,
            std::optional<std::string> external_id = std::nullopt) {
  auto version = state->version;
  auto kept = events;
  append_then(c, self, tenant, stream, version, std::move(events), std::move(external_id),
              [&c, stream, state, kept = std::move(kept),
               then = std::move(then)](const storage::append_outcome& o) {
                if (!o) {
                  catch_up(c, stream, *state);
                  then(unexpected{unavailable("the log refused the write: " + o.error().message)});
                  return;
                }
                for (const auto& e : kept) domain::evolve(*state, e);
                then(o->last_position);
              });
}

caf::behavior customer_actor(caf::event_based_actor* self, core* c, std::string tenant,
                             std::string id);
caf::behavior technician_actor(caf::event_based_actor* self, core* c, std::string tenant,
                               std::string id);
caf::behavior job_actor(caf::event_based_actor* self, core* c, std::string tenant, std::string id);
caf::behavior contractor_actor(caf::event_based_actor* self, core* c, std::string tenant,
                               std::string id);
caf::behavior property_actor(caf::event_based_actor* self, core* c, std::string tenant,
                             std::string id);

}  // namespace fl::actors::dispatch

// Local messages only; std::function members make them non-serializable.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::run_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::customer_command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::technician_command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::technician_fixes_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::job_command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::job_follow_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::customer_query_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::technician_query_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::job_query_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::release_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::passivate_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::contractor_command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::property_command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::contractor_notify_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::contractor_query_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::dispatch::property_query_msg)
