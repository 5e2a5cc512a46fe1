#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "projections/conversation_record.hpp"
#include "projections/projection.hpp"
#include "projections/record_cache.hpp"

namespace fl::projections {

/// One record per conversation, and an activity index that keeps the list
/// ordered by latest message and its pages stable while messages arrive.
/// Keys, after `<tenant>` NUL:
/// - `v` phone → conversation_record
/// - `a` be64(~position) → activity_entry: the conversation whose latest
///   message that is, with a copy of its conversation_record (rewritten with
///   it), so a page of the list is one scan of exactly its entries. Newest
///   first in key order: a listing reads forward, which RocksDB does much
///   faster than backward. When a newer message comes the entry is deleted
///   and moves to `h`.
/// - `h` be64(~position) → activity_entry without a record: a message that
///   was a conversation's latest until the position it was superseded at,
///   so later pages of a listing can be read as of the position it started
///   at (see read_model).
/// - `k` contractor id → phone: the conversation a contractor's texts were
///   last queued in (`sms_queued.contractor_id`), so a later move of their
///   ticket session finds it.
/// - `s` contractor id → the session's state name (`ticket_session_moved`,
///   from the `ticket-session:<tenant>:<contractor>` stream), kept whether or
///   not the conversation is known yet: a contractor's conversation shows it
///   from its first text on ("idle" before any move).
class conversation_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "conversations";
  std::string_view name() const override { return family_name; }
  /// v4: contractors' conversations (kind, party_id, ticket-session state).
  int version() const override { return 4; }
  void apply(const events::recorded_event& e, write_set& out) override;
  void end_batch(write_set& out) override;
  void before_commit(write_set& out) override;
  void reset_caches() override { cached_.clear(); }

  static constexpr char conversation_tag = 'v';
  static constexpr char activity_tag = 'a';
  static constexpr char superseded_tag = 'h';
  static constexpr char contractor_tag = 'k';
  static constexpr char session_state_tag = 's';

  static std::string activity_key(std::string_view tenant, std::uint64_t position);
  static std::string superseded_key(std::string_view tenant, std::uint64_t position);
  /// The position of an `activity_key` or a `superseded_key`.
  static std::uint64_t activity_position(std::string_view key);

  /// A conversation kept decoded, and the position of the activity entry
  /// written for it (in the write set or stored; 0: none).
  struct kept_conversation {
    conversation_record record;
    std::uint64_t listed_at = 0;
  };

 private:
  static constexpr std::size_t max_cached = 100'000;
  record_cache<std::string, kept_conversation> cached_;  // by key
};

}  // namespace fl::projections
