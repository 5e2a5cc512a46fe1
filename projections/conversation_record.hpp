#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fl::projections {

/// One conversation (a customer's or a contractor's) as `/sms/conversations` shows it.
struct conversation_record {
  std::string phone;  // the party's number (E.164)
  std::string kind;   // "customer" or "contractor"
  std::optional<std::string> party_id;
  std::optional<std::string> state;  // a contractor's ticket-session state
  // The latest message in or out.
  std::string last_id, last_sid, last_direction, last_body, last_status;
  std::int64_t last_at_us = 0;
  // A status reported before the last message had its sid (applied on `sms_sent`).
  std::string early_sid, early_status;
  std::uint64_t unread = 0;
  std::uint64_t messages = 0;
  bool opted_out = false;
  std::uint64_t last_position = 0;  // of the latest message: the list's order
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const conversation_record&, const conversation_record&) = default;
};

std::string encode(const conversation_record& c);
std::optional<conversation_record> decode_conversation(std::string_view bytes);

/// A stored conversation record read in place: its strings are views into
/// the stored bytes, which must outlive it. Fields as in `conversation_record`.
struct conversation_view {
  std::string_view phone, kind;
  std::optional<std::string_view> party_id, state;
  std::string_view last_id, last_sid, last_direction, last_body, last_status;
  std::int64_t last_at_us = 0;
  std::string_view early_sid, early_status;
  std::uint64_t unread = 0;
  std::uint64_t messages = 0;
  bool opted_out = false;
  std::uint64_t last_position = 0;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
};
std::optional<conversation_view> view_conversation(std::string_view bytes);

/// An entry of the activity index: which conversation had a message at a
/// position, and when (if ever) a later one superseded it. The latest entry
/// of a conversation also holds its record (as stored under its phone), so a
/// listing reads each conversation once.
struct activity_entry {
  std::string_view phone;
  std::uint64_t superseded_at = 0;  // 0: still the conversation's latest
  std::string_view record;          // encoded conversation_record; empty once superseded
};
/// Views into `bytes`, which must outlive the entry.
std::optional<activity_entry> decode_activity(std::string_view bytes);
/// A superseded entry.
std::string encode_superseded(std::string_view phone, std::uint64_t superseded_at);
/// A conversation's latest entry, with its `encode`d record.
std::string encode_latest(std::string_view phone, std::string_view record);

/// `cv_<digits>` for a phone `+<digits>`, and back (nullopt if malformed).
std::string conversation_id(std::string_view phone);
std::optional<std::string> phone_of_conversation(std::string_view id);

}  // namespace fl::projections
