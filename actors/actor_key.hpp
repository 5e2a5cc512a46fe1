#pragma once

#include <cstdint>
#include <string>

namespace fl::actors {

/// Which kind of state machine an actor runs.
enum class actor_kind : std::uint8_t {
  conversation,    // a customer's (or unknown party's) texts with one tenant
  ticket_session,  // a contractor's ticket session with one tenant
};

/// What an actor is the single owner of: one stream of one tenant.
struct actor_key {
  actor_kind kind = actor_kind::conversation;
  std::string tenant;
  std::string party;  // E.164 phone for a conversation, contractor id for a session

  /// The event stream the actor owns.
  std::string stream() const {
    return (kind == actor_kind::conversation ? "conversation:" : "ticket-session:") + tenant + ":" +
           party;
  }
  friend bool operator==(const actor_key&, const actor_key&) = default;
};

/// The key's compact form, for maps: kind, tenant, NUL, party.
inline std::string registry_key(const actor_key& key) {
  std::string out;
  out.reserve(key.tenant.size() + key.party.size() + 2);
  out += static_cast<char>('0' + static_cast<int>(key.kind));
  out += key.tenant;
  out += '\0';
  out += key.party;
  return out;
}

inline actor_key conversation_key(std::string tenant, std::string phone) {
  return {actor_kind::conversation, std::move(tenant), std::move(phone)};
}

}  // namespace fl::actors
