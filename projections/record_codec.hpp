#pragma once

// A compact binary encoding for projection records: varints and
// length-prefixed strings in a fixed field order. Projections read and write
// a record per event, so JSON would be the cost that dominates a rebuild.
// A record's layout belongs to its projection's `version()`: change one,
// bump the other (the projection is then rebuilt).

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "projections/record_view.hpp"

namespace fl::projections {

class record_writer {
 public:
  void u64(std::uint64_t n) {
    // Built on the stack, appended once: one size check instead of one a byte.
    char bytes[10];
    std::size_t used = 0;
    while (n >= 0x80) {
      bytes[used++] = static_cast<char>((n & 0x7f) | 0x80);
      n >>= 7;
    }
    bytes[used++] = static_cast<char>(n);
    out_.append(bytes, used);
  }
  void i64(std::int64_t n) {  // zigzag, so small negatives stay short
    u64((static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63));
  }
  void boolean(bool b) { out_.push_back(b ? 1 : 0); }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void opt_str(const std::optional<std::string>& s) {
    boolean(s.has_value());
    if (s) str(*s);
  }
  void opt_i64(const std::optional<std::int64_t>& n) {
    boolean(n.has_value());
    if (n) i64(*n);
  }
  /// A double as its bit pattern: exact, and the same bytes on every rebuild.
  void f64(double d) { u64(std::bit_cast<std::uint64_t>(d)); }
  void opt_f64(const std::optional<double>& d) {
    boolean(d.has_value());
    if (d) f64(*d);
  }
  /// Room for `bytes` in all (one allocation for a large record).
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Reads what a `record_writer` wrote, as owned strings (`record_view_reader`
/// reads the same bytes as views). A malformed record (never expected: only
/// our code writes them) reads as zeros and empties and sets `ok()` to false
/// instead of reading out of bounds.
class record_reader {
 public:
  explicit record_reader(std::string_view in) : view_(in) {}

  std::uint64_t u64() { return view_.u64(); }
  std::int64_t i64() { return view_.i64(); }
  bool boolean() { return view_.boolean(); }
  std::string str() { return std::string(view_.str()); }
  std::optional<std::string> opt_str() {
    if (!boolean()) return std::nullopt;
    return str();
  }
  std::optional<std::int64_t> opt_i64() { return view_.opt_i64(); }
  double f64() { return std::bit_cast<double>(u64()); }
  std::optional<double> opt_f64() {
    if (!boolean()) return std::nullopt;
    return f64();
  }
  bool ok() const { return view_.ok(); }

 private:
  record_view_reader view_;
};

}  // namespace fl::projections
