#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/sms_events.hpp"
#include "projections/record_view.hpp"

namespace fl::projections {

/// One message as the admin API shows it (api.md `/sms/messages`).
struct message_record {
  std::string id;         // ours for outbound ("msg_..."); the MessageSid for inbound
  std::string sid;        // Twilio's MessageSid; "" until sent
  std::string direction;  // "inbound" or "outbound"
  std::string from, to;   // E.164
  std::string party;      // the conversation's phone (E.164)
  std::string body;
  std::optional<std::string> trigger;  // outbound: manual, reply, ...; inbound: none
  std::string status;                  // received | queued | sent | delivered | ...
  std::optional<std::int64_t> error_code;
  std::optional<std::string> error_message;
  std::int64_t segments = 1;
  std::string encoding;  // gsm7 | ucs2
  std::optional<std::string> customer_id, contractor_id, job_id;
  std::vector<events::media_item> media;
  std::optional<std::string> ai_interpretation;  // JSON text (contractor texts)
  std::uint64_t position = 0;                    // of the event that created it
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  friend bool operator==(const message_record&, const message_record&) = default;
};

std::string encode(const message_record& m);
/// Nullopt if `bytes` is not a message record.
std::optional<message_record> decode_message(std::string_view bytes);

/// A stored message record read in place: its strings are views into the
/// stored bytes, which must outlive it. Fields as in `message_record`.
struct message_view {
  std::string_view id, sid, direction, from, to, party, body;
  std::optional<std::string_view> trigger;
  std::string_view status;
  std::optional<std::int64_t> error_code;
  std::optional<std::string_view> error_message;
  std::int64_t segments = 1;
  std::string_view encoding;
  std::optional<std::string_view> customer_id, contractor_id, job_id;
  std::uint64_t media_count = 0;
  std::string_view media;  // `media_count` (url, content_type) pairs as stored
  std::optional<std::string_view> ai_interpretation;
  std::uint64_t position = 0;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
};
/// Nullopt if `bytes` is not a message record.
std::optional<message_view> view_message(std::string_view bytes);

/// Calls `fn(url, content_type)` for each media item of `m`, in order.
template <class Fn>
void for_each_media(const message_view& m, Fn fn) {
  record_view_reader r(m.media);
  for (std::uint64_t i = 0; i < m.media_count; ++i) {
    auto url = r.str();
    auto content_type = r.str();
    fn(url, content_type);
  }
}

}  // namespace fl::projections
