#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/dispatch_core.hpp"
#include "domain/dispatch_streams.hpp"
#include "domain/local_calendar.hpp"
#include "domain/notification_text.hpp"

namespace fl::actors::dispatch {

namespace {

using job_reply = dispatch_reply<domain::job_state>;
using position_fn = std::function<void(std::uint64_t)>;

struct job_holder {
  core* c = nullptr;
  std::string tenant, id, stream;
  caf::actor handle;
  std::shared_ptr<domain::job_state> state = std::make_shared<domain::job_state>();
  bool healthy = false;
  std::optional<fl::timestamp> timer_at;  // when the armed timer fires
  std::optional<fl::timestamp> retry_at;  // a text the conversation could not take
};

using holder_ptr = std::shared_ptr<job_holder>;

void keep_agenda(const job_holder& h) {
  const auto& s = *h.state;
  if (!s.created()) return;
  if (s.closed())
    h.c->agenda.remove(h.tenant, h.id);
  else
    h.c->agenda.put(h.tenant, h.id, s.scheduled_at);
}

void busy(caf::event_based_actor* self, const holder_ptr& h) {
  self->become(caf::keep_behavior, caf::behavior{[](run_msg& r) { r.fn(); },
                                                 [h](job_query_msg& q) { q.done(*h->state); }});
}

// Asks the customer's (or technician's) actor for its state; `then` runs on
// the job's thread.
template <class Query, class State>
void ask(const holder_ptr& h, char kind, const std::string& id, std::function<void(State)> then) {
  h->c->send(kind, h->tenant, id, Query{[handle = h->handle, then = std::move(then)](State s) {
               post(handle, [then, s = std::move(s)]() mutable { then(std::move(s)); });
             }});
}

void ask_customer(const holder_ptr& h, const std::string& customer_id,
                  std::function<void(domain::customer_state)> then) {
  ask<customer_query_msg, domain::customer_state>(h, 'c', customer_id, std::move(then));
}

void ask_technician(const holder_ptr& h, const std::optional<std::string>& technician_id,
                    std::function<void(std::optional<domain::technician_state>)> then) {
  if (!technician_id) return then(std::nullopt);
  ask<technician_query_msg, domain::technician_state>(
      h, 't', *technician_id, [then = std::move(then)](domain::technician_state s) {
        then(s.registered() ? std::optional(std::move(s)) : std::nullopt);
      });
}

void arm_timer(caf::event_based_actor* self, const holder_ptr& h) {
  auto next = domain::next_release_at(*h->state);
  if (h->retry_at && (!next || *h->retry_at < *next)) next = h->retry_at;
  if (!next || (h->timer_at && *h->timer_at <= *next)) return;
  h->timer_at = next;
  auto delay = std::max(*next - h->c->options.clock(), fl::timestamp::duration::zero());
  self->delayed_send(self, delay + std::chrono::milliseconds(1), release_msg{});
}

// Records the outcome of a pending notification (queued or skipped) and
// goes on with the next one.
void deliver(caf::event_based_actor* self, const holder_ptr& h, std::uint64_t written,
             position_fn finished);

void record_outcome(caf::event_based_actor* self, const holder_ptr& h, domain::job_command outcome,
                    std::uint64_t written, position_fn finished) {
  domain::notification_context ctx;
  ctx.now = h->c->options.clock();
  auto decided = domain::decide(*h->state, outcome, ctx);
  if (!decided || decided->empty()) {
    spdlog::warn("job {}:{}: a notification's outcome was not recorded: {}", h->tenant, h->id,
                 decided ? "nothing to record" : decided.error().message);
    arm_timer(self, h);
    return finished(written);
  }
  record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
         [self, h, written, finished = std::move(finished)](
             expected<std::uint64_t, dispatch_failure> position) mutable {
           if (!position) {
             spdlog::warn("job {}:{}: {}", h->tenant, h->id, position.error().message);
             h->retry_at = h->c->options.clock() + h->c->options.retry_after;
             arm_timer(self, h);
             return finished(written);
           }
           keep_agenda(*h);
           deliver(self, h, std::max(written, *position), std::move(finished));
         });
}

void skip(caf::event_based_actor* self, const holder_ptr& h, domain::sms_trigger trigger,
          std::string reason, std::uint64_t written, position_fn finished) {
  record_outcome(self, h, domain::record_notification_skipped{trigger, std::move(reason)}, written,
                 std::move(finished));
}

// Hands the text to the customer's conversation; a retry under the same
// external id queues nothing twice.
void queue_text(caf::event_based_actor* self, const holder_ptr& h,
                const domain::pending_notification& n, const domain::customer_state& customer,
                std::string text, std::uint64_t written, position_fn finished) {
  domain::send_sms send;
  send.body = std::move(text);
  send.trigger = std::string(domain::to_string(n.trigger));
  send.customer_id = customer.id;
  send.job_id = h->id;
  send.external_id = domain::notification_external_id(h->id, n);
  auto on_queued = [self, h, trigger = n.trigger, written,
                    finished = std::move(finished)](const command_result& r) mutable {
    if (r) {
      std::string message_id;
      for (const auto& e : r->events)
        if (const auto* q = std::get_if<events::sms_queued>(&e)) message_id = q->message_id;
      written = std::max(written, r->position);
      return record_outcome(self, h, domain::record_notification_queued{trigger, message_id},
                            written, std::move(finished));
    }
    const auto& f = r.error();
    if (f.code == command_errc::rejected) {
      bool opted_out = f.domain_code == domain::conversation_errc::opted_out;
      return skip(self, h, trigger, opted_out ? "opted_out" : "rejected", written,
                  std::move(finished));
    }
    spdlog::warn("job {}:{}: the {} text was not queued ({}); retrying later", h->tenant, h->id,
                 domain::to_string(trigger), f.message);
    h->retry_at = h->c->options.clock() + h->c->options.retry_after;
    arm_timer(self, h);
    finished(written);
  };
  h->c->conversations.submit(
      conversation_key(h->tenant, customer.phone), std::move(send),
      [handle = h->handle, on_queued = std::move(on_queued)](command_result r) mutable {
        post(handle, [on_queued, r = std::move(r)]() mutable { on_queued(r); });
      });
}

void compose_and_queue(caf::event_based_actor* self, const holder_ptr& h,
                       domain::pending_notification n, std::uint64_t written,
                       position_fn finished) {
  auto customer_id = h->state->customer_id;
  ask_customer(
      h, customer_id,
      [self, h, n, written,
       finished = std::move(finished)](domain::customer_state customer) mutable {
        auto technician_id = n.technician_id ? n.technician_id : h->state->technician_id;
        ask_technician(
            h, technician_id,
            [self, h, n, written, finished = std::move(finished), customer = std::move(customer)](
                std::optional<domain::technician_state> technician) mutable {
              auto t = h->c->tenants.by_id(h->tenant);
              if (!customer.registered() || !t)
                return skip(self, h, n.trigger, "no_customer", written, std::move(finished));
              auto library = h->c->config.templates_of(h->tenant);
              domain::template_library_state none;
              domain::notification_subject subject{h->state.get(), &customer,
                                                   technician ? &*technician : nullptr, t->name,
                                                   domain::find_time_zone(t->timezone)};
              auto text = domain::notification_text(n, subject, library ? library->state : none);
              if (!text)
                return skip(self, h, n.trigger, text.error().reason, written, std::move(finished));
              queue_text(self, h, n, customer, std::move(*text), written, std::move(finished));
            });
      });
}

// Texts every pending notification that is due, one at a time, recording
// each outcome; then arms the timer for the held ones. `finished` gets the
// last position written.
void deliver(caf::event_based_actor* self, const holder_ptr& h, std::uint64_t written,
             position_fn finished) {
  auto now = h->c->options.clock();
  if (h->retry_at && *h->retry_at > now) {
    arm_timer(self, h);
    return finished(written);
  }
  h->retry_at.reset();
  auto due = domain::due_notifications(*h->state, now);
  if (due.empty()) {
    arm_timer(self, h);
    return finished(written);
  }
  auto n = due.front();
  if (auto stale = domain::stale_reason(*h->state, n))
    return skip(self, h, n.trigger, std::string(*stale), written, std::move(finished));
  compose_and_queue(self, h, std::move(n), written, std::move(finished));
}

void decide_and_record(caf::event_based_actor* self, const holder_ptr& h, job_command_msg m,
                       const domain::customer_state& customer) {
  auto t = h->c->tenants.by_id(h->tenant);
  domain::notification_context ctx;
  ctx.now = m.as_of.value_or(h->c->options.clock());
  ctx.zone = domain::find_time_zone(t->timezone);
  ctx.settings = h->c->config.settings_of(h->tenant);
  ctx.customer_opted_out =
      customer.registered() && h->c->consent.is_opted_out(h->tenant, customer.phone);
  ctx.technician = m.technician ? &*m.technician : nullptr;
  ctx.eta = h->c->options.eta;
  auto decided = domain::decide(*h->state, m.command, ctx);
  if (!decided) {
    self->unbecome();
    return m.reply(unexpected{failure_of(decided.error())});
  }
  auto reply = std::move(m.reply);
  auto reply_after_delivery = [self, h, reply](std::vector<events::event> recorded,
                                               std::uint64_t written) {
    deliver(self, h, written, [self, h, reply, recorded](std::uint64_t last) {
      self->unbecome();
      reply(job_reply{last, recorded, *h->state});
    });
  };
  if (decided->empty()) return reply_after_delivery({}, 0);
  auto evs = *decided;
  record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
         [self, h, evs, reply_after_delivery,
          reply](expected<std::uint64_t, dispatch_failure> position) mutable {
           if (!position) {
             self->unbecome();
             return reply(unexpected{std::move(position.error())});
           }
           keep_agenda(*h);
           reply_after_delivery(evs, *position);
         });
}

