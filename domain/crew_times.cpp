#include "domain/crew_times.hpp"

#include "domain/crew_lexicon.hpp"

namespace fl::domain {

int clock_reading::minutes() const {
  int h = hour;
  if (half == meridiem::am && h == 12) h = 0;
  if (half == meridiem::pm && h < 12) h += 12;
  return h * 60 + minute;
}

clock_reading clock_reading::with_half(meridiem h) const {
  clock_reading c = *this;
  if (c.half == meridiem::none && c.hour >= 1 && c.hour <= 12) c.half = h;
  return c;
}

namespace {

bool word_at(const std::vector<crew_token>& t, std::size_t i, std::string_view w) {
  return i < t.size() && t[i].kind == token_kind::word && t[i].text == w;
}

bool punct_at(const std::vector<crew_token>& t, std::size_t i, std::string_view p) {
  return i < t.size() && t[i].kind == token_kind::punct && t[i].text == p;
}

// am/pm after the number: "am", "pm", "a.m.", and "a"/"p" written against it.
std::size_t read_meridiem(const std::vector<crew_token>& t, std::size_t i, meridiem& half) {
  if (i >= t.size() || t[i].kind != token_kind::word) return i;
  const std::string& w = t[i].text;
  if (w == "am" || w == "pm") {
    half = w == "am" ? meridiem::am : meridiem::pm;
    std::size_t k = i + 1;
    if (punct_at(t, k, ".") && t[k].attached) ++k;
    return k;
  }
  if ((w == "a" || w == "p") &&
      (t[i].attached || (punct_at(t, i + 1, ".") && word_at(t, i + 2, "m")))) {
    half = w == "a" ? meridiem::am : meridiem::pm;
    std::size_t k = i + 1;
    if (punct_at(t, k, ".") && word_at(t, k + 1, "m")) {
      k += 2;
      if (punct_at(t, k, ".")) ++k;
    }
    return k;
  }
  return i;
}

}  // namespace

std::optional<clock_reading> read_clock(const std::vector<crew_token>& t, std::size_t i) {
  if (i >= t.size()) return std::nullopt;
  const crew_token& tok = t[i];
  clock_reading c;
  if (tok.kind == token_kind::word && (tok.text == "noon" || tok.text == "midnight")) {
    c.hour = tok.text == "noon" ? 12 : 0;
    c.unmistakable = true;
    c.twenty_four_hour = true;
    c.next = i + 1;
    return c;
  }
  if (tok.kind == token_kind::clock) {
    c.hour = static_cast<int>(tok.value);
    c.minute = tok.minute;
    c.unmistakable = true;
    c.twenty_four_hour = tok.text.size() == 5 && tok.text[0] == '0';
  } else if (tok.kind == token_kind::number && !tok.fraction &&
             tok.text.find('.') == std::string::npos) {
    int v = static_cast<int>(tok.value);
    if (tok.text.size() >= 3 && tok.text.size() <= 4) {
      c.hour = v / 100;
      c.minute = v % 100;
      c.unmistakable = tok.text.size() == 4;
      c.twenty_four_hour = c.unmistakable;
    } else {
      c.hour = v;
    }
  } else {
    return std::nullopt;
  }
  if (c.minute > 59 || c.hour > 23) return std::nullopt;
  std::size_t k = read_meridiem(t, i + 1, c.half);
  if (c.half != meridiem::none) {
    if (c.hour < 1 || c.hour > 12) return std::nullopt;
    c.unmistakable = true;
  } else if (tok.kind == token_kind::number) {
    if (match_unit(t, i + 1) || match_material(t, i + 1)) return std::nullopt;
    if (tok.text.size() == 3) return std::nullopt;  // "230" only with am/pm
  }
  c.next = k;
  return c;
}

}  // namespace fl::domain
