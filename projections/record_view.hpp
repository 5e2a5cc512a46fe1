#pragma once

// Reads what a `record_writer` wrote (record_codec.hpp) as views into the
// stored bytes: no string is allocated, so a page of records can be read and
// written out as JSON without copying each field.

#include <cstdint>
#include <optional>
#include <string_view>

namespace fl::projections {

/// Like `record_reader`, with strings as views into `in` (which must outlive
/// them). A malformed record reads as zeros and empties and sets `ok()` to false.
class record_view_reader {
 public:
  explicit record_view_reader(std::string_view in) : in_(in) {}

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
  std::string_view str() {
    std::uint64_t n = u64();
    if (n > in_.size() - pos_) return fail(), std::string_view();
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::optional<std::string_view> opt_str() {
    if (!boolean()) return std::nullopt;
    return str();
  }
  std::optional<std::int64_t> opt_i64() {
    if (!boolean()) return std::nullopt;
    return i64();
  }
  /// What is left unread.
  std::string_view rest() const { return in_.substr(pos_); }
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
