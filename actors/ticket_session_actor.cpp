#include <algorithm>

#include "actors/actor_key.hpp"
#include "actors/ticket_core.hpp"
#include "base/random_id.hpp"
#include "domain/local_calendar.hpp"

namespace fl::actors::tickets {

namespace {

void post(const caf::actor& target, std::function<void()> fn) {
  caf::anon_send(target, run_msg{std::move(fn)});
}

ticket_failure unavailable(std::string message) {
  return {ticket_errc::unavailable, std::move(message)};
}

/// Folds the stream's events after the memory's version.
bool catch_up(core& c, const std::string& stream, domain::ticket_session_memory& memory) {
  auto stored = c.store.read_stream(stream, memory.session.version + 1);
  if (!stored) return false;
  for (const auto& r : *stored) domain::remember(memory, r.data, r.recorded_at);
  return true;
}

/// The session's own state of one text: everything the steps after the
/// interpreter need, kept alive across the asynchronous steps.
struct text_in_progress {
  caf::event_based_actor* self;
  caf::actor handle;
  core* c;
  std::string tenant;
  std::string contractor_id;
  std::string stream;
  std::shared_ptr<domain::ticket_session_memory> memory;
  contractor_text text;
  std::function<void(ticket_text_result)> reply;
  domain::tenant_directory::tenant_ptr tenant_record;  // set by `read`
  std::vector<domain::property_ref> assigned;          // set by `read`

  void finish(ticket_text_result r) {
    self->unbecome();
    reply(std::move(r));
  }

  /// Queues `replies[i...]` one after the other in the contractor's
  /// conversation, then answers with the highest position written.
  void queue_replies(std::shared_ptr<text_in_progress> me, std::vector<std::string> replies,
                     std::size_t i, std::uint64_t position, bool duplicate) {
    if (i == replies.size()) {
      return finish(ticket_text_reply{position, duplicate,
                                      std::string(domain::to_string(memory->session.stage)),
                                      std::move(replies)});
    }
    domain::send_sms send;
    send.body = replies[i];
    send.trigger = "reply";
    send.contractor_id = contractor_id;
    send.external_id = "ticket-reply:" + text.message_sid + ":" + std::to_string(i);
    c->conversations.submit(
        conversation_key(tenant, text.phone), std::move(send),
        [me, replies = std::move(replies), i, position, duplicate](command_result r) mutable {
          post(me->handle, [me, replies = std::move(replies), i, position, duplicate,
                            r = std::move(r)]() mutable {
            if (!r && r.error().code != command_errc::rejected)
              return me->finish(
                  unexpected{unavailable("the reply could not be queued: " + r.error().message)});
            // A rejected reply (the contractor opted out) is simply not sent.
            auto at = r ? std::max(position, r->position) : position;
            me->queue_replies(me, std::move(replies), i + 1, at, duplicate);
          });
        });
  }

  /// Reads the text with what the interpreter may know of the session.
  void read(std::shared_ptr<text_in_progress> me) {
    tenant_record = c->tenants.by_id(tenant);
    if (!tenant_record)
      return finish(unexpected{ticket_failure{ticket_errc::unknown_tenant, "no such tenant"}});
    auto found = c->options.properties(tenant, contractor_id);
    if (!found)
      return finish(
          unexpected{unavailable("the contractor's properties cannot be read: " + found.error())});
    assigned = std::move(*found);
    domain::interpret_context context;
    for (const auto& p : assigned) context.property_names.push_back(p.name);
    context.awaiting_property_choice =
        memory->session.stage == domain::session_stage::awaiting_start_confirmation;
    c->options.interpreter->interpret_async(
        text.body, std::move(context), [me](domain::interpreter_result reading) {
          post(me->handle, [me, reading = std::move(reading)]() mutable {
            me->decide_and_record(me, std::move(reading));
          });
        });
  }

