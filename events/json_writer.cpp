#include "events/json_writer.hpp"

#include <charconv>
#include <stdexcept>

#include "base/utf8.hpp"

namespace fl::events {

namespace {}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // A run of characters that need no escape goes in with one append.
    std::size_t run = i;
    while (run < text.size()) {
      auto r = static_cast<unsigned char>(text[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      utf8_scan seq = scan_utf8(text, i);
      if (seq.valid)
        out.append(text.substr(i, seq.length));
      else
        out.append("\xEF\xBF\xBD");  // U+FFFD for the invalid sequence
      i += seq.length;
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