void refuse(caf::event_based_actor* self, job_command_msg& m, const char* reason, const char* field,
            std::string message) {
  self->unbecome();
  m.reply(unexpected{dispatch_failure{dispatch_errc::rejected, reason, field, std::move(message)}});
}

void handle_command(caf::event_based_actor* self, const holder_ptr& h, job_command_msg m) {
  if (!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state)))
    return m.reply(unexpected{unavailable("the job's history cannot be read")});
  if (!h->c->tenants.by_id(h->tenant))
    return m.reply(
        unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
  busy(self, h);
  const auto* create = std::get_if<domain::create_job>(&m.command);
  std::string customer_id = create ? create->customer_id : h->state->customer_id;
  // The customer first: a job is for a registered customer, and whether it
  // opted out decides what fires.
  auto with_customer = [self, h, m = std::move(m), creating = create != nullptr,
                        customer_id](domain::customer_state customer) mutable {
    if (creating && !h->state->created() && domain::is_valid_entity_id(customer_id) &&
        !customer.registered())
      return refuse(self, m, "not_found", "customer_id", "no customer " + customer_id);
    if (const auto* assign = std::get_if<domain::assign_job>(&m.command);
        assign && domain::is_valid_entity_id(assign->technician_id)) {
      auto technician_id = assign->technician_id;
      return ask_technician(h, technician_id,
                            [self, h, m = std::move(m), customer, technician_id](
                                std::optional<domain::technician_state> technician) mutable {
                              if (!technician)
                                return refuse(self, m, "not_found", "technician_id",
                                              "no technician " + technician_id);
                              decide_and_record(self, h, std::move(m), customer);
                            });
    }
    if (std::holds_alternative<domain::trigger_notification>(m.command) && !m.technician &&
        h->state->technician_id) {
      // By hand too, en route and 15 minutes say the ETA from the
      // technician's last fix: without it their text could not be written.
      auto technician_id = h->state->technician_id;
      return ask_technician(h, technician_id,
                            [self, h, m = std::move(m),
                             customer](std::optional<domain::technician_state> technician) mutable {
                              m.technician = std::move(technician);
                              decide_and_record(self, h, std::move(m), customer);
                            });
    }
    decide_and_record(self, h, std::move(m), customer);
  };
  if (!domain::is_valid_entity_id(customer_id)) return with_customer(domain::customer_state{});
  ask_customer(h, customer_id, std::move(with_customer));
}

