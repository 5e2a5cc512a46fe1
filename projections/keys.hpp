#pragma once

// Key building shared by the projections: `<tenant>` NUL `<tag>` `<rest>`.
// The tag is one letter naming the kind of key inside a projection.

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/keys.hpp"

namespace fl::projections::keys {

/// The key written into `out` (a buffer reused from key to key).
inline std::string_view key_into(std::string& out, std::string_view tenant, char tag,
                                 std::string_view rest = {}) {
  out.assign(tenant);
  out.push_back('\0');
  out.push_back(tag);
  out.append(rest);
  return out;
}

inline std::string key(std::string_view tenant, char tag, std::string_view rest = {}) {
  std::string k;
  k.reserve(tenant.size() + 2 + rest.size());
  key_into(k, tenant, tag, rest);
  return k;
}

inline std::string key(std::string_view tenant, char tag, std::uint64_t n) {
  return key(tenant, tag, storage::keys::be64(n));
}

/// The tag of a key built by `key` (the byte after the tenant's NUL), or
/// NUL when it has none.
inline char tag_of(std::string_view key) {
  auto nul = key.find('\0');
  return nul == std::string_view::npos || nul + 1 >= key.size() ? '\0' : key[nul + 1];
}

/// The party of a conversation stream (`conversation:<tenant>:<phone>` →
/// phone) or of a ticket session's (`ticket-session:<tenant>:<contractor>` →
/// contractor id).
inline std::string_view party_of(std::string_view stream) {
  auto colon = stream.rfind(':');
  return colon == std::string_view::npos ? std::string_view{} : stream.substr(colon + 1);
}

inline bool is_conversation_stream(std::string_view stream) {
  return stream.starts_with("conversation:");
}

inline bool is_ticket_session_stream(std::string_view stream) {
  return stream.starts_with("ticket-session:");
}

}  // namespace fl::projections::keys
