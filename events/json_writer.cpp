#include "events/json_writer.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.hpp"

namespace fl::events {

namespace {

// How many bytes from `text[i]` on need no escape (printable ASCII but `"`
// and `\`); 16 at a time where SSE2 is there.
std::size_t plain_run(std::string_view text, std::size_t i) {
  std::size_t start = i;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  while (i + 16 <= text.size()) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Signed compare: bytes >= 0x80 are negative, so below 0x20 too.
    __m128i bad =
        _mm_or_si128(_mm_cmplt_epi8(v, space),
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(bad));
    if (mask != 0) return i - start + static_cast<std::size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  for (; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i - start;
}

char* put(char* out, std::string_view s) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

}  // namespace

char* write_json_string(char* out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  *out++ = '"';
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::size_t run = plain_run(text, i); run > 0) {
      out = put(out, text.substr(i, run));
      i += run;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      utf8_scan seq = scan_utf8(text, i);
      out = seq.valid ? put(out, text.substr(i, seq.length))
                      : put(out, "\xEF\xBF\xBD");  // U+FFFD for the invalid sequence
      i += seq.length;
      continue;
    }
    switch (c) {
      case '"':
        out = put(out, "\\\"");
        break;
      case '\\':
        out = put(out, "\\\\");
        break;
      case '\b':
        out = put(out, "\\b");
        break;
      case '\f':
        out = put(out, "\\f");
        break;
      case '\n':
        out = put(out, "\\n");
        break;
      case '\r':
        out = put(out, "\\r");
        break;
      case '\t':
        out = put(out, "\\t");
        break;
      default:
        out = put(out, "\\u00");
        *out++ = hex[c >> 4];
        *out++ = hex[c & 0x0f];
    }
    ++i;
  }
  *out++ = '"';
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  std::size_t at = out.size();
  out.resize(at + json_string_max(text.size()));
  char* end = write_json_string(out.data() + at, text);
  out.resize(static_cast<std::size_t>(end - out.data()));
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
