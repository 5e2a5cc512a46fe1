#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace fl::projections {

/// The 128-bit product of `a` and `b`, its halves xor-ed: wyhash's mixing step.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
  __extension__ typedef unsigned __int128 u128;
  const u128 r = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

/// A fast 64-bit hash of short keys (wyhash's multiply-and-fold, sixteen
/// bytes a multiply): the projections' lookups of keys they built themselves
/// (tenant ids, tags, positions, ids, phone numbers). Unseeded, like std::hash.
inline std::uint64_t hash_key(std::string_view s) {
  auto read8 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto read4 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return static_cast<std::uint64_t>(v);
  };
  constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull,
                          k2 = 0x8ebc6af09c88c6e3ull;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = k0 ^ n, a = 0, b = 0;
  if (n <= 16) {
    if (n >= 4) {
      // Two overlapping reads from each end cover 4 to 16 bytes.
      const std::size_t shift = (n >> 3) << 2;
      a = read4(p) << 32 | read4(p + shift);
      b = read4(p + n - 4) << 32 | read4(p + n - 4 - shift);
    } else if (n > 0) {
      a = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8 |
          static_cast<unsigned char>(p[n - 1]);
    }
  } else {
    for (; n > 16; p += 16, n -= 16) h = fold_multiply(read8(p) ^ k1, read8(p + 8) ^ h);
    // The last sixteen bytes (overlapping what was mixed in already).
    a = read8(p + n - 16);
    b = read8(p + n - 8);
  }
  return fold_multiply(k1 ^ s.size(), fold_multiply(a ^ k1, b ^ h) ^ k2);
}

/// A hash of a log position: positions come in sequence, and the multiply
/// spreads neighbours over a table.
inline std::uint64_t hash_position(std::uint64_t position) {
  return fold_multiply(position, 0x9e3779b97f4a7c15ull);
}

}  // namespace fl::projections
