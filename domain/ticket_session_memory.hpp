#pragma once

// A ticket session as its actor keeps it: the machine's state, plus the
// recent texts (so a retried webhook is answered, not applied twice) and
// the recent tickets (for "status"). Folded from the session's stream.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/timestamp.hpp"
#include "domain/interpretation.hpp"
#include "domain/interpreter.hpp"
#include "domain/ticket_session.hpp"
#include "events/event.hpp"

namespace fl::domain {

/// A text the session read, by the MessageSid it came with.
struct remembered_text {
  std::string message_sid;
  std::vector<std::string> replies;
  friend bool operator==(const remembered_text&, const remembered_text&) = default;
};

/// A ticket of the session, open or completed.
struct remembered_ticket {
  std::string id;
  std::string property_name;
  fl::timestamp started_at;
  std::optional<fl::timestamp> completed_at;
  friend bool operator==(const remembered_ticket&, const remembered_ticket&) = default;
};

struct ticket_session_memory {
  /// Texts remembered for retries: Twilio retries a webhook within minutes,
  /// long before 64 more texts of one contractor arrive.
  static constexpr std::size_t max_texts = 64;
  /// Tickets remembered for "status": more than a crew runs in a day.
  static constexpr std::size_t max_tickets = 32;

  ticket_session_state session;  // `session.version` counts every event of the stream
  std::deque<remembered_text> texts;
  std::deque<remembered_ticket> tickets;
  friend bool operator==(const ticket_session_memory&, const ticket_session_memory&) = default;
};

/// Folds one event of the session's stream; events of other streams'
/// kinds are counted in the version but change nothing else.
void remember(ticket_session_memory& memory, const events::event& event, fl::timestamp recorded_at);

/// The text read under `message_sid`, if it is one of the remembered ones.
const remembered_text* find_text(const ticket_session_memory& memory, std::string_view message_sid);

/// The open ticket and those completed today on the tenant's clock (UTC
/// when `zone` is null), oldest first: what "status" lists.
std::vector<ticket_summary> todays_tickets(const ticket_session_memory& memory, fl::timestamp now,
                                           const date::time_zone* zone);

/// The event that records how a text was read and answered.
events::ticket_text_read text_read(std::string message_sid, const interpretation& reading,
                                   std::optional<std::string> fallback_reason,
                                   std::vector<std::string> replies);

/// The reading an event recorded (what `ai_interpretation` shows).
interpretation reading_of(const events::ticket_text_read& event);
/// The reading with who read it, as the interpreter answered it.
interpreter_result result_of(const events::ticket_text_read& event);

}  // namespace fl::domain
