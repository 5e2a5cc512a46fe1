#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/dispatch_core.hpp"
#include "domain/dispatch_streams.hpp"
#include "domain/local_calendar.hpp"

namespace fl::actors::dispatch {

namespace {

using contractor_reply = dispatch_reply<domain::contractor_state>;
using notify_result = expected<std::pair<assignment_text_outcome, std::uint64_t>, dispatch_failure>;

struct contractor_holder {
  core* c = nullptr;
  std::string tenant, id, stream;
  caf::actor handle;
  std::shared_ptr<domain::contractor_state> state = std::make_shared<domain::contractor_state>();
  bool healthy = false;
  std::optional<fl::timestamp> timer_at;  // when the armed timer fires
};
using holder_ptr = std::shared_ptr<contractor_holder>;

void busy(caf::event_based_actor* self, const holder_ptr& h) {
  self->become(caf::keep_behavior,
               caf::behavior{[](run_msg& r) { r.fn(); },
                             [h](contractor_query_msg& q) { q.done(*h->state); }});
}

bool healthy(const holder_ptr& h) {
  return h->healthy || (h->healthy = catch_up(*h->c, h->stream, *h->state));
}

void arm_timer(caf::event_based_actor* self, const holder_ptr& h, fl::timestamp at) {
  if (h->timer_at && *h->timer_at <= at) return;
  h->timer_at = at;
  auto delay = std::max(at - h->c->options.clock(), fl::timestamp::duration::zero());
  self->delayed_send(self, delay + std::chrono::milliseconds(1), release_msg{});
}

void arm_for_held(caf::event_based_actor* self, const holder_ptr& h) {
  if (auto next = domain::next_assignment_release(*h->state)) arm_timer(self, h, *next);
}

// Queues `text` in the contractor's conversation; `then` runs on the
// actor's thread with the messaging runtime's answer.
void queue_text(const holder_ptr& h, const domain::held_assignment_text& text,
                std::function<void(const command_result&)> then) {
  domain::send_sms send;
  send.body = text.body;
  send.trigger = "assignment";
  send.contractor_id = h->id;
  send.external_id = text.external_id;
  h->c->conversations.submit(conversation_key(h->tenant, h->state->phone), std::move(send),
                             [handle = h->handle, then = std::move(then)](command_result r) {
                               post(handle, [then, r = std::move(r)] { then(r); });
                             });
}

notify_result outcome(std::string sms, std::string reason, std::uint64_t position,
                      std::optional<std::string> message_id = std::nullopt,
                      std::optional<fl::timestamp> held_until = std::nullopt) {
  return std::pair{
      assignment_text_outcome{std::move(sms), std::move(reason), std::move(message_id), held_until},
      position};
}

std::string queued_id(const command_reply& r) {
  for (const auto& e : r.events)
    if (const auto* q = std::get_if<events::sms_queued>(&e)) return q->message_id;
  return {};
}

// The held texts that are due, one after another: each queued under its
// external id, then recorded as released. A text the log or conversation
// could not take waits for the next try.
void release_due(caf::event_based_actor* self, const holder_ptr& h,
                 std::function<void()> finished) {
  auto now = h->c->options.clock();
  auto due = domain::due_assignment_texts(*h->state, now);
  if (due.empty()) {
    arm_for_held(self, h);
    return finished();
  }
  auto text = due.front();
  auto retry_later = [self, h, finished](const std::string& why) {
    spdlog::warn("contractor {}:{}: a held assignment text waits again: {}", h->tenant, h->id, why);
    arm_timer(self, h, h->c->options.clock() + h->c->options.retry_after);
    finished();
  };
  queue_text(h, text, [self, h, text, finished, retry_later](const command_result& r) {
    std::string message_id;
    if (r) {
      message_id = queued_id(*r);
    } else if (r.error().code != command_errc::rejected) {
      return retry_later(r.error().message);
    }
    auto decided = domain::decide(
        *h->state, domain::release_assignment_text{text.external_id, message_id}, {});
    if (!decided || decided->empty()) return release_due(self, h, finished);
    record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
           [self, h, finished, retry_later](expected<std::uint64_t, dispatch_failure> p) {
             if (!p) return retry_later(p.error().message);
             release_due(self, h, finished);
           });
  });
}

// Register or update: the phone checked and claimed before the write.
void handle_details(caf::event_based_actor* self, const holder_ptr& h, contractor_command_msg& m,
                    const domain::tenant& t) {
  const auto* reg = std::get_if<domain::register_contractor>(&m.command);
  const auto* upd = std::get_if<domain::update_contractor>(&m.command);
  domain::contractor_context ctx{t.region, false};
  std::string claimed;
  if (reg || upd) {
    auto checked = domain::check_contractor_details(reg ? reg->details : upd->details, t.region);
    if (checked && checked->phone != h->state->phone) {
      const auto& phone = checked->phone;
      bool taken_on_read_side =
          h->c->options.phone_taken && h->c->options.phone_taken(h->tenant, phone, h->id);
      ctx.phone_taken = taken_on_read_side || !h->c->phones.claim(h->tenant, phone, h->id);
      if (!ctx.phone_taken) claimed = phone;
    }
  }
  auto unclaim = [h, claimed] {
    if (!claimed.empty()) h->c->phones.release(h->tenant, claimed, h->id);
  };
  auto decided = domain::decide(*h->state, m.command, ctx);
  if (!decided || decided->empty()) {
    unclaim();
    if (!decided) return m.reply(unexpected{failure_of(decided.error())});
    return m.reply(contractor_reply{0, {}, *h->state});
  }
  busy(self, h);
  auto evs = *decided;
  auto old_phone = h->state->phone;
  record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
         [self, h, evs, unclaim, old_phone,
          reply = std::move(m.reply)](expected<std::uint64_t, dispatch_failure> position) {
           self->unbecome();
           if (!position) {
             unclaim();
             return reply(unexpected{std::move(position.error())});
           }
           if (old_phone != h->state->phone) h->c->phones.release(h->tenant, old_phone, h->id);
           arm_for_held(self, h);
           reply(contractor_reply{*position, evs, *h->state});
         });
}

