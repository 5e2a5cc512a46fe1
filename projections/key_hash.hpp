#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace fl::projections {

/// A fast 64-bit hash of short keys (wyhash's multiply-and-fold), eight bytes
/// a step: the projections' lookups of keys they built themselves (tenant
/// ids, tags, positions, ids, phone numbers). Unseeded, like std::hash.
inline std::uint64_t hash_key(std::string_view s) {
  __extension__ typedef unsigned __int128 u128;
  auto mix = [](std::uint64_t a, std::uint64_t b) {
    u128 r = static_cast<u128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
  };
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = k0 ^ n;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(w ^ k1, h ^ k0);
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(w ^ k1, h ^ k0 ^ n);
  }
  return mix(h ^ k1, k0 ^ s.size());
}

}  // namespace fl::projections
