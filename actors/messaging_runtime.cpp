#include "actors/messaging_runtime.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "actors/hibernation.hpp"
#include "actors/spawn_anywhere.hpp"
#include "base/random_id.hpp"

namespace fl::actors {

struct command_msg {
  domain::conversation_command command;
  reply_fn reply;
  int attempts = 0;
};

struct append_done_msg {
  storage::append_outcome outcome;
  std::vector<events::event> events;
  command_msg command;
};

}  // namespace fl::actors

// Local messages only; std::function members make them non-serializable.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::command_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(fl::actors::append_done_msg)

namespace fl::actors {

using passivate_atom = caf::atom_constant<caf::atom("passivate")>;

std::string_view to_string(command_errc code) {
  switch (code) {
    case command_errc::rejected:
      return "rejected";
    case command_errc::unavailable:
      return "unavailable";
    case command_errc::unknown_tenant:
      return "unknown_tenant";
    case command_errc::unsupported:
      return "unsupported";
    case command_errc::shutting_down:
      return "shutting_down";
  }
  return "unknown";
}

namespace {

constexpr int max_conflict_retries = 3;

std::string new_message_id() {
  return random_id("msg_", 12);
}

// What every actor shares: the log, the tenants, the outbox and counters.
struct runtime_core {
  storage::event_store& store;
  const domain::tenant_directory& tenants;
  outbox& out;
  runtime_options options;
  hibernation hibernated{options.max_hibernated};
  std::atomic<std::uint64_t> spawned{0};
  std::atomic<std::uint64_t> passivated{0};
  std::atomic<std::uint64_t> commands{0};
  std::atomic<std::uint64_t> conflicts{0};
};

struct conversation_actor_state {
  runtime_core* core = nullptr;
  actor_key key;
  domain::conversation_state conversation;
  bool healthy = true;  // false when recovery could not read the stream
  static inline const char* name = "conversation";
};

using conversation_actor = caf::stateful_actor<conversation_actor_state>;

// Folds the stream's events after the state's version into the state.
bool catch_up(conversation_actor_state& st) {
  auto stored = st.core->store.read_stream(st.key.stream(), st.conversation.version + 1);
  if (!stored) return false;
  for (const auto& r : *stored) domain::evolve(st.conversation, r);
  if (st.core->options.consent && st.conversation.version > 0)
    st.core->options.consent->set_opted_out(st.key.tenant, st.key.party, st.conversation.opted_out);
  return true;
}

domain::conversation_context context_for(const conversation_actor_state& st,
                                         const domain::tenant& tenant) {
  domain::conversation_context ctx;
  ctx.now = st.core->options.clock();
  ctx.party_phone = st.key.party;
  ctx.default_sender = tenant.default_sender();
  ctx.opt_out_message = st.core->options.opt_out_message
                            ? st.core->options.opt_out_message(st.key.tenant)
                            : tenant.opt_out_message;
  ctx.opt_in_message = tenant.opt_in_message;
  ctx.help_message = tenant.help_message;
  ctx.new_message_id = new_message_id;
  return ctx;
}

void hand_to_outbox(conversation_actor_state& st, const events::event& e, fl::timestamp now,
                    bool resume) {
  if (const auto* q = std::get_if<events::sms_queued>(&e))
    st.core->out.enqueue(
        {st.key, {q->message_id, q->from, q->to, q->body, q->trigger, now}, resume});
}

void handle_command(conversation_actor* self, command_msg m);

void on_appended(conversation_actor* self, append_done_msg& done) {
  auto& st = self->state;
  if (!done.outcome) {
    if (done.outcome.error().code == storage::store_errc::version_conflict &&
        done.command.attempts < max_conflict_retries && catch_up(st)) {
      st.core->conflicts.fetch_add(1, std::memory_order_relaxed);
      ++done.command.attempts;
      handle_command(self, std::move(done.command));
      return;
    }
    done.command.reply(unexpected{
        command_failure{command_errc::unavailable, std::nullopt, done.outcome.error().message}});
    return;
  }
  if (done.outcome->duplicate) {
    done.command.reply(command_reply{done.outcome->first_position, true, {}});
    return;
  }
  fl::timestamp now = st.core->options.clock();
  for (const auto& e : done.events) domain::evolve(st.conversation, e, now);
  if (auto* consent = st.core->options.consent)
    consent->set_opted_out(st.key.tenant, st.key.party, st.conversation.opted_out);
  // Side effects start only now that the events are durable.
  for (const auto& e : done.events) hand_to_outbox(st, e, now, false);
  done.command.reply(command_reply{done.outcome->last_position, false, std::move(done.events)});
}

void handle_command(conversation_actor* self, command_msg m) {
  auto& st = self->state;
  if (!st.healthy && !(st.healthy = catch_up(st))) {
    m.reply(unexpected{command_failure{command_errc::unavailable, std::nullopt,
                                       "the conversation's history cannot be read"}});
    return;
  }
  auto tenant = st.core->tenants.by_id(st.key.tenant);
  if (!tenant) {
    m.reply(
        unexpected{command_failure{command_errc::unknown_tenant, std::nullopt, "no such tenant"}});
    return;
  }
  auto decided = domain::decide(st.conversation, m.command, context_for(st, *tenant));
  if (!decided) {
    m.reply(unexpected{
        command_failure{command_errc::rejected, decided.error().code, decided.error().message}});
    return;
  }
  if (decided->empty()) {
    m.reply(command_reply{});
    return;
  }
  storage::append_request request;
  request.tenant = st.key.tenant;
  request.stream = st.key.stream();
  request.expected = storage::expected_version::exactly(st.conversation.version);
  request.events = *decided;
  if (const auto* inbound = std::get_if<domain::receive_sms>(&m.command))
    request.external_id = inbound->sms.message_sid;
  else if (const auto* outbound = std::get_if<domain::send_sms>(&m.command))
    request.external_id = outbound->external_id;
  auto handle = caf::actor_cast<caf::actor>(self);
  st.core->store.append_async(
      std::move(request),
      [handle, evs = std::move(*decided), m = std::move(m)](storage::append_outcome o) mutable {
        caf::anon_send(handle, append_done_msg{std::move(o), std::move(evs), std::move(m)});
      });
  // One command at a time: everything else waits in the mailbox until the
  // append is answered.
  self->become(caf::keep_behavior, [self](append_done_msg& done) {
    self->unbecome();
    on_appended(self, done);
  });
}

caf::behavior conversation_behavior(conversation_actor* self, runtime_core* core, actor_key key) {
  auto& st = self->state;
  st.core = core;
  st.key = std::move(key);
  // A hibernated state only needs the events appended since (normally none).
  if (auto kept = core->hibernated.take(registry_key(st.key))) st.conversation = std::move(*kept);
  st.healthy = catch_up(st);
  self->set_default_handler(caf::skip);
  // Messages queued before a restart or passivation: the outbox reconciles
  // them before sending, and ignores ids it is already sending.
  for (const auto& p : st.conversation.pending) core->out.enqueue({st.key, p, true});
  return {
      [self](command_msg& m) { handle_command(self, std::move(m)); },
      [self](passivate_atom) {
        auto& st = self->state;
        if (st.healthy) st.core->hibernated.put(registry_key(st.key), std::move(st.conversation));
        self->quit();
      },
  };
}

// Maps keys to live actors, least recently used last.
class actor_registry {
 public:
  struct entry {
    caf::actor actor;
    fl::timestamp last_used;
    std::list<std::string>::iterator lru_position;
  };

