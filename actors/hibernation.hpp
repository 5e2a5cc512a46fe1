#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/conversation.hpp"

namespace fl::actors {

/// Passivated conversations kept as plain state (a few hundred bytes instead
/// of a CAF actor's ~1.2 KB floor), so the next command spawns an actor that
/// needs no recovery read. Bounded; what is evicted recovers from the log.
class hibernation {
 public:
  explicit hibernation(std::size_t capacity) : capacity_(capacity) {}

  void put(const std::string& key, domain::conversation_state state) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    auto [it, fresh] = states_.try_emplace(key, std::move(state));
    // An actor spawned before an older one finished passivating may hand
    // over first: the newer state wins.
    if (!fresh && it->second.version < state.version) it->second = std::move(state);
    if (fresh && states_.size() > capacity_) {
      auto victim = states_.begin();
      if (victim == it) ++victim;
      states_.erase(victim);
    }
  }

  std::optional<domain::conversation_state> take(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = states_.find(key);
    if (it == states_.end()) return std::nullopt;
    auto state = std::move(it->second);
    states_.erase(it);
    return state;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return states_.size();
  }

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, domain::conversation_state> states_;
};

}  // namespace fl::actors
