#include "base/utf8.hpp"

namespace fl {

utf8_scan scan_utf8(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {1, true};
  std::size_t trailing = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the next byte
  if (c >= 0xC2 && c <= 0xDF) {
    trailing = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    trailing = 2;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    trailing = 3;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {1, false};
  }
  for (std::size_t n = 1; n <= trailing; ++n) {
    if (i + n >= s.size()) return {n, false};
    auto b = static_cast<unsigned char>(s[i + n]);
    if (b < lo || b > hi) return {n, false};
    lo = 0x80;
    hi = 0xBF;
  }
  return {trailing + 1, true};
}

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    utf8_scan seq = scan_utf8(bytes, i);
    if (!seq.valid) return false;
    i += seq.length;
  }
  return true;
}

}  // namespace fl
