#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fl::http {

/// The SHA-256 (hex) of bearer tokens that named a tenant, remembered by the
/// token's bytes: hashing the token of every read request was ~3 % of a
/// page's CPU. A token's hash never changes, so nothing goes stale; only
/// tokens that matched a tenant are remembered, and at most `capacity` (then
/// it starts afresh), so random tokens cannot grow it.
///
/// Thread safety: all members may be called from any thread.
class token_hashes {
 public:
  explicit token_hashes(std::size_t capacity = 1024) : capacity_(capacity) {}

  std::optional<std::string> find(std::string_view token) const;
  void remember(std::string_view token, std::string hash);
  std::size_t size() const;

 private:
  struct view_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string, view_hash, std::equal_to<>> hashes_;
};

}  // namespace fl::http
