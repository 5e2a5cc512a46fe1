#pragma once

// The conversation state machine: one tenant and one party phone number. Pure
// functions over plain values; the conversation actor holds the state, asks
// `decide`, appends the events with the stream's expected version, then
// `evolve`s each one. Recovery is a fold of `evolve` over the stream.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "domain/message_status.hpp"
#include "events/event.hpp"
#include "events/record.hpp"

namespace fl::domain {

/// A queued text not yet sent or failed: the outbox to resume after a restart.
struct outbound_message {
  std::string message_id;
  std::string from;  // E.164
  std::string to;    // E.164
  std::string body;
  std::string trigger;
  fl::timestamp queued_at;  // when its `sms_queued` was recorded (see `evolve`)
  friend bool operator==(const outbound_message&, const outbound_message&) = default;
};

/// A sent message whose status is not final yet: its sid, the message it was
/// sent for and the latest status a callback reported.
struct tracked_message {
  std::string message_sid;
  std::string message_id;  // "" while a callback came before the send's answer
  std::optional<message_status> status;
  friend bool operator==(const tracked_message&, const tracked_message&) = default;
};

/// A message with a final status (or one evicted from the tracked list),
/// remembered only by a 64-bit hash of its sid so that a late, older
/// callback is still refused. 16 bytes each.
struct finished_message {
  std::uint64_t sid_hash = 0;
  std::optional<message_status> status;
  friend bool operator==(const finished_message&, const finished_message&) = default;
};

/// Everything `decide` needs to know about one conversation. Bounded: an idle
/// conversation (nothing pending, nothing in flight) holds about 400 bytes,
/// however long its history.
struct conversation_state {
  /// At most this many messages in `in_flight`; the oldest moves to `finished`.
  static constexpr std::size_t max_in_flight = 16;
  /// At most this many in `finished`; the oldest is forgotten, so a callback
  /// for it arriving later than 16 finished messages would be taken as new.
  static constexpr std::size_t max_finished = 16;

