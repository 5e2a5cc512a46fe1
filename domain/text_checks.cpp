#include "domain/text_checks.hpp"

#include <algorithm>

#include "base/utf8.hpp"

namespace fl::domain {

std::string_view trim_whitespace(std::string_view s) {
  constexpr std::string_view blanks = " \t\r\n\f\v";
  auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

text_fault check_text(std::string_view text, std::size_t max_code_points, bool allow_newlines) {
  if (!fl::is_valid_utf8(text)) return text_fault::not_utf8;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool newline = c == '\n' || c == '\r';
    if ((u < 0x20 && !(allow_newlines && newline)) || u == 0x7f)
      return text_fault::control_character;
  }
  auto length = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(length) > max_code_points) return text_fault::too_long;
  return text_fault::none;
}

}  // namespace fl::domain
