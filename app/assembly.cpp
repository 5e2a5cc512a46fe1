#include "app/assembly.hpp"

#include <spdlog/spdlog.h>

#include "outbox/unsent_scan.hpp"

namespace fl::app {

namespace {

actors::reply_fn log_failure(std::string what) {
  return [what = std::move(what)](actors::command_result r) {
    if (!r) spdlog::warn("{} not recorded: {}", what, r.error().message);
  };
}

}  // namespace

expected<std::unique_ptr<assembly>, std::string> assembly::start(const config& cfg,
                                                                 assembly_options options) {
  std::unique_ptr<assembly> a(new assembly());
  a->cfg_ = cfg;
  auto store = storage::event_store::open(cfg.data_dir);
  if (!store)
    return unexpected{"cannot open the event log in " + cfg.data_dir + ": " +
                      store.error().message + " (" + std::string(to_string(store.error().code)) +
                      ")"};
  a->store_ = std::move(*store);
  a->tenant_service_ = std::make_unique<tenants::tenant_service>(*a->store_, a->directory_);
  if (auto loaded = a->tenant_service_->load(); !loaded) return unexpected{loaded.error()};

  // Outcomes and simulated statuses go to the owner's actor, which exists
  // by the time anything is sent.
  auto* runtime_slot = &a->runtime_for_callbacks_;
  if (cfg.sms_transport == "twilio") {
    twilio::rest_options rest = options.rest;
    rest.api_base = cfg.twilio_api_base;
    a->transport_ = outbound::make_twilio_transport(rest);
  } else {
    a->transport_ = outbound::make_sandbox_transport(
        [runtime_slot](outbound::status_report s) {
          if (*runtime_slot == nullptr) return;
          (*runtime_slot)
              ->submit(actors::conversation_key(s.tenant_id, s.to),
                       domain::record_status{s.sid, s.status, s.error_code},
                       log_failure("simulated status of " + s.sid));
        },
        outbound::sandbox_options{});
  }

  // Opt-outs are known before anything is sent: the outbox checks them last.
  auto recovery = outbox::scan_for_outbox(*a->store_);
  if (!recovery) return unexpected{recovery.error()};
  for (const auto& [tenant, phone] : recovery->opted_out)
    a->consent_.set_opted_out(tenant, phone, true);
  options.runtime.consent = &a->consent_;

  outbox::dispatcher_options dopt;
  dopt.may_send = [consent = &a->consent_](const actors::outbound_job& job) {
    // The confirmation of an opt-out is the one text an opted-out number gets.
    return job.message.trigger == "opt_out" ||
           !consent->is_opted_out(job.owner.tenant, job.message.to);
  };
  dopt.retry = options.retry;
  dopt.status_callback_url = cfg.public_url + "/sms/status";
  dopt.clock = options.runtime.clock;
  const domain::tenant_directory* directory = &a->directory_;
  std::optional<twilio::credentials> default_creds;
  if (cfg.twilio_account_sid && cfg.twilio_auth_token)
    default_creds = twilio::credentials{*cfg.twilio_account_sid, *cfg.twilio_auth_token};
  a->dispatcher_ = std::make_unique<outbox::dispatcher>(
      *a->transport_,
      [runtime_slot](const actors::actor_key& owner, domain::conversation_command outcome) {
        if (*runtime_slot == nullptr) return;
        (*runtime_slot)->submit(owner, std::move(outcome), log_failure("a send outcome"));
      },
      [directory, default_creds](const std::string& tenant_id,
                                 const std::string& from) -> std::optional<outbox::sender_profile> {
        auto t = directory->by_id(tenant_id);
        if (!t) return std::nullopt;
        outbox::sender_profile p;
        if (t->twilio_account_sid && t->twilio_auth_token)
          p.creds = twilio::credentials{*t->twilio_account_sid, *t->twilio_auth_token};
        else
          p.creds = default_creds;
        p.messaging_service_sid = t->messaging_service_sid;
        for (const auto& n : t->numbers)
          if (n.number == from) p.max_per_second = static_cast<double>(n.max_per_second);
        return p;
      },
      dopt);
  a->runtime_ = std::make_unique<actors::messaging_runtime>(*a->store_, a->directory_,
                                                            *a->dispatcher_, options.runtime);
  a->runtime_for_callbacks_ = a->runtime_.get();
  for (const auto& key : recovery->with_unsent) a->runtime_->activate(key);
  if (!recovery->with_unsent.empty())
    spdlog::info("resuming unsent messages of {} conversation(s)", recovery->with_unsent.size());

  a->metrics_.add_sampler([raw = a.get()] {
    auto s = raw->runtime_->stats();
    return std::vector<http::metric_sample>{
        {"fieldline_live_actors", "Actors in memory", static_cast<double>(s.live)},
        {"fieldline_actor_activations", "Actors spawned since start",
         static_cast<double>(s.spawned)},
        {"fieldline_actor_passivations", "Actors passivated since start",
         static_cast<double>(s.passivated)},
        {"fieldline_outbox_in_flight", "Outbound messages not yet sent or failed",
         static_cast<double>(raw->dispatcher_->in_flight())},
        {"fieldline_log_position", "Last position of the event log",
         static_cast<double>(raw->store_->last_position())},
        {"fieldline_tenants", "Tenants", static_cast<double>(raw->directory_.size())}};
  });

  http::server_deps deps;
  deps.ready = [] { return true; };
  deps.metrics = &a->metrics_;
  deps.twilio.public_url = cfg.public_url;
  while (!deps.twilio.public_url.empty() && deps.twilio.public_url.back() == '/')
    deps.twilio.public_url.pop_back();
  deps.twilio.default_auth_token = cfg.twilio_auth_token;
  deps.twilio.tenants = &a->directory_;
  deps.twilio.runtime = a->runtime_.get();
  deps.twilio.count = [m = &a->metrics_](std::string_view kind, std::string_view outcome) {
    m->count_webhook(kind, outcome);
  };
  deps.admin.operator_token = cfg.operator_token;
  deps.admin.tenants = &a->directory_;
  deps.admin.tenant_service = a->tenant_service_.get();
  deps.admin.runtime = a->runtime_.get();
  auto server = http::server::start({cfg.listen_host, cfg.listen_port, options.http_threads}, deps);
  if (!server) return unexpected{server.error()};
  a->server_ = std::move(*server);
  return a;
}

void assembly::stop() {
  if (stopped_) return;
  stopped_ = true;
  // New requests get 503; those taken are answered once their events are
  // durable. Then the actors stop, then sending, then the log.
  if (server_ && !server_->drain(std::chrono::seconds(10)))
    spdlog::warn("some requests were still unanswered after 10 s; stopping anyway");
  if (server_) server_->stop();
  if (runtime_) runtime_->drain();
  if (dispatcher_) dispatcher_->stop();
  transport_.reset();  // joins its thread; no callback after this
}

assembly::~assembly() {
  stop();
  runtime_for_callbacks_ = nullptr;
  dispatcher_.reset();
  runtime_.reset();
  server_.reset();
  store_.reset();
}

}  // namespace fl::app
