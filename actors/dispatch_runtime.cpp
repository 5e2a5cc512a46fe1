#include "actors/dispatch_runtime.hpp"

#include <condition_variable>
#include <list>
#include <thread>

#include "actors/dispatch_core.hpp"
#include "actors/spawn_anywhere.hpp"

namespace fl::actors {

std::string_view to_string(dispatch_errc code) {
  switch (code) {
    case dispatch_errc::rejected:
      return "rejected";
    case dispatch_errc::unavailable:
      return "unavailable";
    case dispatch_errc::unknown_tenant:
      return "unknown_tenant";
    case dispatch_errc::shutting_down:
      return "shutting_down";
  }
  return "unknown";
}

namespace {

// How far ahead of the sweep an appointment may be and still get its
// reminder: the day-before window opens at most ~2 days ahead (a reminder
// hour early on the day before, plus a clock change).
constexpr auto reminder_horizon = std::chrono::hours(50);

std::string actor_key_of(char kind, const std::string& tenant, const std::string& id) {
  std::string k;
  k.reserve(tenant.size() + id.size() + 2);
  k += kind;
  k += tenant;
  k += '\0';
  k += id;
  return k;
}

// A live actor, with what passivation needs to know about it.
struct registry_entry {
  caf::actor actor;
  std::uint64_t sent = 0;                         // messages the runtime sent it
  std::optional<std::uint64_t> asked;             // `sent` when last asked to passivate
  fl::timestamp last_used;                        // when last sent anything or woken
  std::list<std::string>::iterator lru_position;  // lru.end(): never passivates
};

dispatch_failure shutting_down() {
  return {dispatch_errc::shutting_down, "", "", "the server is shutting down"};
}

}  // namespace

struct dispatch_runtime::impl {
  impl(storage::event_store& store, const domain::tenant_directory& tenants,
       notifications::sms_config_service& config, messaging_runtime& conversations,
       const consent_registry& consent, dispatch_options options)
      : core{store, tenants, config, conversations, consent, options, {}, {}, {}, {}},
        system(configure(cfg, options)) {
    forget_actor_system_on_this_thread();  // the constructing thread may outlive it
    core.deliver = [this](char kind, const std::string& tenant, const std::string& id,
                          caf::message m) { deliver(kind, tenant, id, std::move(m)); };
    core.wake = [this](char kind, const std::string& tenant, const std::string& id) {
      std::lock_guard lock(mutex);
      live_locked(kind, tenant, id);
    };
    core.retire = [this](char kind, const std::string& tenant, const std::string& id,
                         const caf::actor_addr& self,
                         std::uint64_t epoch) { return retire(kind, tenant, id, self, epoch); };
    if (options.sweep_every.count() > 0) sweeper = std::thread([this] { sweep_loop(); });
    if (options.passivate_every.count() > 0) passivator = std::thread([this] { passivate_loop(); });
  }

  static caf::actor_system_config& configure(caf::actor_system_config& cfg,
                                             const dispatch_options& options) {
    cfg.set("scheduler.max-threads", static_cast<int>(options.threads));
    cfg.set("scheduler.policy", caf::atom("sharing"));  // see messaging_runtime.cpp
    return cfg;
  }

  // Only these passivate: the contractor's and the property's actors hold
  // texts and timers of their own and are few.
  static bool passivates(char kind) { return kind == 'c' || kind == 't' || kind == 'j'; }

  // Must hold `mutex`. The live actor of the key, spawned (recovering from
  // its stream) if there is none; marked as used now.
  registry_entry& live_locked(char kind, const std::string& tenant, const std::string& id) {
    auto key = actor_key_of(kind, tenant, id);
    auto it = actors.find(key);
    fl::timestamp now = core.options.clock();
    if (it != actors.end()) {
      it->second.last_used = now;
      if (passivates(kind)) lru.splice(lru.begin(), lru, it->second.lru_position);
      return it->second;
    }
    caf::actor a;
    switch (kind) {
      case 'c':
        a = spawn_anywhere(system, dispatch::customer_actor, &core, tenant, id);
        break;
      case 't':
        a = spawn_anywhere(system, dispatch::technician_actor, &core, tenant, id);
        break;
      case 'k':
        a = spawn_anywhere(system, dispatch::contractor_actor, &core, tenant, id);
        break;
      case 'p':
        a = spawn_anywhere(system, dispatch::property_actor, &core, tenant, id);
        break;
      default:
        a = spawn_anywhere(system, dispatch::job_actor, &core, tenant, id);
        break;
    }
    ++spawned;
    registry_entry e{std::move(a), 0, std::nullopt, now, lru.end()};
    if (passivates(kind)) {
      lru.push_front(key);
      e.lru_position = lru.begin();
    }
    return actors.emplace(std::move(key), std::move(e)).first->second;
  }

