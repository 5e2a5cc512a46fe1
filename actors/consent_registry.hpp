#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace fl::actors {

/// Which numbers opted out of which tenant's texts, for the one check every
/// outbound text passes just before it leaves: a text queued before its
/// recipient's STOP must not go out after it.
///
/// Written by conversation actors as their `opted_out`/`opted_in` events
/// become durable, filled at start from the log, read by the outbox.
/// Thread safety: every member may be called from any thread.
class consent_registry {
 public:
  void set_opted_out(const std::string& tenant, const std::string& phone, bool opted_out) {
    std::lock_guard lock(mutex_);
    if (opted_out)
      opted_out_.emplace(tenant, phone);
    else
      opted_out_.erase({tenant, phone});
  }

  bool is_opted_out(const std::string& tenant, const std::string& phone) const {
    std::lock_guard lock(mutex_);
    return opted_out_.contains({tenant, phone});
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return opted_out_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> opted_out_;
};

}  // namespace fl::actors
