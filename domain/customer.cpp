#include "domain/customer.hpp"

#include "domain/dispatch_streams.hpp"

namespace fl::domain {

namespace {

using decision = expected<std::vector<events::event>, directory_error>;

bool same_details(const customer_state& s, const person_details& d) {
  return s.first_name == d.first_name && s.last_name == d.last_name && s.phone == d.phone &&
         s.address == d.address;
}

decision contractors_phone(const std::string& phone) {
  return unexpected{directory_error{directory_errc::phone_taken, "phone",
                                    phone + " is a contractor's of this company"}};
}

decision decide_register(const customer_state& s, const register_customer& cmd,
                         const customer_context& ctx) {
  if (!is_valid_entity_id(cmd.id))
    return unexpected{directory_error{directory_errc::invalid_id, "id",
                                      "a customer id is 1..64 of A-Z a-z 0-9 _ -"}};
  auto details = check_person_details(cmd.details, ctx.region);
  if (!details) return unexpected{details.error()};
  if (s.registered()) {
    if (s.id == cmd.id && same_details(s, *details)) return std::vector<events::event>{};
    return unexpected{directory_error{directory_errc::already_registered, "id",
                                      "customer " + cmd.id + " exists already"}};
  }
  if (ctx.phone_is_contractors) return contractors_phone(details->phone);
  events::customer_registered e{cmd.id, details->first_name, details->last_name, details->phone,
                                details->address};
  return std::vector<events::event>{std::move(e)};
}

decision decide_update(const customer_state& s, const update_customer& cmd,
                       const customer_context& ctx) {
  if (!s.registered())
    return unexpected{directory_error{directory_errc::not_registered, "", "no such customer"}};
  auto details = check_person_details(cmd.details, ctx.region);
  if (!details) return unexpected{details.error()};
  if (same_details(s, *details)) return std::vector<events::event>{};
  if (details->phone != s.phone && ctx.phone_is_contractors)
    return contractors_phone(details->phone);
  events::customer_updated e{details->first_name, details->last_name, details->phone,
                             details->address};
  return std::vector<events::event>{std::move(e)};
}

}  // namespace

decision decide(const customer_state& state, const customer_command& command,
                const customer_context& context) {
  return std::visit(
      events::overloaded{
          [&](const register_customer& c) { return decide_register(state, c, context); },
          [&](const update_customer& c) { return decide_update(state, c, context); },
      },
      command);
}

void evolve(customer_state& state, const events::event& event) {
  if (const auto* e = std::get_if<events::customer_registered>(&event)) {
    state.id = e->customer_id;
    state.first_name = e->first_name;
    state.last_name = e->last_name;
    state.phone = e->phone;
    state.address = e->address;
  } else if (const auto* u = std::get_if<events::customer_updated>(&event)) {
    state.first_name = u->first_name;
    state.last_name = u->last_name;
    state.phone = u->phone;
    state.address = u->address;
  }
  ++state.version;
}

}  // namespace fl::domain
