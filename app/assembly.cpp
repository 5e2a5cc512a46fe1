#include "app/assembly.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/interpreter_factory.hpp"
#include "projections/directory_reads.hpp"
#include "projections/ticket_reads.hpp"

namespace fl::app {

namespace {

actors::reply_fn log_failure(std::string what) {
  return [what = std::move(what)](actors::command_result r) {
    if (!r) spdlog::warn("{} not recorded: {}", what, r.error().message);
  };
}

// The open jobs (neither complete nor cancelled) of every tenant, as the
// caught-up directory projection has them.
std::vector<actors::job_ref> open_jobs(const projections::directory_reads& reads,
                                       const domain::tenant_directory& tenants) {
  std::vector<actors::job_ref> out;
  for (const auto& t : tenants.all()) {
    projections::page_request page{500, std::nullopt};
    for (;;) {
      auto jobs = reads.jobs(t->id, {}, page);
      if (!jobs) break;
      for (const auto& j : jobs->items)
        if (j.status != "complete" && j.status != "cancelled")
          out.push_back({t->id, j.id, from_micros(j.scheduled_at_us)});
      if (!jobs->next_cursor) break;
      page.cursor = jobs->next_cursor;
    }
  }
  return out;
}

// The contractors with assignment texts held by their quiet hours, as the
// caught-up directory projection has them.
std::vector<actors::contractor_ref> contractors_with_held_texts(
    const projections::directory_reads& reads, const domain::tenant_directory& tenants) {
  std::vector<actors::contractor_ref> out;
  for (const auto& t : tenants.all()) {
    projections::page_request page{500, std::nullopt};
    for (;;) {
      auto contractors = reads.contractors(t->id, page);
      if (!contractors) break;
      for (const auto& c : contractors->items)
        if (c.held_texts > 0) out.push_back({t->id, c.id});
      if (!contractors->next_cursor) break;
      page.cursor = contractors->next_cursor;
    }
  }
  return out;
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
  a->sms_config_ = std::make_unique<notifications::sms_config_service>(*a->store_, a->directory_);
  if (auto loaded = a->sms_config_->load(); !loaded) return unexpected{loaded.error()};

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

  // The read side first catches up with the log (instant when it was
  // following it; a projection whose code changed is rebuilt from 0 here),
  // so the outbox's start-up state comes from it rather than from a scan of
  // the whole log. Then it follows the log on its own thread.
  auto pdb = projections::projection_db::open(projections::projections_dir(cfg.data_dir),
                                              projections::projection_set::names());
  if (!pdb) return unexpected{pdb.error()};
  a->projection_db_ = std::move(*pdb);
  a->projector_ =
      std::make_unique<projections::projector>(*a->projection_db_, a->projection_set_.all());
  if (auto caught_up = a->projector_->catch_up(*a->store_); !caught_up)
    return unexpected{"cannot bring the projections up to date: " + caught_up.error()};
  a->reads_ = std::make_unique<projections::read_model>(*a->projection_db_);
  auto recovery = projections::outbox_projection::read(*a->projection_db_);
  if (auto started = a->projector_->start(*a->store_); !started)
    return unexpected{"cannot start the projections: " + started.error()};

  // Opt-outs are known before anything is sent: the outbox checks them last.
  for (const auto& [tenant, phone] : recovery.opted_out)
    a->consent_.set_opted_out(tenant, phone, true);
  options.runtime.consent = &a->consent_;
  // A STOP is confirmed with the text of the tenant's SMS settings.
  options.runtime.opt_out_message = [config = a->sms_config_.get()](const std::string& tenant) {
    return config->settings_of(tenant).opt_out_message;
  };

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
  for (const auto& [tenant, phone] : recovery.with_unsent)
    a->runtime_->activate(actors::conversation_key(tenant, phone));
  if (!recovery.with_unsent.empty())
    spdlog::info("resuming unsent messages of {} conversation(s)", recovery.with_unsent.size());
  // One reader of the directory projection for everything below (it holds
  // no state of its own; every call reads the projection's store).
  auto directory_reads = std::make_shared<projections::directory_reads>(*a->projection_db_);
  actors::dispatch_options dispatch_options = options.dispatch;
  dispatch_options.clock = options.runtime.clock;
  // A contractor's phone is no customer's and no other contractor's of the
  // tenant, as far as the read side knows (the runtime claims the rest).
  dispatch_options.phone_taken = [reads = directory_reads](const std::string& tenant,
                                                           const std::string& phone,
                                                           const std::string& contractor_id) {
    if (!reads->customers_with_phone(tenant, phone).empty()) return true;
    auto contractor = reads->contractor_by_phone(tenant, phone);
    return contractor && *contractor && (*contractor)->id != contractor_id;
  };
  dispatch_options.contractor_phone = [reads = directory_reads](const std::string& tenant,
                                                                const std::string& phone) {
    auto contractor = reads->contractor_by_phone(tenant, phone);
    return contractor && *contractor;
  };
  a->dispatch_ = std::make_unique<actors::dispatch_runtime>(
      *a->store_, a->directory_, *a->sms_config_, *a->runtime_, a->consent_, dispatch_options);
  // Every open job back in the reminder agenda; each recovers, sends the
  // texts it still owes and arms its timer for held ones.
  auto open = open_jobs(*directory_reads, a->directory_);
  a->dispatch_->resume_jobs(open);
  if (!open.empty()) spdlog::info("{} open job(s) back on the agenda", open.size());
  auto holding = contractors_with_held_texts(*directory_reads, a->directory_);
  a->dispatch_->resume_contractors(holding);
  if (!holding.empty())
    spdlog::info("{} contractor(s) with held assignment texts resumed", holding.size());

  // Contractors' texts: read by Claude when a key is configured (the rules
  // otherwise, and whenever Claude fails), decided by their ticket session.
  a->interpreter_ = make_interpreter(cfg);
  actors::ticket_runtime_options ticket_options;
  ticket_options.clock = options.runtime.clock;
  ticket_options.interpreter = a->interpreter_.get();
  ticket_options.properties = [directory_reads](const std::string& tenant,
                                                const std::string& contractor_id)
      -> expected<std::vector<domain::property_ref>, std::string> {
    auto found = directory_reads->properties_of(tenant, contractor_id);
    if (!found) return unexpected{found.error().message};
    std::vector<domain::property_ref> out;
    for (auto& p : *found) out.push_back({p.id, p.name, p.address});
    return out;
  };
  a->tickets_ = std::make_unique<actors::ticket_runtime>(*a->store_, a->directory_, *a->runtime_,
                                                         ticket_options);

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
        {"fieldline_projection_position", "Log position every projection has applied",
         static_cast<double>(raw->projector_ ? raw->projector_->position() : 0)},
        {"fieldline_tenants", "Tenants", static_cast<double>(raw->directory_.size())}};
  });

  http::server_deps deps;
  auto* projector = a->projector_.get();
  deps.ready = [projector] {
    return projector->failure().empty() && projector->position() >= projector->start_target();
  };
  deps.readiness_detail = [projector, store = a->store_.get()] {
    if (auto f = projector->failure(); !f.empty()) return "projections stopped: " + f;
    return "projections at " + std::to_string(projector->position()) + " of " +
           std::to_string(store->last_position());
  };
  deps.await_position = [projector](std::uint64_t position, std::chrono::milliseconds timeout,
                                    std::function<void(bool)> done) {
    projector->await(position, timeout, std::move(done));
  };
  deps.reads.tenants = &a->directory_;
  deps.reads.reads = a->reads_.get();
  deps.reads.runtime = a->runtime_.get();
  deps.reads.store = a->store_.get();
  deps.reads.clock = options.runtime.clock;
  deps.metrics = &a->metrics_;
  deps.twilio.public_url = cfg.public_url;
  while (!deps.twilio.public_url.empty() && deps.twilio.public_url.back() == '/')
    deps.twilio.public_url.pop_back();
  deps.twilio.default_auth_token = cfg.twilio_auth_token;
  deps.twilio.tenants = &a->directory_;
  deps.twilio.runtime = a->runtime_.get();
  deps.twilio.tickets = a->tickets_.get();
  deps.twilio.identify =
      [directory_reads](const std::string& tenant,
                        const std::string& phone) -> expected<http::sender_identity, std::string> {
    auto contractor = directory_reads->contractor_by_phone(tenant, phone);
    if (!contractor) return unexpected{contractor.error().message};
    if (*contractor) return http::sender_identity{(*contractor)->id, true};
    return http::sender_identity{std::nullopt,
                                 !directory_reads->customers_with_phone(tenant, phone).empty()};
  };
  deps.twilio.count = [m = &a->metrics_](std::string_view kind, std::string_view outcome) {
    m->count_webhook(kind, outcome);
  };
  deps.admin.operator_token = cfg.operator_token;
  deps.admin.tenants = &a->directory_;
  deps.admin.tenant_service = a->tenant_service_.get();
  deps.admin.runtime = a->runtime_.get();
  deps.admin.dispatch = a->dispatch_.get();
  deps.sms_config.tenants = &a->directory_;
  deps.sms_config.service = a->sms_config_.get();
  deps.dispatch.tenants = &a->directory_;
  deps.dispatch.dispatch = a->dispatch_.get();
  deps.dispatch.consent = &a->consent_;
  deps.directory.tenants = &a->directory_;
  deps.directory.reads = directory_reads;
  deps.tickets.tenants = &a->directory_;
  deps.tickets.reads = std::make_shared<projections::ticket_reads>(*a->projection_db_);
  deps.audit.tenants = &a->directory_;
  deps.audit.store = a->store_.get();
  deps.audit.verify_projections = [raw = a.get(), dir = std::filesystem::path(cfg.data_dir)](
                                      std::string_view tenant) -> expected<bool, std::string> {
    auto scratch = dir / ("verify-scratch-" + std::to_string(::getpid()) + "-" +
                          std::to_string(raw->verify_runs_.fetch_add(1)));
    auto check =
        projections::check_against_rebuild(*raw->store_, *raw->projection_db_, tenant, scratch);
    if (!check) return unexpected{check.error()};
    for (const auto& m : check->mismatches) spdlog::warn("audit verify of {}: {}", tenant, m);
    return check->ok;
  };
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
  // Jobs hand texts to conversations: they stop first.
  if (dispatch_) dispatch_->drain();
  if (tickets_) tickets_->drain();
  if (runtime_) runtime_->drain();
  if (dispatcher_) dispatcher_->stop();
  transport_.reset();  // joins its thread; no callback after this
  projector_.reset();  // joins the subscription; answers waiters still waiting
}

assembly::~assembly() {
  stop();
  runtime_for_callbacks_ = nullptr;
  dispatcher_.reset();
  dispatch_.reset();
  tickets_.reset();
  interpreter_.reset();
  runtime_.reset();
  server_.reset();
  reads_.reset();
  projection_db_.reset();
  store_.reset();
}

}  // namespace fl::app
