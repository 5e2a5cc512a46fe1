#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fl::domain {

/// Where an outbound message is, as Twilio's status callbacks say it.
enum class message_status : std::uint8_t {
  accepted,  // Messaging Service accepted it, no sender chosen yet
  scheduled,
  queued,
  sending,
  sent,
  delivered,    // final
  undelivered,  // final
  failed,       // final
  read,         // after delivered, on channels that report it
  canceled,     // final: a scheduled message canceled
};

std::string_view to_string(message_status s);

/// Twilio's status name (case-sensitive, as sent); nullopt if unknown.
std::optional<message_status> parse_message_status(std::string_view name);

/// delivered, undelivered, failed and canceled: nothing moves a message back.
bool is_final(message_status s);

/// Whether a callback reporting `incoming` moves a message now at `current`
/// (nullopt: no status yet). Callbacks arrive out of order and repeated, so a
/// status only ever moves forward: queued < sending < sent < final; a final
/// status is never replaced by another one, except that `read` may follow
/// `delivered`. A repeat of the current status is not a move.
bool status_advances(std::optional<message_status> current, message_status incoming);

}  // namespace fl::domain