void handle_command(caf::event_based_actor* self, const holder_ptr& h, contractor_command_msg& m) {
  if (!healthy(h))
    return m.reply(unexpected{unavailable("the contractor's history cannot be read")});
  auto t = h->c->tenants.by_id(h->tenant);
  if (!t)
    return m.reply(
        unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
  handle_details(self, h, m, *t);
}

void handle_notify(caf::event_based_actor* self, const holder_ptr& h, contractor_notify_msg& m) {
  if (!healthy(h))
    return m.done(unexpected{unavailable("the contractor's history cannot be read")});
  auto t = h->c->tenants.by_id(h->tenant);
  if (!t || !h->state->registered())
    return m.done(unexpected{dispatch_failure{dispatch_errc::rejected, "not_found", "contractor_id",
                                              "no contractor " + h->id}});
  auto plan = domain::plan_assignment_text(*h->state, m.property, h->c->options.clock(),
                                           domain::find_time_zone(t->timezone));
  using action = domain::assignment_plan::action;
  if (plan.what == action::skip) return m.done(outcome("skipped", plan.reason, 0));
  busy(self, h);
  auto done = std::move(m.done);
  if (plan.what == action::hold) {
    auto decided = domain::decide(*h->state, domain::hold_assignment_text{plan.text}, {});
    if (!decided) {
      self->unbecome();
      return done(unexpected{failure_of(decided.error())});
    }
    auto until = plan.text.release_at;
    record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
           [self, h, until, done](expected<std::uint64_t, dispatch_failure> position) {
             self->unbecome();
             if (!position) return done(unexpected{std::move(position.error())});
             arm_for_held(self, h);
             done(outcome("held", "quiet_hours", *position, std::nullopt, until));
           });
    return;
  }
  queue_text(h, plan.text, [self, done](const command_result& r) {
    self->unbecome();
    if (r) return done(outcome("queued", "", r->position, queued_id(*r)));
    const auto& f = r.error();
    if (f.code == command_errc::rejected) {
      bool opted_out = f.domain_code == domain::conversation_errc::opted_out;
      return done(outcome("skipped", opted_out ? "opted_out" : "rejected", 0));
    }
    done(unexpected{unavailable("the assignment text was not queued: " + f.message)});
  });
}

void on_release(caf::event_based_actor* self, const holder_ptr& h) {
  h->timer_at.reset();
  if (!healthy(h) || !h->state->registered()) return;
  busy(self, h);
  release_due(self, h, [self] { self->unbecome(); });
}

}  // namespace

caf::behavior contractor_actor(caf::event_based_actor* self, core* c, std::string tenant,
                               std::string id) {
  auto h = std::make_shared<contractor_holder>();
  h->c = c;
  h->tenant = std::move(tenant);
  h->id = std::move(id);
  h->stream = domain::contractor_stream(h->tenant, h->id);
  h->handle = caf::actor_cast<caf::actor>(self);
  h->healthy = catch_up(*c, h->stream, *h->state);
  if (h->state->registered()) c->phones.claim(h->tenant, h->state->phone, h->id);
  self->set_default_handler(caf::skip);
  self->attach_functor([h] { h->handle = nullptr; });  // no cycle through the holder
  // Held texts due while the server was down go now; the others on a timer.
  if (!h->state->held.empty()) caf::anon_send(h->handle, release_msg{});
  return {
      [self, h](contractor_command_msg& m) { handle_command(self, h, m); },
      [self, h](contractor_notify_msg& m) { handle_notify(self, h, m); },
      [h](contractor_query_msg& q) { q.done(*h->state); },
      [self, h](release_msg) { on_release(self, h); },
      [](run_msg& r) { r.fn(); },
  };
}

}  // namespace fl::actors::dispatch
