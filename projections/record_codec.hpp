#pragma once

// A compact binary encoding for projection records: varints and
// length-prefixed strings in a fixed field order. Projections read and write
// a record per event, so JSON would be the cost that dominates a rebuild.
// A record's layout belongs to its projection's `version()`: change one,
// bump the other (the projection is then rebuilt).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::projections {

class record_writer {
 public:
  void u64(std::uint64_t n) {
    while (n >= 0x80) {
      out_.push_back(static_cast<char>((n & 0x7f) | 0x80));
      n >>= 7;
    }
    out_.push_back(static_cast<char>(n));
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
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Reads what a `record_writer` wrote. A malformed record (never expected:
/// only our code writes them) reads as zeros and empties and sets `ok()` to
/// false instead of reading out of bounds.
class record_reader {
 public:
  explicit record_reader(std::string_view in) : in_(in) {}

  std::uint64_t u64() {
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      auto byte = static_cast<unsigned char>(in_[pos_++]);
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return n;
    }
    return fail();
  }
  std::int64_t i64() {
    std::uint64_t z = u64();
    return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  bool boolean() {
    if (pos_ >= in_.size()) return fail() != 0;
    return in_[pos_++] != 0;
  }
  std::string str() {
    std::uint64_t n = u64();
    if (n > in_.size() - pos_) return fail(), std::string();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::optional<std::string> opt_str() {
    if (!boolean()) return std::nullopt;
    return str();
  }
  std::optional<std::int64_t> opt_i64() {
    if (!boolean()) return std::nullopt;
    return i64();
  }
  bool ok() const { return ok_; }

 private:
  std::uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace fl::projections