  std::unordered_map<std::string, entry> entries;
  std::list<std::string> lru;  // most recently used first
  bool closing = false;
};

}  // namespace

struct messaging_runtime::impl {
  impl(storage::event_store& store, const domain::tenant_directory& tenants, outbox& out,
       runtime_options options)
      : core{store, tenants, out, options}, system(configure(cfg, options)) {
    forget_actor_system_on_this_thread();  // the constructing thread may outlive it
    sweeper = std::thread([this] { sweep_loop(); });
  }

  static caf::actor_system_config& configure(caf::actor_system_config& cfg,
                                             const runtime_options& options) {
    cfg.set("scheduler.max-threads", static_cast<int>(options.threads));
    // Work sharing: one queue with a condition variable. CAF's default work
    // stealing lets idle workers poll with sleeps of up to 10 ms, which a
    // webhook waiting on its actor pays as latency.
    cfg.set("scheduler.policy", caf::atom("sharing"));
    return cfg;
  }

  void sweep_loop() {
    std::unique_lock lock(sweep_mutex);
    while (!stop_sweeping) {
      sweep_wake.wait_for(lock, core.options.sweep_every);
      if (stop_sweeping) break;
      lock.unlock();
      passivate_idle();
      lock.lock();
    }
  }

  // Must hold `mutex`. Ordering matters: the passivate message is sent under
  // the same lock as every command, so it lands after all of them.
  void passivate_locked(std::unordered_map<std::string, actor_registry::entry>::iterator it) {
    caf::anon_send(it->second.actor, passivate_atom::value);
    registry.lru.erase(it->second.lru_position);
    registry.entries.erase(it);
    core.passivated.fetch_add(1, std::memory_order_relaxed);
  }

