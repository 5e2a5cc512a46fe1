#pragma once

// A contractor's ticket session (`ticket-session:<tenant>:<contractor>`): the
// winter-service tickets a crew runs by text, and where the conversation
// stands. Times are microseconds since the Unix epoch (UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::events {

/// A ticket was opened for a property the contractor is assigned to.
/// v1: first version.
struct ticket_started {
  static constexpr std::string_view type_name = "ticket_started";
  static constexpr int schema_version = 1;

  std::string ticket_id;
  std::string property_id;
  std::string property_name;  // as it was when the ticket started
  friend bool operator==(const ticket_started&, const ticket_started&) = default;
};

/// A text reported work on the open ticket: what the interpreter read in it.
/// Quantities add up over a ticket's texts; equipment and notes accumulate;
/// a time replaces the earlier one.
/// v1: first version.
struct ticket_details_added {
  static constexpr std::string_view type_name = "ticket_details_added";
  static constexpr int schema_version = 1;

  std::string ticket_id;
  std::string message_id;  // the inbound text it came from; "" when none
  std::vector<std::string> equipment;
  std::optional<double> bulk_salt_quantity;
  std::optional<std::string> bulk_salt_unit;  // "yards" or "tons", with the quantity
  std::optional<double> bag_salt;
  std::optional<double> calcium_chloride;
  std::optional<std::string> note;
  std::optional<std::int64_t> work_started_at_us;
  std::optional<std::int64_t> work_finished_at_us;
  friend bool operator==(const ticket_details_added&, const ticket_details_added&) = default;
};

/// The open ticket was completed.
/// v1: first version.
struct ticket_completed {
  static constexpr std::string_view type_name = "ticket_completed";
  static constexpr int schema_version = 1;

  std::string ticket_id;
  friend bool operator==(const ticket_completed&, const ticket_completed&) = default;
};

/// The session moved to another state (the seed's five): `idle`,
/// `awaiting_start_confirmation` (with the properties offered, in the order
/// listed), `collecting_ticket_details`, `awaiting_completion`,
/// `collecting_completion_details`.
/// v1: first version.
struct ticket_session_moved {
  static constexpr std::string_view type_name = "ticket_session_moved";
  static constexpr int schema_version = 1;

  std::string state;
  std::vector<std::string> choices;  // property ids, numbered from 1 in the text
  friend bool operator==(const ticket_session_moved&, const ticket_session_moved&) = default;
};

/// A contractor's text reached the session: how it was read, and what the
/// session texted back. Recorded first among the events of the text, so a
/// retried webhook (the same MessageSid) records nothing again and queues
/// the same replies under the same external ids (a no-op for those already
/// queued). The reading's fields are the `interpretation`'s; work times are
/// minutes after local midnight.
/// v1: first version.
struct ticket_text_read {
  static constexpr std::string_view type_name = "ticket_text_read";
  static constexpr int schema_version = 1;

  std::string message_sid;
  std::string intent;       // start_ticket, complete_ticket, provide_details, ...
  std::string confidence;   // high, medium, low
  std::string interpreter;  // rules, claude
  std::optional<std::string> fallback_reason;  // why Claude's reading was not used
  std::optional<std::string> model;            // the Claude model asked; none for the rules
  std::int64_t attempts = 0;                   // requests sent to Anthropic for it
  std::vector<std::string> equipment;
  std::optional<double> bulk_salt_quantity;
  std::optional<std::string> bulk_salt_unit;
  std::optional<double> bag_salt;
  std::optional<double> calcium_chloride;
  std::optional<std::string> notes;
  std::optional<std::int64_t> work_started_minutes;
  std::optional<std::int64_t> work_finished_minutes;
  std::optional<std::string> property_hint;
  std::vector<std::string> replies;
  friend bool operator==(const ticket_text_read&, const ticket_text_read&) = default;
};

}  // namespace fl::events