  // Sends under the lock, so that the count and the mailbox agree: a
  // passivate_msg with epoch N is behind the first N messages.
  void deliver(char kind, const std::string& tenant, const std::string& id, caf::message m) {
    std::lock_guard lock(mutex);
    auto& e = live_locked(kind, tenant, id);
    ++e.sent;
    caf::anon_send(e.actor, std::move(m));
  }

  bool retire(char kind, const std::string& tenant, const std::string& id,
              const caf::actor_addr& self, std::uint64_t epoch) {
    std::lock_guard lock(mutex);
    auto it = actors.find(actor_key_of(kind, tenant, id));
    if (it == actors.end() || it->second.actor.address() != self || it->second.sent != epoch)
      return false;
    if (it->second.lru_position != lru.end()) lru.erase(it->second.lru_position);
    actors.erase(it);
    ++passivated;
    return true;
  }

  void passivate_idle() {
    std::vector<std::pair<caf::actor, std::uint64_t>> asked;
    {
      std::lock_guard lock(mutex);
      if (closing.load()) return;
      const fl::timestamp cutoff = core.options.clock() - core.options.idle_after;
      std::size_t over =
          lru.size() > core.options.max_live_actors ? lru.size() - core.options.max_live_actors : 0;
      // Least recently used first; an actor asked before at the same count
      // (it had work of its own) is not asked again until it is used.
      for (auto k = lru.rbegin(); k != lru.rend(); ++k) {
        auto& e = actors.find(*k)->second;
        if (e.last_used > cutoff && over == 0) break;
        if (over > 0) --over;
        if (e.asked == e.sent) continue;
        e.asked = e.sent;
        asked.emplace_back(e.actor, e.sent);
      }
    }
    // Outside the lock: a message counted after the epoch was taken makes
    // the actor refuse, wherever it lands in the mailbox.
    for (auto& [a, epoch] : asked) caf::anon_send(a, dispatch::passivate_msg{epoch});
  }

  void passivate_loop() {
    std::unique_lock lock(sweep_mutex);
    while (!stop_sweeping) {
      sweep_wake.wait_for(lock, core.options.passivate_every);
      if (stop_sweeping) break;
      lock.unlock();
      passivate_idle();
      lock.lock();
    }
  }

  // Wraps `reply` so that drain() knows it is outstanding; false when closing.
  template <class Result>
  bool admit(std::function<void(Result)>& reply) {
    if (closing.load()) {
      reply(unexpected{shutting_down()});
      return false;
    }
    core.in_flight.fetch_add(1);
    reply = [this, inner = std::move(reply)](Result r) {
      // A command that wrote nothing (a retry) answers the log's last
      // position: it covers the earlier write the command repeats, so a
      // client reading with it sees that write.
      if constexpr (requires { r->position; }) {
        if (r && r->position == 0) r->position = core.store.last_position();
      }
      inner(std::move(r));
      if (core.in_flight.fetch_sub(1) == 1) {
        std::lock_guard lock(idle_mutex);
        idle.notify_all();
      }
    };
    return true;
  }

