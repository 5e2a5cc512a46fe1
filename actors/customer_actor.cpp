#include "actors/dispatch_core.hpp"
#include "domain/dispatch_streams.hpp"

namespace fl::actors::dispatch {

namespace {

domain::customer_context context_of(core& c, const std::string& tenant, const domain::tenant& t,
                                    const domain::customer_command& command) {
  domain::customer_context ctx{t.region, false};
  const auto& details = std::visit(
      [](const auto& cmd) -> const domain::person_details& { return cmd.details; }, command);
  if (auto checked = domain::check_person_details(details, t.region)) {
    const auto& phone = checked->phone;
    ctx.phone_is_contractors =
        c.phones.held(tenant, phone) ||
        (c.options.contractor_phone && c.options.contractor_phone(tenant, phone));
  }
  return ctx;
}

}  // namespace

caf::behavior customer_actor(caf::event_based_actor* self, core* c, std::string tenant,
                             std::string id) {
  auto state = std::make_shared<domain::customer_state>();
  auto stream = domain::customer_stream(tenant, id);
  auto healthy = std::make_shared<bool>(catch_up(*c, stream, *state));
  auto handle = caf::actor_cast<caf::actor>(self);
  self->set_default_handler(caf::skip);
  return {
      [=](customer_command_msg& m) {
        if (!*healthy && !(*healthy = catch_up(*c, stream, *state))) {
          m.reply(unexpected{unavailable("the customer's history cannot be read")});
          return;
        }
        auto t = c->tenants.by_id(tenant);
        if (!t) {
          m.reply(unexpected{
              dispatch_failure{dispatch_errc::unknown_tenant, "", "", "no such tenant"}});
          return;
        }
        auto decided = domain::decide(*state, m.command, context_of(*c, tenant, *t, m.command));
        if (!decided) {
          m.reply(unexpected{failure_of(decided.error())});
          return;
        }
        if (decided->empty()) {
          m.reply(dispatch_reply<domain::customer_state>{0, {}, *state});
          return;
        }
        // One command at a time: the next waits until this one is durable.
        self->become(caf::keep_behavior,
                     caf::behavior{[](run_msg& r) { r.fn(); },
                                   [=](customer_query_msg& q) { q.done(*state); }});
        auto evs = *decided;
        record(*c, handle, tenant, stream, state, std::move(*decided),
               [self, state, evs,
                reply = std::move(m.reply)](expected<std::uint64_t, dispatch_failure> position) {
                 self->unbecome();
                 if (!position) return reply(unexpected{std::move(position.error())});
                 reply(dispatch_reply<domain::customer_state>{*position, evs, *state});
               });
      },
      [=](customer_query_msg& q) { q.done(*state); },
      [](run_msg& r) { r.fn(); },
      // Idle (the busy behaviour leaves it in the mailbox): nothing in flight.
      [=](passivate_msg& m) { passivate(self, *c, 'c', tenant, id, m); },
  };
}

}  // namespace fl::actors::dispatch