  void passivate_idle() {
    fl::timestamp cutoff = core.options.clock() - core.options.idle_after;
    // In slices, so that commands are not held up behind a sweep of a
    // million idle actors (seconds under one lock, measured by bench/actors).
    constexpr int slice = 1024;
    for (bool more = true; more;) {
      std::lock_guard lock(mutex);
      more = false;
      for (int n = 0; n < slice && !registry.lru.empty(); ++n) {
        auto it = registry.entries.find(registry.lru.back());
        if (it->second.last_used > cutoff) break;
        passivate_locked(it);
        more = n + 1 == slice;
      }
    }
  }

  // Must hold `mutex`; the registry is open.
  std::unordered_map<std::string, actor_registry::entry>::iterator live_actor_locked(
      const actor_key& key) {
    fl::timestamp now = core.options.clock();
    std::string k = registry_key(key);
    auto it = registry.entries.find(k);
    if (it == registry.entries.end()) {
      auto actor = spawn_anywhere(system, conversation_behavior, &core, key);
      core.spawned.fetch_add(1, std::memory_order_relaxed);
      registry.lru.push_front(k);
      it = registry.entries
               .emplace(std::move(k), actor_registry::entry{actor, now, registry.lru.begin()})
               .first;
    } else {
      it->second.last_used = now;
      registry.lru.splice(registry.lru.begin(), registry.lru, it->second.lru_position);
    }
    return it;
  }

  void enforce_cap_locked() {
    while (registry.entries.size() > core.options.max_live_actors)
      passivate_locked(registry.entries.find(registry.lru.back()));
  }

  void submit(const actor_key& key, domain::conversation_command command, reply_fn reply) {
    if (key.kind != actor_kind::conversation) {
      reply(unexpected{command_failure{command_errc::unsupported, std::nullopt,
                                       "ticket sessions are not available yet"}});
      return;
    }
    core.commands.fetch_add(1, std::memory_order_relaxed);
    std::unique_lock lock(mutex);
    if (registry.closing) {
      lock.unlock();
      reply(unexpected{command_failure{command_errc::shutting_down, std::nullopt,
                                       "the server is shutting down"}});
      return;
    }
    auto it = live_actor_locked(key);
    caf::anon_send(it->second.actor, command_msg{std::move(command), std::move(reply), 0});
    enforce_cap_locked();
  }

  void activate(const actor_key& key) {
    if (key.kind != actor_kind::conversation) return;
    std::lock_guard lock(mutex);
    if (registry.closing) return;
    live_actor_locked(key);
    enforce_cap_locked();
  }

  void shutdown() {
    {
      std::lock_guard lock(sweep_mutex);
      if (stop_sweeping) return;
      stop_sweeping = true;
    }
    sweep_wake.notify_all();
    sweeper.join();
    {
      std::lock_guard lock(mutex);
      registry.closing = true;
      while (!registry.entries.empty()) passivate_locked(registry.entries.begin());
    }
    system.await_all_actors_done();
  }

  runtime_core core;
  caf::actor_system_config cfg;  // outlives `system`, which keeps a reference
  caf::actor_system system;
  std::mutex mutex;
  actor_registry registry;
  std::mutex sweep_mutex;
  std::condition_variable sweep_wake;
  bool stop_sweeping = false;
  std::thread sweeper;
};

messaging_runtime::messaging_runtime(storage::event_store& store,
                                     const domain::tenant_directory& tenants, outbox& out,
                                     runtime_options options)
    : impl_(std::make_unique<impl>(store, tenants, out, options)) {}

messaging_runtime::~messaging_runtime() {
  impl_->shutdown();
}

void messaging_runtime::submit(const actor_key& key, domain::conversation_command command,
                               reply_fn reply) {
  impl_->submit(key, std::move(command), std::move(reply));
}

void messaging_runtime::activate(const actor_key& key) {
  impl_->activate(key);
}

void messaging_runtime::passivate_idle() {
  impl_->passivate_idle();
}

runtime_stats messaging_runtime::stats() const {
  runtime_stats s;
  {
    std::lock_guard lock(impl_->mutex);
    s.live = impl_->registry.entries.size();
  }
  s.spawned = impl_->core.spawned.load();
  s.passivated = impl_->core.passivated.load();
  s.commands = impl_->core.commands.load();
  s.conflicts_retried = impl_->core.conflicts.load();
  s.hibernated = impl_->core.hibernated.size();
  return s;
}

void messaging_runtime::drain() {
  impl_->shutdown();
}

}  // namespace fl::actors