  template <class Result>
  bool known_tenant(const std::string& tenant, std::function<void(Result)>& reply) {
    if (tenants_ok(tenant)) return true;
    reply(unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
    return false;
  }
  bool tenants_ok(const std::string& tenant) const { return core.tenants.by_id(tenant) != nullptr; }

  void sweep_loop() {
    std::unique_lock lock(sweep_mutex);
    while (!stop_sweeping) {
      sweep_wake.wait_for(lock, core.options.sweep_every);
      if (stop_sweeping) break;
      lock.unlock();
      for (const auto& tenant : core.agenda.tenants())
        sweep(tenant, core.options.clock(), [](reminder_sweep_result) {});
      lock.lock();
    }
  }

  void sweep(const std::string& tenant, fl::timestamp as_of,
             std::function<void(reminder_sweep_result)> done) {
    auto jobs = core.agenda.between(tenant, as_of, as_of + reminder_horizon);
    struct tally {
      std::mutex mutex;
      reminder_sweep_result result;
      std::size_t left = 0;
      std::function<void(reminder_sweep_result)> done;
    };
    auto t = std::make_shared<tally>();
    t->left = jobs.size();
    t->done = std::move(done);
    t->result.jobs_checked = jobs.size();
    if (jobs.empty()) return t->done(t->result);
    for (const auto& job : jobs) {
      dispatch_reply_fn<domain::job_state> reply = [t, job](dispatch_result<domain::job_state> r) {
        std::unique_lock lock(t->mutex);
        if (!r) {
          if (r.error().code != dispatch_errc::rejected) t->result.failed_jobs.push_back(job);
        } else {
          t->result.position = std::max(t->result.position, r->position);
          for (const auto& e : r->events)
            if (const auto* fired = std::get_if<events::notification_triggered>(&e))
              if (fired->trigger == "reminder") ++t->result.reminders;
        }
        if (--t->left == 0) {
          auto result = std::move(t->result);
          lock.unlock();
          t->done(std::move(result));
        }
      };
      submit_job(tenant, job, domain::send_reminder{}, std::move(reply), as_of);
    }
  }

  void submit_job(const std::string& tenant, const std::string& id, domain::job_command command,
                  dispatch_reply_fn<domain::job_state> reply, std::optional<fl::timestamp> as_of) {
    if (!known_tenant(tenant, reply) || !admit(reply)) return;
    core.send_job(tenant, id,
                  dispatch::job_command_msg{std::move(command), std::move(reply), as_of, {}});
  }

  // The assignment text about `property` by `contractor_id`'s actor,
  // folded into `base` (the assignment's own answer) for `reply`.
  void notify(const std::string& tenant, const std::string& contractor_id, assignment_reply base,
              std::function<void(assignment_result)> reply) {
    domain::assignment_property property{base.property.id, base.property.name,
                                         base.property.address};
    core.send_contractor(
        tenant, contractor_id,
        dispatch::contractor_notify_msg{
            std::move(property),
            [base = std::move(base), reply = std::move(reply)](
                const expected<std::pair<assignment_text_outcome, std::uint64_t>, dispatch_failure>&
                    r) mutable {
              if (!r) return reply(unexpected{r.error()});
              base.text = r->first;
              base.position = std::max(base.position, r->second);
              reply(std::move(base));
            }});
  }

  void drain() {
    {
      std::lock_guard lock(sweep_mutex);
      if (drained) return;
      drained = stop_sweeping = true;
    }
    sweep_wake.notify_all();
    if (sweeper.joinable()) sweeper.join();
    if (passivator.joinable()) passivator.join();
    {
      std::unique_lock lock(idle_mutex);
      idle.wait(lock, [this] { return core.in_flight.load() == 0; });
    }
    closing = true;
    std::lock_guard lock(mutex);
    for (auto& [key, e] : actors) caf::anon_send_exit(e.actor, caf::exit_reason::user_shutdown);
    actors.clear();
    lru.clear();
  }

  dispatch::core core;
  caf::actor_system_config cfg;  // outlives `system`, which keeps a reference
  caf::actor_system system;
  mutable std::mutex mutex;
  std::unordered_map<std::string, registry_entry> actors;
  std::list<std::string> lru;  // keys of the actors that passivate, most recently used first
  std::uint64_t spawned = 0;
  std::uint64_t passivated = 0;
  std::atomic<bool> closing{false};
  std::mutex idle_mutex;
  std::condition_variable idle;
  std::mutex sweep_mutex;
  std::condition_variable sweep_wake;
  bool stop_sweeping = false;
  bool drained = false;
  std::thread sweeper;
  std::thread passivator;
};

dispatch_runtime::dispatch_runtime(storage::event_store& store,
                                   const domain::tenant_directory& tenants,
                                   notifications::sms_config_service& config,
                                   messaging_runtime& conversations,
                                   const consent_registry& consent, dispatch_options options)
    : impl_(std::make_unique<impl>(store, tenants, config, conversations, consent, options)) {}

dispatch_runtime::~dispatch_runtime() {
  impl_->drain();
  impl_->system.await_all_actors_done();
}

void dispatch_runtime::customer(const std::string& tenant, const std::string& id,
                                domain::customer_command command,
                                dispatch_reply_fn<domain::customer_state> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  impl_->core.send('c', tenant, id,
                   dispatch::customer_command_msg{std::move(command), std::move(reply)});
}

void dispatch_runtime::technician(const std::string& tenant, const std::string& id,
                                  domain::technician_command command,
                                  dispatch_reply_fn<domain::technician_state> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  impl_->core.send('t', tenant, id,
                   dispatch::technician_command_msg{std::move(command), std::move(reply)});
}

void dispatch_runtime::technician_locations(const std::string& tenant, const std::string& id,
                                            std::vector<domain::record_location> fixes,
                                            std::function<void(location_batch_result)> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  impl_->core.send('t', tenant, id,
                   dispatch::technician_fixes_msg{std::move(fixes), std::move(reply)});
}

void dispatch_runtime::job(const std::string& tenant, const std::string& id,
                           domain::job_command command, dispatch_reply_fn<domain::job_state> reply,
                           std::optional<fl::timestamp> as_of) {
  impl_->submit_job(tenant, id, std::move(command), std::move(reply), as_of);
}

void dispatch_runtime::contractor(const std::string& tenant, const std::string& id,
                                  domain::contractor_command command,
                                  dispatch_reply_fn<domain::contractor_state> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  impl_->core.send('k', tenant, id,
                   dispatch::contractor_command_msg{std::move(command), std::move(reply)});
}

void dispatch_runtime::property(const std::string& tenant, const std::string& id,
                                domain::property_command command,
                                dispatch_reply_fn<domain::property_state> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  impl_->core.send('p', tenant, id,
                   dispatch::property_command_msg{std::move(command), std::move(reply)});
}

void dispatch_runtime::assign_contractor(const std::string& tenant, const std::string& property_id,
                                         const std::string& contractor_id, bool notify,
                                         std::function<void(assignment_result)> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  auto* i = impl_.get();
  dispatch_reply_fn<domain::property_state> assigned =
      [i, tenant, contractor_id, notify,
       reply = std::move(reply)](const dispatch_result<domain::property_state>& r) mutable {
        if (!r) return reply(unexpected{r.error()});
        assignment_reply base{r->position, r->state, !r->events.empty(), std::nullopt};
        // A repeated assignment texts nothing again: a retried POST must
        // not text the crew twice.
        if (!notify || !base.assigned) {
          if (notify) base.text = assignment_text_outcome{"skipped", "already_assigned", {}, {}};
          return reply(std::move(base));
        }
        i->notify(tenant, contractor_id, std::move(base), std::move(reply));
      };
  impl_->core.send('p', tenant, property_id,
                   dispatch::property_command_msg{domain::assign_contractor{contractor_id},
                                                  std::move(assigned)});
}

void dispatch_runtime::notify_assignment(const std::string& tenant, const std::string& property_id,
                                         const std::string& contractor_id,
                                         std::function<void(assignment_result)> reply) {
  if (!impl_->known_tenant(tenant, reply) || !impl_->admit(reply)) return;
  auto* i = impl_.get();
  impl_->core.send(
      'p', tenant, property_id,
      dispatch::property_query_msg{[i, tenant, property_id, contractor_id,
                                    reply = std::move(reply)](domain::property_state p) mutable {
        if (!p.registered())
          return reply(unexpected{dispatch_failure{dispatch_errc::rejected, "not_found",
                                                   "property_id", "no property " + property_id}});
        i->notify(tenant, contractor_id, assignment_reply{0, std::move(p), false, std::nullopt},
                  std::move(reply));
      }});
}

void dispatch_runtime::resume_contractors(const std::vector<contractor_ref>& with_held_texts) {
  for (const auto& c : with_held_texts) impl_->core.wake('k', c.tenant, c.contractor_id);
}

void dispatch_runtime::customer_state(const std::string& tenant, const std::string& id,
                                      std::function<void(domain::customer_state)> done) {
  impl_->core.send('c', tenant, id, dispatch::customer_query_msg{std::move(done)});
}

void dispatch_runtime::technician_state(const std::string& tenant, const std::string& id,
                                        std::function<void(domain::technician_state)> done) {
  impl_->core.send('t', tenant, id, dispatch::technician_query_msg{std::move(done)});
}

void dispatch_runtime::job_state(const std::string& tenant, const std::string& id,
                                 std::function<void(domain::job_state)> done) {
  impl_->core.send('j', tenant, id, dispatch::job_query_msg{std::move(done)});
}

void dispatch_runtime::contractor_state(const std::string& tenant, const std::string& id,
                                        std::function<void(domain::contractor_state)> done) {
  impl_->core.send('k', tenant, id, dispatch::contractor_query_msg{std::move(done)});
}

void dispatch_runtime::resume_jobs(const std::vector<job_ref>& open_jobs) {
  for (const auto& j : open_jobs) {
    impl_->core.agenda.put(j.tenant, j.job_id, j.scheduled_at);
    impl_->core.wake('j', j.tenant, j.job_id);  // recovers, and texts what it owes
  }
}

void dispatch_runtime::send_reminders(const std::string& tenant, std::optional<fl::timestamp> as_of,
                                      std::function<void(reminder_sweep_result)> done) {
  impl_->sweep(tenant, as_of.value_or(impl_->core.options.clock()), std::move(done));
}

void dispatch_runtime::passivate_idle() {
  impl_->passivate_idle();
}

dispatch_stats dispatch_runtime::stats() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->actors.size(), impl_->spawned, impl_->passivated};
}

void dispatch_runtime::drain() {
  impl_->drain();
}

}  // namespace fl::actors