// A batch of steps on its way through the job (see job_follow_msg).
struct follow_run {
  job_follow_msg msg;
  domain::customer_state customer;
  std::size_t next = 0;
  std::uint64_t written = 0;
  bool in_step = false;      // decide_and_record of `next` has not returned yet
  bool done_inline = false;  // ... and its step finished before it did
};

// The steps from `run->next` on, one after another: each decided, recorded
// and delivered as a job_command_msg of its own would be. A step that
// finishes at once loops here instead of recursing (a batch may be long).
void run_steps(caf::event_based_actor* self, const holder_ptr& h,
               const std::shared_ptr<follow_run>& run) {
  while (run->next < run->msg.steps.size()) {
    // decide_and_record leaves the busy behaviour when a step is done: take
    // it again for each step but the first (taken by handle_follow).
    if (run->next > 0) busy(self, h);
    auto& step = run->msg.steps[run->next];
    job_command_msg one{std::move(step.command),
                        [self, h, run](dispatch_result<domain::job_state> r) {
                          run->written = std::max(run->written, r ? r->position : 0);
                          ++run->next;
                          if (run->in_step) {
                            run->done_inline = true;
                            return;
                          }
                          run_steps(self, h, run);
                        },
                        std::nullopt, std::move(step.technician)};
    run->in_step = true;
    run->done_inline = false;
    decide_and_record(self, h, std::move(one), run->customer);
    run->in_step = false;
    if (!run->done_inline) return;  // the step's callback goes on
  }
  run->msg.done(run->written);
}

