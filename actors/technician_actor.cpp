#include <algorithm>
#include <mutex>

#include "actors/dispatch_core.hpp"
#include "domain/dispatch_streams.hpp"

namespace fl::actors::dispatch {

namespace {

using technician_reply = dispatch_reply<domain::technician_state>;

// Where the job the technician is on its way to is: the geofence's center.
struct destination {
  std::string job_id;
  std::optional<domain::geo_point> at;
};

struct technician_holder {
  core* c = nullptr;
  std::string tenant, id, stream;
  caf::actor handle;
  std::shared_ptr<domain::technician_state> state = std::make_shared<domain::technician_state>();
  std::optional<destination> dest;
  bool healthy = false;
  // Batches of fixes whose append is not answered yet (see start_batch),
  // and the state their events leave: the next batch is decided on it.
  std::size_t appending = 0;
  domain::technician_state ahead;
  bool blocked = false;  // a message waits for the appends: so do the fixes after it
  bool failed = false;   // an append of those failed: re-read the stream once they are in
};

using holder_ptr = std::shared_ptr<technician_holder>;

// The job a status command is about: the one it names, else the current one.
std::optional<std::string> job_of(const domain::technician_state& s,
                                  const domain::change_technician_status& cmd) {
  auto status = domain::parse_technician_status(cmd.status);
  if (!status || *status == domain::technician_status::available) return std::nullopt;
  if (cmd.job_id) return cmd.job_id;
  return s.job_id;
}

// Tells the job what its technician just recorded (`technician`: the
// technician's state right after it); `done` gets the last position the job
// wrote (0: none), on the job's thread.
void tell_job(const holder_ptr& h, const std::string& job_id, domain::job_command command,
              domain::technician_state technician, std::function<void(std::uint64_t)> done) {
  // Not counted in flight on its own: the technician's reply waits for it.
  h->c->send_job(h->tenant, job_id,
                 job_command_msg{std::move(command),
                                 [done = std::move(done)](dispatch_result<domain::job_state> r) {
                                   done(r ? r->position : 0);
                                 },
                                 std::nullopt, std::move(technician)});
}

// What the job hears of `recorded` (the events of one command or one fix;
// `s`: the technician after them): a status about it, or a fix that moved
// its technician while on the way or on site. Nothing otherwise.
struct job_notice {
  std::string job_id;
  domain::job_command command;
};
std::optional<job_notice> notice_of(const std::string& technician_id,
                                    const domain::technician_state& s,
                                    const std::vector<events::event>& recorded, bool moved) {
  std::optional<job_notice> out;
  for (const auto& e : recorded)
    if (const auto* changed = std::get_if<events::technician_status_changed>(&e))
      if (changed->job_id)
        out = job_notice{*changed->job_id,
                         domain::follow_technician_status{
                             technician_id,
                             domain::parse_technician_status(changed->status).value_or(s.status)}};
  if (!out && moved && s.job_id &&
      (s.status == domain::technician_status::enroute ||
       s.status == domain::technician_status::on_site))
    out = job_notice{*s.job_id, domain::follow_technician_location{technician_id}};
  return out;
}

// After the technician's events are durable: the job hears of them (see
// notice_of) before the command is answered.
void forward(const holder_ptr& h, const std::vector<events::event>& recorded, bool moved,
             std::uint64_t position, dispatch_reply_fn<domain::technician_state> reply) {
  const auto& s = *h->state;
  auto notice = notice_of(h->id, s, recorded, moved);
  technician_reply answer{position, recorded, s};
  if (!notice) return reply(std::move(answer));
  tell_job(
      h, notice->job_id, std::move(notice->command), s,
      [answer = std::move(answer), reply = std::move(reply)](std::uint64_t job_position) mutable {
        answer.position = std::max(answer.position, job_position);
        reply(std::move(answer));
      });
}

// The tenant's side of a technician's decision, or null when the tenant is gone.
std::optional<domain::technician_context> context_of(const technician_holder& h) {
  auto t = h.c->tenants.by_id(h.tenant);
  if (!t) return std::nullopt;
  domain::technician_context ctx;
  ctx.now = h.c->options.clock();
  ctx.region = t->region;
  ctx.geofence_radius_m = h.c->config.settings_of(h.tenant).geofence_radius_m;
  return ctx;
}

// The geofence's center for a decision over `s`: the job's place while en
// route to the job whose place is known.
std::optional<domain::geo_point> destination_for(const technician_holder& h,
                                                 const domain::technician_state& s) {
  if (s.status == domain::technician_status::enroute && s.job_id && h.dest &&
      h.dest->job_id == *s.job_id)
    return h.dest->at;
  return std::nullopt;
}

void decide_and_record(caf::event_based_actor* self, const holder_ptr& h,
                       technician_command_msg m) {
  auto ctx = context_of(*h);
  if (!ctx) {
    self->unbecome();
    return m.reply(
        unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
  }
  const auto& s = *h->state;
  ctx->destination = destination_for(*h, s);
  auto decided = domain::decide(s, m.command, *ctx);
  if (!decided || decided->empty()) {
    self->unbecome();
    if (!decided) return m.reply(unexpected{failure_of(decided.error())});
    return m.reply(technician_reply{0, {}, s});
  }
  bool moved = false;
  for (const auto& e : *decided)
    if (const auto* fix = std::get_if<events::technician_located>(&e))
      moved = domain::moves_technician(s, *fix);
  auto evs = *decided;
  record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
         [self, h, evs, moved,
          reply = std::move(m.reply)](expected<std::uint64_t, dispatch_failure> position) mutable {
           self->unbecome();
           if (!position) return reply(unexpected{std::move(position.error())});
           forward(h, evs, moved, *position, std::move(reply));
         });
}

// What a batch of fixes leaves for the job, fix by fix, with the technician
// as each fix left it.
struct batch_notice {
  job_notice notice;
  domain::technician_state technician;
};

// Tells the jobs of the notices in order: each run of notices for the same
// job as one job_follow_msg (in practice the whole batch: its fixes are all
// about the technician's current job). Answers once every job has answered,
// with the last position written.
void forward_batch(const holder_ptr& h, std::vector<batch_notice> notices,
                   location_batch_reply answer, std::function<void(location_batch_result)> reply) {
  if (notices.empty()) return reply(std::move(answer));
  std::vector<std::pair<std::string, job_follow_msg>> runs;
  for (auto& n : notices) {
    if (runs.empty() || runs.back().first != n.notice.job_id)
      runs.emplace_back(n.notice.job_id, job_follow_msg{});
    runs.back().second.steps.push_back({std::move(n.notice.command), std::move(n.technician)});
  }
  struct waiting {
    std::mutex mutex;
    std::size_t left = 0;
    location_batch_reply answer;
    std::function<void(location_batch_result)> reply;
  };
  auto w = std::make_shared<waiting>();
  w->left = runs.size();
  w->answer = std::move(answer);
  w->reply = std::move(reply);
  for (auto& [job_id, msg] : runs) {
    msg.done = [w](std::uint64_t job_position) {
      std::unique_lock lock(w->mutex);
      w->answer.position = std::max(w->answer.position, job_position);
      if (--w->left > 0) return;
      lock.unlock();
      w->reply(std::move(w->answer));
    };
    // Not counted in flight on its own: the technician's reply waits for it.
    h->c->send_job(h->tenant, job_id, std::move(msg));
  }
}

// Whether a fix decided over `s` needs the job's place first.
bool destination_unknown(const technician_holder& h, const domain::technician_state& s) {
  return s.status == domain::technician_status::enroute && s.job_id &&
         (!h.dest || h.dest->job_id != *s.job_id);
}

void pipelining(caf::event_based_actor* self, const holder_ptr& h);

// The appends of the batches are answered: back to one message at a time.
// After a failure the state is read again from the stream (a batch behind
// the failed one was decided on events that are not in it).
void settle(caf::event_based_actor* self, const holder_ptr& h) {
  if (h->failed) {
    *h->state = domain::technician_state();
    h->healthy = catch_up(*h->c, h->stream, *h->state);
    h->failed = false;
  }
  h->blocked = false;
  self->unbecome();
}

// Each fix decided on the state the ones before it left, all appended in one
// write; a fix refused (not registered, a bad position) records nothing and
// the others go on, as they would one by one.
//
// Batches are pipelined: the next batch of the technician is decided on the
// state this one leaves (`ahead`) and appended behind it without waiting
// for this one to be durable. The store writes appends in the order they
// come, each at exactly the version the one before leaves, so the stream
// keeps the order of the requests; each batch is still answered only once
// its own append is durable, and tells the job of its fixes in that order.
void start_batch(caf::event_based_actor* self, const holder_ptr& h, technician_fixes_msg m) {
  auto ctx = context_of(*h);
  if (!ctx)
    return m.reply(
        unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
  location_batch_reply answer;
  answer.failures.resize(m.fixes.size());
  domain::technician_state s = h->appending > 0 ? h->ahead : *h->state;  // evolves fix by fix
  const std::uint64_t version = s.version;
  std::vector<events::event> all;
  std::vector<batch_notice> notices;
  for (std::size_t i = 0; i < m.fixes.size(); ++i) {
    ctx->now = h->c->options.clock();
    ctx->destination = destination_for(*h, s);
    auto decided = domain::decide(s, m.fixes[i], *ctx);
    if (!decided) {
      answer.failures[i] = failure_of(decided.error());
      continue;
    }
    bool moved = false;
    for (const auto& e : *decided) {
      if (const auto* fix = std::get_if<events::technician_located>(&e))
        moved = domain::moves_technician(s, *fix);
      domain::evolve(s, e);
    }
    if (auto notice = notice_of(h->id, s, *decided, moved))
      notices.push_back({std::move(*notice), s});
    for (auto& e : *decided) all.push_back(std::move(e));
  }
  if (all.empty()) return m.reply(std::move(answer));
  if (h->appending++ == 0) pipelining(self, h);
  h->ahead = std::move(s);
  auto kept = all;
  append_then(
      *h->c, h->handle, h->tenant, h->stream, version, std::move(all), std::nullopt,
      [self, h, kept = std::move(kept), notices = std::move(notices), answer = std::move(answer),
       reply = std::move(m.reply)](const storage::append_outcome& o) mutable {
        if (o && !h->failed)
          for (const auto& e : kept) domain::evolve(*h->state, e);
        if (!o) h->failed = true;
        if (--h->appending == 0) settle(self, h);
        if (!o)
          return reply(unexpected{unavailable("the log refused the write: " + o.error().message)});
        answer.position = o->last_position;
        forward_batch(h, std::move(notices), std::move(answer), std::move(reply));
      });
}

// While batches are being appended: the next batch goes behind them unless
// something before it must wait (a command, a batch that needs the job's
// place first, a failed append), and then everything after it waits too.
void pipelining(caf::event_based_actor* self, const holder_ptr& h) {
  self->become(
      caf::keep_behavior,
      caf::behavior{[](run_msg& r) { r.fn(); }, [h](technician_query_msg& q) { q.done(*h->state); },
                    [self, h](technician_fixes_msg& m) -> caf::result<void> {
                      if (h->blocked || h->failed || destination_unknown(*h, h->ahead)) {
                        h->blocked = true;
                        return caf::skip;
                      }
                      start_batch(self, h, std::move(m));
                      return caf::unit;
                    },
                    [h](technician_command_msg&) -> caf::result<void> {
                      h->blocked = true;
                      return caf::skip;
                    }});
}

// Asks the job's actor for its state; `then` runs on the technician's thread.
void ask_job(const holder_ptr& h, const std::string& job_id,
             std::function<void(domain::job_state)> then) {
  h->c->send_job(h->tenant, job_id,
                 job_query_msg{[handle = h->handle, then = std::move(then)](domain::job_state job) {
                   post(handle, [then, job = std::move(job)]() mutable { then(std::move(job)); });
                 }});
}

// Checks a status about a job against the job (it exists, is this
// technician's and is open) and learns where it is, then records.
void check_job_then_record(caf::event_based_actor* self, const holder_ptr& h,
                           technician_command_msg m, const std::string& job_id,
                           domain::technician_status status) {
  auto on_job = [self, h, m = std::move(m), job_id, status](domain::job_state job) mutable {
    auto refuse = [&](const char* reason, std::string message) {
      self->unbecome();
      m.reply(unexpected{
          dispatch_failure{dispatch_errc::rejected, reason, "job_id", std::move(message)}});
    };
    if (!job.created()) return refuse("not_found", "no job " + job_id);
    if (job.technician_id != h->id)
      return refuse("wrong_technician",
                    "job " + job_id + " is not assigned to technician " + h->id);
    if (job.status == domain::job_status::cancelled ||
        (job.status == domain::job_status::complete &&
         status != domain::technician_status::complete))
      return refuse("job_closed",
                    "job " + job_id + " is " + std::string(domain::to_string(job.status)));
    h->dest = destination{job_id, job.location};
    decide_and_record(self, h, std::move(m));
  };
  ask_job(h, job_id, std::move(on_job));
}

// A fix while on the way to a job whose place is not known yet (after a
// recovery): learn it first, so the geofence is checked; then `then`, on the
// technician's thread.
void learn_destination_then(const holder_ptr& h, const std::string& job_id,
                            std::function<void()> then) {
  ask_job(h, job_id, [h, job_id, then = std::move(then)](domain::job_state job) {
    h->dest = destination{job_id, job.location};
    then();
  });
}

// One command at a time: the next waits until this one is durable. Queries
// are still answered (a job may ask while this waits for it).
void busy(caf::event_based_actor* self, const holder_ptr& h) {
  self->become(caf::keep_behavior,
               caf::behavior{[](run_msg& r) { r.fn(); },
                             [h](technician_query_msg& q) { q.done(*h->state); }});
}

void handle_command(caf::event_based_actor* self, const holder_ptr& h, technician_command_msg m) {
  if (!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state)))
    return m.reply(unexpected{unavailable("the technician's history cannot be read")});
  busy(self, h);
  const auto& s = *h->state;
  if (const auto* status = std::get_if<domain::change_technician_status>(&m.command);
      status && s.registered()) {
    // A job id that cannot be one is refused by decide (400), not looked up.
    if (auto job = job_of(s, *status); job && domain::is_valid_entity_id(*job)) {
      auto parsed = *domain::parse_technician_status(status->status);
      return check_job_then_record(self, h, std::move(m), *job, parsed);
    }
  }
  if (std::holds_alternative<domain::record_location>(m.command) &&
      destination_unknown(*h, *h->state))
    return learn_destination_then(h, *s.job_id, [self, h, m = std::move(m)]() mutable {
      decide_and_record(self, h, std::move(m));
    });
  decide_and_record(self, h, std::move(m));
}

void handle_fixes(caf::event_based_actor* self, const holder_ptr& h, technician_fixes_msg m) {
  if (!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state)))
    return m.reply(unexpected{unavailable("the technician's history cannot be read")});
  if (destination_unknown(*h, *h->state)) {
    busy(self, h);
    return learn_destination_then(h, *h->state->job_id, [self, h, m = std::move(m)]() mutable {
      self->unbecome();
      start_batch(self, h, std::move(m));
    });
  }
  start_batch(self, h, std::move(m));
}

}  // namespace

caf::behavior technician_actor(caf::event_based_actor* self, core* c, std::string tenant,
                               std::string id) {
  auto h = std::make_shared<technician_holder>();
  h->c = c;
  h->tenant = std::move(tenant);
  h->id = std::move(id);
  h->stream = domain::technician_stream(h->tenant, h->id);
  h->handle = caf::actor_cast<caf::actor>(self);
  h->healthy = catch_up(*c, h->stream, *h->state);
  self->set_default_handler(caf::skip);
  self->attach_functor([h] { h->handle = nullptr; });  // no cycle through the holder
  return {
      [self, h](technician_command_msg& m) { handle_command(self, h, std::move(m)); },
      [self, h](technician_fixes_msg& m) { handle_fixes(self, h, std::move(m)); },
      [h](technician_query_msg& q) { q.done(*h->state); },
      [](run_msg& r) { r.fn(); },
      // Idle (busy behaviours leave it in the mailbox): nothing in flight.
      [self, h](passivate_msg& m) { passivate(self, *h->c, 't', h->tenant, h->id, m); },
  };
}

}  // namespace fl::actors::dispatch
