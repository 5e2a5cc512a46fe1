#include "domain/property.hpp"

#include <algorithm>

#include "domain/contractor.hpp"
#include "domain/dispatch_streams.hpp"
#include "domain/person_details.hpp"

namespace fl::domain {

namespace {

using decision = expected<std::vector<events::event>, directory_error>;

unexpected<directory_error> fail(directory_errc code, std::string field, std::string message) {
  return unexpected{directory_error{code, std::move(field), std::move(message)}};
}

decision decide_register(const property_state& s, const register_property& cmd) {
  if (!is_valid_entity_id(cmd.id))
    return fail(directory_errc::invalid_id, "id", "a property id is 1..64 of A-Z a-z 0-9 _ -");
  auto name =
      check_directory_text(cmd.details.name, "name", max_contractor_name_code_points, false);
  if (!name) return unexpected{name.error()};
  if (name->empty()) return fail(directory_errc::blank_name, "name", "name is empty");
  auto address =
      check_directory_text(cmd.details.address, "address", max_address_code_points, true);
  if (!address) return unexpected{address.error()};
  if (address->empty()) return fail(directory_errc::invalid_text, "address", "address is empty");
  if (s.registered()) {
    if (s.id == cmd.id && s.name == *name && s.address == *address)
      return std::vector<events::event>{};
    return fail(directory_errc::already_registered, "id", "property " + cmd.id + " exists");
  }
  return std::vector<events::event>{events::property_registered{cmd.id, *name, *address}};
}

decision decide_assign(const property_state& s, const assign_contractor& cmd,
                       const property_context& ctx) {
  if (!s.registered()) return fail(directory_errc::not_registered, "", "no such property");
  if (!is_valid_entity_id(cmd.contractor_id))
    return fail(directory_errc::invalid_id, "contractor_id",
                "a contractor id is 1..64 of A-Z a-z 0-9 _ -");
  if (!ctx.contractor_registered)
    return fail(directory_errc::not_registered, "contractor_id",
                "no contractor " + cmd.contractor_id);
  if (s.has_contractor(cmd.contractor_id)) return std::vector<events::event>{};
  return std::vector<events::event>{events::contractor_assigned{s.id, cmd.contractor_id}};
}

decision decide_unassign(const property_state& s, const unassign_contractor& cmd) {
  if (!s.registered()) return fail(directory_errc::not_registered, "", "no such property");
  if (!is_valid_entity_id(cmd.contractor_id))
    return fail(directory_errc::invalid_id, "contractor_id",
                "a contractor id is 1..64 of A-Z a-z 0-9 _ -");
  if (!s.has_contractor(cmd.contractor_id)) return std::vector<events::event>{};
  return std::vector<events::event>{events::contractor_unassigned{s.id, cmd.contractor_id}};
}

}  // namespace

bool property_state::has_contractor(std::string_view contractor_id) const {
  return std::find(contractor_ids.begin(), contractor_ids.end(), contractor_id) !=
         contractor_ids.end();
}

decision decide(const property_state& state, const property_command& command,
                const property_context& context) {
  return std::visit(
      events::overloaded{
          [&](const register_property& c) { return decide_register(state, c); },
          [&](const assign_contractor& c) { return decide_assign(state, c, context); },
          [&](const unassign_contractor& c) { return decide_unassign(state, c); },
      },
      command);
}

void evolve(property_state& state, const events::event& event) {
  if (const auto* r = std::get_if<events::property_registered>(&event)) {
    state.id = r->property_id;
    state.name = r->name;
    state.address = r->address;
  } else if (const auto* a = std::get_if<events::contractor_assigned>(&event)) {
    if (!state.has_contractor(a->contractor_id)) state.contractor_ids.push_back(a->contractor_id);
  } else if (const auto* u = std::get_if<events::contractor_unassigned>(&event)) {
    std::erase(state.contractor_ids, u->contractor_id);
  }
  ++state.version;
}

}  // namespace fl::domain
