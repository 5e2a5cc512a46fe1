#pragma once

#include <cstddef>
#include <string_view>

namespace fl {

/// The UTF-8 sequence starting at `s[i]`: its length if `valid`; otherwise the
/// length of the maximal prefix of a valid sequence found there (at least one
/// byte), which a decoder replaces by one U+FFFD (Unicode's "substitution of
/// maximal subparts", as nlohmann::json's dump does).
struct utf8_scan {
  std::size_t length;
  bool valid;
};
utf8_scan scan_utf8(std::string_view s, std::size_t i);

/// True if `bytes` is well-formed UTF-8 (no overlongs, surrogates, or code
/// points above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace fl
