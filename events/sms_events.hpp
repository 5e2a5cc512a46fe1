#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::events {

/// One media attachment of an inbound MMS (`MediaUrlN` / `MediaContentTypeN`).
struct media_item {
  std::string url;
  std::string content_type;
  friend bool operator==(const media_item&, const media_item&) = default;
};

/// A text reached us through Twilio's inbound webhook and was accepted
/// (signature valid, tenant known, MessageSid not seen before).
/// v1: first version.
struct sms_received {
  static constexpr std::string_view type_name = "sms_received";
  static constexpr int schema_version = 1;

  std::string message_sid;
  std::string account_sid;
  std::optional<std::string> messaging_service_sid;
  std::string from;  // E.164
  std::string to;    // E.164
  std::string body;
  std::vector<media_item> media;
  friend bool operator==(const sms_received&, const sms_received&) = default;
};

/// An outbound text was accepted for sending and put in the outbox. Nothing
/// leaves the machine before this event is durable.
/// v1: first version.
struct sms_queued {
  static constexpr std::string_view type_name = "sms_queued";
  static constexpr int schema_version = 1;

  std::string message_id;  // ours, stable across retries
  std::string from;        // E.164
  std::string to;          // E.164
  std::string body;
  std::string trigger;  // manual, reply, scheduled, reminder, ...
  std::int64_t segments = 1;
  std::string encoding;  // "gsm7" or "ucs2"
  std::optional<std::string> customer_id;
  std::optional<std::string> contractor_id;
  std::optional<std::string> job_id;
  friend bool operator==(const sms_queued&, const sms_queued&) = default;
};

/// The SMS provider accepted a queued message and gave it its sid.
/// v1: first version.
struct sms_sent {
  static constexpr std::string_view type_name = "sms_sent";
  static constexpr int schema_version = 1;

  std::string message_id;
  std::string message_sid;
  friend bool operator==(const sms_sent&, const sms_sent&) = default;
};

/// A delivery status callback moved a message's status (sent, delivered,
/// undelivered, failed, ...). Emitted only for changes that are allowed:
/// never from a final status back to an earlier one.
/// v1: first version.
struct sms_status_changed {
  static constexpr std::string_view type_name = "sms_status_changed";
  static constexpr int schema_version = 1;

  std::string message_sid;
  std::string status;
  std::optional<std::int64_t> error_code;
  friend bool operator==(const sms_status_changed&, const sms_status_changed&) = default;
};

/// A queued message will not be sent: the provider refused it permanently or
/// retries were exhausted.
/// v1: first version.
struct sms_failed {
  static constexpr std::string_view type_name = "sms_failed";
  static constexpr int schema_version = 1;

  std::string message_id;
  std::optional<std::int64_t> error_code;
  std::string error_message;
  bool permanent = true;
  friend bool operator==(const sms_failed&, const sms_failed&) = default;
};

}  // namespace fl::events
