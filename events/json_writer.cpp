#include "events/json_writer.hpp"

#include <charconv>
#include <stdexcept>

namespace fl::events {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_sequence_length(text, i);
      if (n == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD for one invalid byte
        ++i;
      } else {
        out.append(text.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0x0f]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!levels_.empty()) {
    if (!levels_.back().first) out_.push_back(',');
    levels_.back().first = false;
  }
}

json_writer& json_writer::begin_object() {
  before_value();
  out_.push_back('{');
  levels_.push_back({});
  return *this;
}

json_writer& json_writer::end_object() {
  levels_.pop_back();
  out_.push_back('}');
  return *this;
}

json_writer& json_writer::begin_array() {
  before_value();
  out_.push_back('[');
  levels_.push_back({});
  return *this;
}

json_writer& json_writer::end_array() {
  levels_.pop_back();
  out_.push_back(']');
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  auto& lv = levels_.back();
  if (!lv.first && !(lv.last_key < name))
    throw std::logic_error("json_writer: keys out of canonical order at \"" + std::string(name) +
                           "\"");
  if (!lv.first) out_.push_back(',');
  lv.first = false;
  lv.last_key = name;
  append_json_string(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

json_writer& json_writer::integer(std::int64_t n) {
  before_value();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, res.ptr);
  return *this;
}

json_writer& json_writer::unsigned_integer(std::uint64_t n) {
  before_value();
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, res.ptr);
  return *this;
}

json_writer& json_writer::boolean(bool b) {
  before_value();
  out_.append(b ? "true" : "false");
  return *this;
}

json_writer& json_writer::null() {
  before_value();
  out_.append("null");
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  before_value();
  out_.append(json);
  return *this;
}

}  // namespace fl::events
