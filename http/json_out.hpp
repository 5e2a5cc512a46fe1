#pragma once

// Appends JSON to a string through a raw pointer: the answers of the read
// routes are ~1,000 small writes per page, and a std::string append each
// (capacity check, length update) was a visible part of a page's cost. The
// caller writes keys, commas and brackets as literal fragments, in canonical
// order; values are escaped as events::json_writer does.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "base/timestamp.hpp"
#include "events/json_writer.hpp"

namespace fl::http {

class json_out {
 public:
  /// Appends to `out`, sized up front for about `expected` more bytes.
  json_out(std::string& out, std::size_t expected) : out_(out), used_(out.size()) {
    out_.resize(used_ + expected);
  }
  ~json_out() { out_.resize(used_); }
  json_out(const json_out&) = delete;
  json_out& operator=(const json_out&) = delete;

  /// Bytes written as they are: keys, punctuation, already-canonical JSON.
  /// A literal's size is known here, so its copy compiles to a few moves.
  template <std::size_t N>
  json_out& raw(const char (&literal)[N]) {
    char* p = room(N - 1);
    std::memcpy(p, literal, N - 1);
    used_ += N - 1;
    return *this;
  }
  json_out& raw(std::string_view text) {
    char* p = room(text.size());
    std::memcpy(p, text.data(), text.size());
    used_ += text.size();
    return *this;
  }
  json_out& string(std::string_view text) {
    char* p = room(events::json_string_max(text.size()));
    used_ = static_cast<std::size_t>(events::write_json_string(p, text) - out_.data());
    return *this;
  }
  json_out& optional_string(const std::optional<std::string_view>& text) {
    return text ? string(*text) : null();
  }
  json_out& null() { return raw("null"); }
  json_out& boolean(bool b) { return raw(b ? "true" : "false"); }
  template <class Integer>
  json_out& number(Integer n) {
    char* p = room(24);
    used_ = static_cast<std::size_t>(std::to_chars(p, p + 24, n).ptr - out_.data());
    return *this;
  }
  /// The shortest text that reads back as the same double; null when not
  /// finite (JSON has no NaN or infinity).
  json_out& decimal(double d) {
    if (!std::isfinite(d)) return null();
    char* p = room(32);
    used_ = static_cast<std::size_t>(std::to_chars(p, p + 32, d).ptr - out_.data());
    return *this;
  }
  json_out& optional_decimal(const std::optional<double>& d) { return d ? decimal(*d) : null(); }
  /// An RFC 3339 UTC time string.
  json_out& time(std::int64_t us) {
    char* p = room(rfc3339_max + 2);
    *p++ = '"';
    p = times_.write(p, from_micros(us));
    *p++ = '"';
    used_ = static_cast<std::size_t>(p - out_.data());
    return *this;
  }

 private:
  // Where `n` more bytes go; grows the string (at least doubling) if needed.
  char* room(std::size_t n) {
    if (out_.size() - used_ < n) [[unlikely]]
      grow(n);
    return out_.data() + used_;
  }
  [[gnu::noinline]] void grow(std::size_t n) { out_.resize(std::max(out_.size() * 2, used_ + n)); }

  std::string& out_;
  std::size_t used_;  // bytes of `out_` written; the rest is room
  rfc3339_formatter times_;
};

}  // namespace fl::http