void handle_follow(caf::event_based_actor* self, const holder_ptr& h, job_follow_msg& m) {
  if ((!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state))) ||
      !h->c->tenants.by_id(h->tenant) || m.steps.empty())
    return m.done(0);
  busy(self, h);
  auto run = std::make_shared<follow_run>();
  run->msg = std::move(m);
  auto customer_id = h->state->customer_id;
  auto go = [self, h, run](domain::customer_state customer) {
    run->customer = std::move(customer);
    run_steps(self, h, run);
  };
  if (!domain::is_valid_entity_id(customer_id)) return go(domain::customer_state{});
  ask_customer(h, customer_id, std::move(go));
}

void on_release(caf::event_based_actor* self, const holder_ptr& h) {
  h->timer_at.reset();
  if (!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state))) return;
  busy(self, h);
  deliver(self, h, 0, [self](std::uint64_t) { self->unbecome(); });
}

}  // namespace

caf::behavior job_actor(caf::event_based_actor* self, core* c, std::string tenant, std::string id) {
  auto h = std::make_shared<job_holder>();
  h->c = c;
  h->tenant = std::move(tenant);
  h->id = std::move(id);
  h->stream = domain::job_stream(h->tenant, h->id);
  h->handle = caf::actor_cast<caf::actor>(self);
  h->healthy = catch_up(*c, h->stream, *h->state);
  keep_agenda(*h);
  self->set_default_handler(caf::skip);
  self->attach_functor([h] { h->handle = nullptr; });  // no cycle through the holder
  // Texts it still owes (a restart between a trigger and its text), and the
  // timer for held ones.
  if (!h->state->pending.empty()) caf::anon_send(h->handle, release_msg{});
  return {
      [self, h](job_command_msg& m) { handle_command(self, h, std::move(m)); },
      [self, h](job_follow_msg& m) { handle_follow(self, h, m); },
      [h](job_query_msg& q) { q.done(*h->state); },
      [self, h](release_msg) { on_release(self, h); },
      [](run_msg& r) { r.fn(); },
      // Idle (busy behaviours leave it in the mailbox). A text still owed
      // (held, or to retry) keeps the job: only its timer would wake it. A
      // timer armed for nothing else is of no use.
      [self, h](passivate_msg& m) {
        if (h->state->pending.empty() && !h->retry_at)
          passivate(self, *h->c, 'j', h->tenant, h->id, m);
      },
  };
}

}  // namespace fl::actors::dispatch
