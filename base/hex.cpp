#include "base/hex.hpp"

#include <array>
#include <cstdint>

namespace fl {

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0f];
  }
  return out;
}

namespace {

// A digit's value, or -1: looked up, because every replayed event decodes
// two 64-digit hashes.
constexpr std::array<std::int8_t, 256> digit_values = [] {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<std::int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<std::int8_t>(c - 'A' + 10);
  return table;
}();

}  // namespace

int hex_digit_value(char c) {
  return digit_values[static_cast<unsigned char>(c)];
}

bool from_hex_into(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != 2 * out.size()) return false;
  int invalid = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = digit_values[static_cast<unsigned char>(hex[2 * i])];
    int lo = digit_values[static_cast<unsigned char>(hex[2 * i + 1])];
    invalid |= hi | lo;  // negative if either was not a digit
    out[i] = static_cast<std::uint8_t>((hi & 0xf) << 4 | (lo & 0xf));
  }
  return invalid >= 0;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  if (!from_hex_into(hex, out)) return std::nullopt;
  return out;
}

}  // namespace fl
