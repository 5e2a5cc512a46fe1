#pragma once

// Key layout of the store's column families (see docs/event-log.md).

#include <cstdint>
#include <string>
#include <string_view>

namespace fl::storage::keys {

/// Big-endian so that byte order is numeric order.
inline std::string be64(std::uint64_t n) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xff);
    n >>= 8;
  }
  return out;
}

inline std::uint64_t read_be64(std::string_view bytes) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i)
    n = n << 8 | static_cast<unsigned char>(bytes[i]);
  return n;
}

/// `name` NUL `suffix`: names never contain NUL (checked at append).
inline std::string scoped(std::string_view name, std::uint64_t n) {
  std::string out;
  out.reserve(name.size() + 9);
  out.append(name);
  out.push_back('\0');
  out.append(be64(n));
  return out;
}

inline std::string prefix(std::string_view name) {
  std::string out(name);
  out.push_back('\0');
  return out;
}

inline std::string external_id(std::string_view tenant, std::string_view id) {
  std::string out;
  out.reserve(tenant.size() + id.size() + 1);
  out.append(tenant);
  out.push_back('\0');
  out.append(id);
  return out;
}

inline constexpr std::string_view format_key = "format";
inline constexpr std::string_view head_key = "head";
/// The on-disk format this build writes and reads.
inline constexpr int format_version = 1;

}  // namespace fl::storage::keys
