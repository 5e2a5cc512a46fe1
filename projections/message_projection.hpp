#pragma once

#include <cstdint>

#include "projections/message_record.hpp"
#include "projections/projection.hpp"
#include "projections/record_cache.hpp"

namespace fl::projections {

/// Every SMS in and out, one record per message keyed by the log position
/// that created it (so a tenant's messages are in time order), with indexes
/// by our id, by Twilio's sid and by conversation. Keys, after `<tenant>` NUL:
/// - `m` be64(position) → message_record
/// - `i` message_id → be64(position); `s` sid → be64(position)
/// - `c` party NUL be64(position) → "" (a conversation's messages)
/// - `p` sid → a status that arrived before the message had its sid
class message_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "messages";
  std::string_view name() const override { return family_name; }
  int version() const override { return 2; }  // v2: ai_interpretation of contractor texts
  void apply(const events::recorded_event& e, write_set& out) override;
  void end_batch(write_set& out) override;
  void before_commit(write_set& out) override;
  void reset_caches() override { cached_.clear(); }

 private:
  record_cache<std::uint64_t, message_record> cached_;  // by position, within a batch
};

}  // namespace fl::projections
