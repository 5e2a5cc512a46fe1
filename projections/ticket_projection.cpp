#include "projections/ticket_projection.hpp"

#include "domain/ticket_session.hpp"
#include "projections/keys.hpp"
#include "projections/ticket_record.hpp"

namespace fl::projections {

namespace {

using P = ticket_projection;

// The ticket `id` as `out` holds it now, with its record's key; nullopt if
// unknown or not `contractor`'s.
std::optional<std::pair<std::string, ticket_record>> find(const write_set& out,
                                                          std::string_view tenant,
                                                          std::string_view contractor,
                                                          std::string_view id) {
  auto where = out.get(P::id_key(tenant, id));
  if (!where || where->size() != 8) return std::nullopt;
  auto key = P::record_key(tenant, storage::keys::read_be64(*where));
  auto bytes = out.get(key);
  if (!bytes) return std::nullopt;
  auto t = decode_ticket(*bytes);
  if (!t || t->contractor_id != contractor) return std::nullopt;
  return std::pair{std::move(key), std::move(*t)};
}

struct ticket_change {
  write_set& out;
  const events::recorded_event& e;
  std::string_view contractor;

  void operator()(const events::ticket_started& s) const {
    auto id_key = P::id_key(e.tenant, s.ticket_id);
    if (out.get(id_key)) return;
    ticket_record t;
    t.contractor_id = std::string(contractor);
    t.ticket = domain::open_ticket{s.ticket_id, s.property_id, s.property_name, e.recorded_at};
    t.position = e.position;
    t.updated_at_us = to_micros(e.recorded_at);
    out.put(P::record_key(e.tenant, e.position), encode(t));
    out.put(std::move(id_key), storage::keys::be64(e.position));
  }
  void operator()(const events::ticket_details_added& d) const {
    change_open(d.ticket_id, [&](ticket_record& t) { domain::add_details(t.ticket, d); });
  }
  void operator()(const events::ticket_completed& c) const {
    change_open(c.ticket_id,
                [&](ticket_record& t) { t.completed_at_us = to_micros(e.recorded_at); });
  }
  // Where the session stands is the conversations' business.
  void operator()(const events::ticket_session_moved&) const {}
  // How a text was read: what it added to a ticket follows as
  // ticket_details_added.
  void operator()(const events::ticket_text_read&) const {}
  template <class Other>
  requires(!events::ticket_event<Other>) void operator()(const Other&) const {}

  // As the session's `evolve`: only an open ticket takes details or closes.
  template <class Change>
  void change_open(std::string_view id, Change change) const {
    auto found = find(out, e.tenant, contractor, id);
    if (!found || found->second.status() != ticket_status::open) return;
    auto& [key, t] = *found;
    change(t);
    t.updated_at_us = to_micros(e.recorded_at);
    out.put(std::move(key), encode(t));
  }
};

}  // namespace

std::string ticket_projection::record_key(std::string_view tenant, std::uint64_t position) {
  return keys::key(tenant, record_tag, ~position);
}

std::string ticket_projection::id_key(std::string_view tenant, std::string_view ticket_id) {
  return keys::key(tenant, id_tag, ticket_id);
}

void ticket_projection::apply(const events::recorded_event& e, write_set& out) {
  if (!keys::is_ticket_session_stream(e.stream)) return;
  auto contractor = keys::party_of(e.stream);
  if (contractor.empty()) return;
  std::visit(ticket_change{out, e, contractor}, e.data);
}

}  // namespace fl::projections
