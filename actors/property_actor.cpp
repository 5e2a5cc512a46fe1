#include "actors/dispatch_core.hpp"
#include "domain/dispatch_streams.hpp"

namespace fl::actors::dispatch {

namespace {

using property_reply = dispatch_reply<domain::property_state>;

struct property_holder {
  core* c = nullptr;
  std::string tenant, id, stream;
  caf::actor handle;
  std::shared_ptr<domain::property_state> state = std::make_shared<domain::property_state>();
  bool healthy = false;
};
using holder_ptr = std::shared_ptr<property_holder>;

void busy(caf::event_based_actor* self, const holder_ptr& h) {
  self->become(
      caf::keep_behavior,
      caf::behavior{[](run_msg& r) { r.fn(); }, [h](property_query_msg& q) { q.done(*h->state); }});
}

void decide_and_record(caf::event_based_actor* self, const holder_ptr& h,
                       const domain::property_command& command, const domain::property_context& ctx,
                       dispatch_reply_fn<domain::property_state> reply) {
  auto decided = domain::decide(*h->state, command, ctx);
  if (!decided || decided->empty()) {
    self->unbecome();
    if (!decided) return reply(unexpected{failure_of(decided.error())});
    return reply(property_reply{0, {}, *h->state});
  }
  auto evs = *decided;
  record(*h->c, h->handle, h->tenant, h->stream, h->state, std::move(*decided),
         [self, h, evs, reply = std::move(reply)](expected<std::uint64_t, dispatch_failure> p) {
           self->unbecome();
           if (!p) return reply(unexpected{std::move(p.error())});
           reply(property_reply{*p, evs, *h->state});
         });
}

void handle_command(caf::event_based_actor* self, const holder_ptr& h, property_command_msg& m) {
  if (!h->healthy && !(h->healthy = catch_up(*h->c, h->stream, *h->state)))
    return m.reply(unexpected{unavailable("the property's history cannot be read")});
  if (!h->c->tenants.by_id(h->tenant))
    return m.reply(
        unexpected{dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
  busy(self, h);
  const auto* assign = std::get_if<domain::assign_contractor>(&m.command);
  if (!assign || !h->state->registered() || !domain::is_valid_entity_id(assign->contractor_id))
    return decide_and_record(self, h, m.command, {}, std::move(m.reply));
  // Whether the contractor is registered is its actor's to say.
  auto command = m.command;
  auto reply = std::move(m.reply);
  h->c->send_contractor(
      h->tenant, assign->contractor_id,
      contractor_query_msg{[self, h, command, reply](domain::contractor_state contractor) {
        post(h->handle, [self, h, command, reply, known = contractor.registered()] {
          decide_and_record(self, h, command, domain::property_context{known}, reply);
        });
      }});
}

}  // namespace

caf::behavior property_actor(caf::event_based_actor* self, core* c, std::string tenant,
                             std::string id) {
  auto h = std::make_shared<property_holder>();
  h->c = c;
  h->tenant = std::move(tenant);
  h->id = std::move(id);
  h->stream = domain::property_stream(h->tenant, h->id);
  h->handle = caf::actor_cast<caf::actor>(self);
  h->healthy = catch_up(*c, h->stream, *h->state);
  self->set_default_handler(caf::skip);
  self->attach_functor([h] { h->handle = nullptr; });
  return {
      [self, h](property_command_msg& m) { handle_command(self, h, m); },
      [h](property_query_msg& q) { q.done(*h->state); },
      [](run_msg& r) { r.fn(); },
  };
}

}  // namespace fl::actors::dispatch
