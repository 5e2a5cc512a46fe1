#include "actors/ticket_runtime.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "actors/spawn_anywhere.hpp"
#include "actors/ticket_core.hpp"
#include "domain/interpreter.hpp"

namespace fl::actors {

std::string_view to_string(ticket_errc code) {
  switch (code) {
    case ticket_errc::unavailable:
      return "unavailable";
    case ticket_errc::unknown_tenant:
      return "unknown_tenant";
    case ticket_errc::shutting_down:
      return "shutting_down";
  }
  return "unknown";
}

struct ticket_runtime::impl {
  impl(storage::event_store& store, const domain::tenant_directory& tenants,
       messaging_runtime& conversations, ticket_runtime_options options)
      : core{store, tenants, conversations, std::move(options)},
        system(configure(cfg, core.options)) {
    forget_actor_system_on_this_thread();  // the constructing thread may outlive it
    if (!core.options.interpreter) core.options.interpreter = &rules;
  }

  static caf::actor_system_config& configure(caf::actor_system_config& cfg,
                                             const ticket_runtime_options& options) {
    cfg.set("scheduler.max-threads", static_cast<int>(options.threads));
    cfg.set("scheduler.policy", caf::atom("sharing"));  // see messaging_runtime.cpp
    return cfg;
  }

  caf::actor actor_of(const std::string& tenant, const std::string& contractor_id) {
    std::lock_guard lock(mutex);
    auto key = registry_key(actor_key{actor_kind::ticket_session, tenant, contractor_id});
    auto it = actors.find(key);
    if (it != actors.end()) return it->second;
    auto a = spawn_anywhere(system, tickets::session_actor, &core, tenant, contractor_id);
    actors.emplace(std::move(key), a);
    return a;
  }

  // Wraps `reply` so that drain() knows it is outstanding; false when closing.
  bool admit(std::function<void(ticket_text_result)>& reply) {
    if (closing.load()) {
      reply(unexpected{ticket_failure{ticket_errc::shutting_down, "the server is shutting down"}});
      return false;
    }
    in_flight.fetch_add(1);
    reply = [this, inner = std::move(reply)](ticket_text_result r) {
      // A text read before wrote nothing: the log's last position covers
      // the earlier write it repeats.
      if (r && r->position == 0) r->position = core.store.last_position();
      inner(std::move(r));
      if (in_flight.fetch_sub(1) == 1) {
        std::lock_guard lock(idle_mutex);
        idle.notify_all();
      }
    };
    return true;
  }

  void drain() {
    {
      std::unique_lock lock(idle_mutex);
      idle.wait(lock, [this] { return in_flight.load() == 0; });
    }
    closing = true;
    std::lock_guard lock(mutex);
    for (auto& [key, a] : actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    actors.clear();
  }

  domain::rules_interpreter rules;
  tickets::core core;
  caf::actor_system_config cfg;  // outlives `system`, which keeps a reference
  caf::actor_system system;
  std::mutex mutex;
  std::unordered_map<std::string, caf::actor> actors;
  std::atomic<bool> closing{false};
  std::atomic<std::int64_t> in_flight{0};
  std::mutex idle_mutex;
  std::condition_variable idle;
};

ticket_runtime::ticket_runtime(storage::event_store& store, const domain::tenant_directory& tenants,
                               messaging_runtime& conversations, ticket_runtime_options options)
    : impl_(std::make_unique<impl>(store, tenants, conversations, std::move(options))) {}

ticket_runtime::~ticket_runtime() {
  impl_->drain();
  impl_->system.await_all_actors_done();
}

void ticket_runtime::text(contractor_text text, std::function<void(ticket_text_result)> reply) {
  if (!impl_->core.tenants.by_id(text.tenant)) {
    reply(unexpected{ticket_failure{ticket_errc::unknown_tenant, "no such tenant"}});
    return;
  }
  if (!impl_->admit(reply)) return;
  auto target = impl_->actor_of(text.tenant, text.contractor_id);
  caf::anon_send(target, tickets::text_msg{std::move(text), std::move(reply)});
}

void ticket_runtime::session(const std::string& tenant, const std::string& contractor_id,
                             std::function<void(domain::ticket_session_memory)> done) {
  caf::anon_send(impl_->actor_of(tenant, contractor_id), tickets::query_msg{std::move(done)});
}

void ticket_runtime::drain() {
  impl_->drain();
}

}  // namespace fl::actors
