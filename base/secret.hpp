#pragma once

#include <string>
#include <utility>

namespace fl {

/// A credential (auth token, API key). It has no formatter and no stream
/// operator, so logging one does not compile; `reveal()` is the one greppable
/// way to use the value.
class secret {
 public:
  explicit secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend bool operator==(const secret&, const secret&) = default;

 private:
  std::string value_;
};

}  // namespace fl
