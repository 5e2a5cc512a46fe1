#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.hpp"
#include "events/event.hpp"
#include "storage/store_error.hpp"

namespace fl::storage {

/// What a writer believes the stream's version is (optimistic concurrency).
class expected_version {
 public:
  /// No check: append whatever the stream's version.
  static expected_version any() { return expected_version(kind::any, 0); }
  /// The stream must not exist yet.
  static expected_version no_stream() { return expected_version(kind::exact, 0); }
  /// The stream must be exactly at `version` (0 = does not exist).
  static expected_version exactly(std::uint64_t version) {
    return expected_version(kind::exact, version);
  }

  bool matches(std::uint64_t current) const { return kind_ == kind::any || current == version_; }
  bool is_any() const { return kind_ == kind::any; }
  std::uint64_t version() const { return version_; }

 private:
  enum class kind : std::uint8_t { any, exact };
  expected_version(kind k, std::uint64_t v) : kind_(k), version_(v) {}
  kind kind_;
  std::uint64_t version_;
};

/// Events to append atomically to one stream.
struct append_request {
  std::string tenant;
  std::string stream;
  expected_version expected = expected_version::any();
  std::vector<events::event> events;
  /// An id from outside (e.g. Twilio's MessageSid), unique per tenant. If it
  /// was appended before, nothing is written and the earlier position is
  /// answered with `duplicate = true`. Written in the same batch as the events.
  std::optional<std::string> external_id;
};

struct append_result {
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  std::uint64_t stream_version = 0;  // the stream's version after the append
  bool duplicate = false;            // external_id seen before; nothing written
};

using append_outcome = expected<append_result, store_error>;
using append_callback = std::function<void(append_outcome)>;

}  // namespace fl::storage
