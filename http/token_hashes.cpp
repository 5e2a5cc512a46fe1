#include "http/token_hashes.hpp"

namespace fl::http {

std::optional<std::string> token_hashes::find(std::string_view token) const {
  std::lock_guard lock(mu_);
  if (auto it = hashes_.find(token); it != hashes_.end()) return it->second;
  return std::nullopt;
}

void token_hashes::remember(std::string_view token, std::string hash) {
  std::lock_guard lock(mu_);
  if (hashes_.size() >= capacity_ && !hashes_.contains(token)) hashes_.clear();
  hashes_.insert_or_assign(std::string(token), std::move(hash));
}

std::size_t token_hashes::size() const {
  std::lock_guard lock(mu_);
  return hashes_.size();
}

}  // namespace fl::http
