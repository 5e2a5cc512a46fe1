#include "domain/crew_text_tokens.hpp"

namespace fl::domain {

namespace {

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes
// there are not one (overlong forms and surrogates included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  unsigned cp = 0;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n;
}

double digits_value(std::string_view s) {
  double v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::vector<crew_token> tokenize_crew_text(std::string_view text) {
  std::vector<crew_token> out;
  bool attached = false;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto push = [&](crew_token t) {
    t.attached = attached && !out.empty();
    attached = true;
    out.push_back(std::move(t));
  };
  while (i < n) {
    char c = text[i];
    auto uc = static_cast<unsigned char>(c);
    if (c == '\n') {
      crew_token t{token_kind::punct, "\n"};
      t.begin = i;
      t.end = i + 1;
      push(std::move(t));
      attached = false;
      ++i;
    } else if (uc <= 0x20 || uc == 0x7F) {
      attached = false;
      ++i;
    } else if (is_letter(c)) {
      crew_token t{token_kind::word};
      t.begin = i;
      while (i < n) {
        if (is_letter(text[i])) {
          t.text.push_back(lower(text[i]));
          ++i;
        } else if (text[i] == '\'' && i + 1 < n && is_letter(text[i + 1])) {
          ++i;
        } else if (text.substr(i, 3) == "\xE2\x80\x99" && i + 3 < n && is_letter(text[i + 3])) {
          i += 3;  // a typographic apostrophe
        } else {
          break;
        }
      }
      if (t.text == "cacl" && i < n && text[i] == '2') ++i;
      if (t.text == "w" && i < n && text[i] == '/') {
        t.text = "with";
        ++i;
      }
      t.end = i;
      push(std::move(t));
    } else if (is_digit(c) ||
               (c == '.' && i + 1 < n && is_digit(text[i + 1]) &&
                (out.empty() || !attached || out.back().kind != token_kind::number))) {
      crew_token t{token_kind::number};
      t.begin = i;
      std::size_t s = i;
      while (i < n && is_digit(text[i])) ++i;
      std::string_view whole = text.substr(s, i - s);
      if (whole.size() <= 2 && i + 2 < n && text[i] == ':' && is_digit(text[i + 1]) &&
          is_digit(text[i + 2]) && (i + 3 >= n || !is_digit(text[i + 3]))) {
        t.kind = token_kind::clock;
        t.value = digits_value(whole);
        t.minute = static_cast<int>(digits_value(text.substr(i + 1, 2)));
        i += 3;
      } else if (!whole.empty() && whole.size() <= 2 && i + 1 < n && text[i] == '/' &&
                 is_digit(text[i + 1]) && (i + 2 >= n || !is_digit(text[i + 2])) &&
                 digits_value(whole) < digits_value(text.substr(i + 1, 1)) &&
                 (text[i + 1] == '2' || text[i + 1] == '3' || text[i + 1] == '4' ||
                  text[i + 1] == '8')) {
        t.value = digits_value(whole) / digits_value(text.substr(i + 1, 1));
        t.fraction = true;
        i += 2;
      } else {
        double v = digits_value(whole);
        if (i + 1 < n && text[i] == '.' && is_digit(text[i + 1])) {
          ++i;
          double scale = 0.1;
          while (i < n && is_digit(text[i])) {
            v += scale * (text[i] - '0');
            scale /= 10;
            ++i;
          }
        }
        t.value = v;
      }
      t.end = i;
      t.text = std::string(text.substr(t.begin, t.end - t.begin));
      push(std::move(t));
    } else if (uc >= 0x80) {
      std::size_t len = utf8_length(text, i);
      if (len == 0) {
        attached = false;
        ++i;
        continue;
      }
      if (!out.empty() && attached && out.back().kind == token_kind::symbol) {
        out.back().end = i + len;
        out.back().text.append(text.substr(i, len));
      } else {
        crew_token t{token_kind::symbol, std::string(text.substr(i, len))};
        t.begin = i;
        t.end = i + len;
        push(std::move(t));
      }
      i += len;
    } else {
      crew_token t{token_kind::punct, std::string(1, c)};
      if (c == '@') t = crew_token{token_kind::word, "at"};
      if (c == '&' || c == '+') t = crew_token{token_kind::word, "and"};
      if (c == '~') t = crew_token{token_kind::word, "about"};
      t.begin = i;
      t.end = i + 1;
      push(std::move(t));
      ++i;
    }
  }
  return out;
}

std::string clean_span(std::string_view text, std::size_t begin, std::size_t end) {
  std::string out;
  bool space = false;
  for (std::size_t i = begin; i < end && i < text.size();) {
    auto uc = static_cast<unsigned char>(text[i]);
    if (uc <= 0x20 || uc == 0x7F) {
      space = true;
      ++i;
      continue;
    }
    std::size_t len = utf8_length(text, i);
    if (len == 0) {
      ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

}  // namespace fl::domain
