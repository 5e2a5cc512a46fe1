#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fl {

/// The value of one hexadecimal digit (either case), or -1.
int hex_digit_value(char c);

/// Lowercase hexadecimal of `bytes`.
std::string to_hex(std::span<const std::uint8_t> bytes);

/// Decodes exactly `out.size()` bytes of hexadecimal (either case) into
/// `out`, allocating nothing; false if `hex` is not that.
bool from_hex_into(std::string_view hex, std::span<std::uint8_t> out);

/// The bytes of a hexadecimal string (either case); nullopt if it is not one.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace fl