  void decide_and_record(std::shared_ptr<text_in_progress> me, domain::interpreter_result reading) {
    auto now = c->options.clock();
    const auto* zone = domain::find_time_zone(tenant_record->timezone);
    domain::ticket_session_context ctx;
    ctx.now = now;
    ctx.zone = zone;
    ctx.assigned = std::move(assigned);
    ctx.todays_tickets = domain::todays_tickets(*memory, now, zone);
    ctx.new_ticket_id = [] { return random_id("tkt_"); };
    auto decision =
        domain::decide(memory->session,
                       domain::contractor_text{text.message_sid, text.body, reading.reading}, ctx);
    std::vector<events::event> evs;
    auto read = domain::text_read(text.message_sid, reading.reading,
                                  std::move(reading.fallback_reason), decision.replies);
    read.model = std::move(reading.model);
    read.attempts = reading.attempts;
    evs.emplace_back(std::move(read));
    for (auto& e : decision.events)
      std::visit([&](auto& alternative) { evs.emplace_back(std::move(alternative)); }, e);

    storage::append_request request;
    request.tenant = tenant;
    request.stream = stream;
    request.expected = storage::expected_version::exactly(memory->session.version);
    request.events = evs;
    // The store keeps external ids for good: a retry after the memory's
    // last 64 texts is still recognised.
    request.external_id = "ticket-text:" + text.message_sid;
    c->store.append_async(
        std::move(request),
        [me, evs = std::move(evs), now, replies = decision.replies](storage::append_outcome o) {
          post(me->handle, [me, evs, now, replies, o = std::move(o)] {
            me->on_appended(me, o, evs, now, replies);
          });
        });
  }

  void on_appended(std::shared_ptr<text_in_progress> me, const storage::append_outcome& o,
                   const std::vector<events::event>& evs, fl::timestamp now,
                   std::vector<std::string> replies) {
    if (!o) {
      catch_up(*c, stream, *memory);
      return finish(unexpected{unavailable("the log refused the write: " + o.error().message)});
    }
    if (o->duplicate) {
      // Another writer recorded this text (only after a bug, or a second
      // server): take its events, and queue the replies it recorded.
      if (!catch_up(*c, stream, *memory))
        return finish(unexpected{unavailable("the session's history cannot be read")});
      const auto* seen = domain::find_text(*memory, text.message_sid);
      return queue_replies(me, seen ? seen->replies : std::vector<std::string>{}, 0, 0, true);
    }
    for (const auto& e : evs) domain::remember(*memory, e, now);
    queue_replies(me, std::move(replies), 0, o->last_position, false);
  }
};

}  // namespace

caf::behavior session_actor(caf::event_based_actor* self, core* c, std::string tenant,
                            std::string contractor_id) {
  auto memory = std::make_shared<domain::ticket_session_memory>();
  auto stream = actor_key{actor_kind::ticket_session, tenant, contractor_id}.stream();
  auto healthy = std::make_shared<bool>(catch_up(*c, stream, *memory));
  auto handle = caf::actor_cast<caf::actor>(self);
  self->set_default_handler(caf::skip);
  return {
      [=](text_msg& m) {
        if (!*healthy && !(*healthy = catch_up(*c, stream, *memory))) {
          m.reply(unexpected{unavailable("the session's history cannot be read")});
          return;
        }
        auto me = std::make_shared<text_in_progress>(
            text_in_progress{self, handle, c, tenant, contractor_id, stream, memory,
                             std::move(m.text), std::move(m.reply)});
        // One text at a time: the next waits until this one is answered.
        self->become(caf::keep_behavior, caf::behavior{[](run_msg& r) { r.fn(); },
                                                       [=](query_msg& q) { q.done(*memory); }});
        if (const auto* seen = domain::find_text(*memory, me->text.message_sid))
          return me->queue_replies(me, seen->replies, 0, 0, true);
        me->read(me);
      },
      [=](query_msg& q) { q.done(*memory); },
      [](run_msg& r) { r.fn(); },
  };
}

}  // namespace fl::actors::tickets
