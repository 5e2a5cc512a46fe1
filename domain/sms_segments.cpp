#include "domain/sms_segments.hpp"

#include <array>
#include <optional>
#include <ranges>
#include <vector>

namespace fl::domain {

std::string_view to_string(sms_encoding e) {
  return e == sms_encoding::gsm7 ? "gsm7" : "ucs2";
}

namespace {

// Decodes UTF-8 into code points; an invalid byte becomes U+FFFD.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) ok = false;
      cp = cp << 6 | (b & 0x3F);
    }
    if (!ok) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

// GSM 03.38 default alphabet, as Unicode (the escape position excluded).
constexpr std::u32string_view gsm_basic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

// The extension table: each costs an escape septet plus its own.
constexpr std::u32string_view gsm_extension = U"\f^{}\\[~]|€";

// The septets of ASCII characters, looked up rather than searched for:
// most texts are ASCII, and projections count every inbound one.
constexpr std::array<unsigned char, 128> ascii_septets = [] {
  std::array<unsigned char, 128> table{};
  for (char32_t cp : gsm_basic)
    if (cp < 128) table[cp] = 1;
  for (char32_t cp : gsm_extension)
    if (cp < 128) table[cp] = 2;
  return table;
}();

// Septets of a character in GSM-7, or 0 if it has none.
unsigned gsm_septets(char32_t cp) {
  if (cp < 128) return ascii_septets[cp];
  if (gsm_basic.find(cp) != std::u32string_view::npos) return 1;
  if (gsm_extension.find(cp) != std::u32string_view::npos) return 2;
  return 0;
}

// Parts needed when units of `sizes` (a range of unsigned) are packed
// `per_part` at a time without splitting one character's units.
template <class Sizes>
std::uint32_t pack(const Sizes& sizes, std::uint32_t single, std::uint32_t per_part) {
  std::uint32_t total = 0;
  for (auto s : sizes) total += s;
  if (total <= single) return 1;
  std::uint32_t parts = 1, used = 0;
  for (auto s : sizes) {
    if (used + s > per_part) {
      ++parts;
      used = 0;
    }
    used += s;
  }
  return parts;
}

// Most texts are ASCII (and a rebuild counts every inbound one): counted
// from their bytes, without decoding them or building lists. Nothing when a
// byte is not ASCII.
std::optional<segment_count> count_ascii(std::string_view text) {
  bool gsm = true;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return std::nullopt;
    gsm = gsm && ascii_septets[c] != 0;
  }
  segment_count out;
  if (gsm) {
    auto septets = text | std::views::transform([](char c) -> unsigned {
                     return ascii_septets[static_cast<unsigned char>(c)];
                   });
    out.encoding = sms_encoding::gsm7;
    for (auto n : septets) out.units += n;
    out.segments = pack(septets, 160, 153);
  } else {
    auto units = text | std::views::transform([](char) { return 1u; });
    out.encoding = sms_encoding::ucs2;
    out.units = static_cast<std::uint32_t>(text.size());
    out.segments = pack(units, 70, 67);
  }
  return out;
}

}  // namespace

segment_count count_segments(std::string_view utf8_text) {
  if (auto ascii = count_ascii(utf8_text)) return *ascii;
  auto cps = code_points(utf8_text);
  std::vector<unsigned> sizes;
  sizes.reserve(cps.size());
  bool gsm = true;
  for (char32_t cp : cps) {
    unsigned septets = gsm_septets(cp);
    if (septets == 0) {
      gsm = false;
      break;
    }
    sizes.push_back(septets);
  }
  segment_count out;
  if (gsm) {
    out.encoding = sms_encoding::gsm7;
    for (auto s : sizes) out.units += s;
    out.segments = pack(sizes, 160, 153);
    return out;
  }
  sizes.clear();
  for (char32_t cp : cps) sizes.push_back(cp > 0xFFFF ? 2 : 1);
  out.encoding = sms_encoding::ucs2;
  for (auto s : sizes) out.units += s;
  out.segments = pack(sizes, 70, 67);
  return out;
}

}  // namespace fl::domain