  std::uint64_t version = 0;  // stream version after the last evolved event
  bool opted_out = false;
  std::uint32_t unread = 0;  // inbound texts since the conversation was last read
  // The tenant number this party last texted or was texted from ("" = none yet).
  std::string our_number;
  std::vector<outbound_message> pending;   // queued, neither sms_sent nor sms_failed yet
  std::vector<tracked_message> in_flight;  // sent (or seen in a callback), status not final
  std::vector<finished_message> finished;  // final status, oldest first
  friend bool operator==(const conversation_state&, const conversation_state&) = default;
};

/// What `decide` reads from outside the state: the clock, the conversation's
/// phone, the tenant's configured texts and id generation. Injected so that
/// the machine never reads a clock or a random source.
struct conversation_context {
  fl::timestamp now;
  std::string party_phone;      // the conversation's phone (E.164)
  std::string default_sender;   // tenant's first number, used when `our_number` is empty
  std::string opt_out_message;  // sent on STOP etc.; "" = send no confirmation
  std::string opt_in_message;   // sent on START etc.; "" = send no confirmation
  std::string help_message;     // sent on HELP/INFO; "" = send nothing
  std::function<std::string()> new_message_id;  // ids for sms_queued ("msg_..."); must be set
};

/// An inbound text that reached us through the webhook (already deduplicated
/// by MessageSid in the log).
struct receive_sms {
  events::sms_received sms;
  /// A contractor's HELP is answered by the ticket session (its help text
  /// lists the ticket commands), so the conversation sends no help text.
  bool help_answered_elsewhere = false;
};

/// Queue an outbound text to the party.
struct send_sms {
  std::string body;
  std::string trigger;  // "manual", "reply", ...
  std::optional<std::string> customer_id, contractor_id, job_id;
  /// Makes a repeat a no-op: a text queued before under the same id (per
  /// tenant) is not queued again (e.g. "notif:<job>:<trigger>:<time>").
  std::optional<std::string> external_id;
};

/// Twilio accepted a queued message and gave it its sid.
struct record_sent {
  std::string message_id;
  std::string message_sid;
};

/// A queued message will not be sent (refused permanently, or retries exhausted).
struct record_send_failure {
  std::string message_id;
  std::optional<std::int64_t> error_code;
  std::string error_message;
  bool permanent = true;
};

/// A delivery status callback.
struct record_status {
  std::string message_sid;
  std::string status;  // Twilio's name, case-sensitive ("sent", "delivered", ...)
  std::optional<std::int64_t> error_code;
};

/// Someone at the tenant read the conversation.
struct mark_read {};

/// Every command a conversation takes: a closed set.
using conversation_command =
    std::variant<receive_sms, send_sms, record_sent, record_send_failure, record_status, mark_read>;

/// Why `decide` refused a command. Numbers are pinned.
enum class conversation_errc : std::uint8_t {
  opted_out = 1,       // an outbound text to a number that opted out
  empty_body = 2,      // an outbound text with nothing but whitespace
  body_too_long = 3,   // over Twilio's 1600 characters
  unknown_status = 4,  // a status callback with a status name Twilio does not define
};

std::string_view to_string(conversation_errc code);

struct conversation_error {
  conversation_errc code = conversation_errc::opted_out;
  std::string message;
};

/// Twilio's limit on a message body, in characters (UTF-8 code points).
inline constexpr std::size_t max_body_code_points = 1600;

/// Decides the events `command` produces in `state`. Pure: reads nothing but
/// its arguments (ids come from `context.new_message_id`, called once per
/// `sms_queued`). An empty result means "nothing to do" (a repeat), not an
/// error.
///
/// - `receive_sms`: `sms_received`, then by compliance keyword
///   (`classify_keyword`):
///   - opt-out (STOP, ...): `opted_out{party, "keyword", keyword}` unless
///     already opted out, then the opt-out confirmation (`sms_queued`, trigger
///     "opt_out") — every time, even when already opted out: it is the one
///     text an opted-out number may receive;
///   - opt-in (START, YES, UNSTOP) while opted out: `opted_in` and the opt-in
///     confirmation (trigger "opt_in"); while not opted out, nothing more;
///   - help (HELP, INFO): the help text (trigger "help") unless opted out.
///   Keywords are recorded as typed, trimmed and upper-cased. Confirmations
///   go from `sms.to` (the number the party texted) to `party_phone`; an
///   empty configured text queues nothing.
/// - `send_sms`: `sms_queued` from `our_number` (or `default_sender`) to
///   `party_phone`, with a new message id and its segment count and encoding.
///   Errors: `opted_out`; `empty_body` (empty or whitespace only);
///   `body_too_long` (over 1600 code points).
/// - `record_sent`: `sms_sent` if the message is pending; otherwise nothing
///   (already sent or failed, or unknown: a repeat is not an error).
/// - `record_send_failure`: `sms_failed` if the message is pending, plus
///   `opted_out{party, "carrier"}` when Twilio's code is 21610 and the number
///   has not opted out yet; otherwise nothing.
/// - `record_status`: `sms_status_changed` when the status moves the message
///   forward (`status_advances`), otherwise nothing. A sid not linked to a
///   message yet (the callback beat the send's answer) is still recorded.
///   Error: `unknown_status`.
/// - `mark_read`: `conversation_read` with the unread count, when any
///   inbound text is unread; otherwise nothing.
[[nodiscard]] fl::expected<std::vector<events::event>, conversation_error> decide(
    const conversation_state& state, const conversation_command& command,
    const conversation_context& context);

/// Applies one event of the conversation's stream to `state`:
/// `sms_received` sets `our_number` to its `to`; `sms_queued` adds to
/// `pending` (queued at `recorded_at`) and sets `our_number` to its `from`;
/// `sms_sent` removes from `pending` and links the sid to the message;
/// `sms_failed` removes from `pending`; `sms_status_changed` records the
/// sid's status; `opted_out`/`opted_in` set/clear `opted_out`;
/// `sms_received` counts one more `unread`, `conversation_read` clears it. Other events
/// change nothing else. `version` grows by one for every event.
///
/// Live, the actor passes the `now` it decided with as `recorded_at`; a
/// recovery passes each record's `recorded_at` (the overload below).
void evolve(conversation_state& state, const events::event& event, fl::timestamp recorded_at = {});

/// `evolve` with the record's data and commit time: one step of recovery.
void evolve(conversation_state& state, const events::recorded_event& record);

}  // namespace fl::domain
