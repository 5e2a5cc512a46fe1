#pragma once

// A contractor's ticket session: the seed's five states and what each text
// does in them. Pure decide and evolve over plain values; the ticket
// session actor holds the state, appends the events and texts the replies.
// The state diagram is in docs/ticket_session.md.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/timestamp.hpp"
#include "domain/interpretation.hpp"
#include "domain/property_match.hpp"
#include "events/ticket_events.hpp"

namespace date {
class time_zone;
}

namespace fl::domain {

enum class session_stage : std::uint8_t {
  idle,                           // no open ticket
  awaiting_start_confirmation,    // START with several properties: which one?
  collecting_ticket_details,      // a ticket is open and takes details
  awaiting_completion,            // "done?" unclear: close the ticket?
  collecting_completion_details,  // DONE without any quantity: how much salt?
};

/// The seed's names: "idle", "awaiting_start_confirmation", ...
std::string_view to_string(session_stage s);
std::optional<session_stage> parse_session_stage(std::string_view name);

/// The open ticket as its events made it.
struct open_ticket {
  std::string id;
  std::string property_id;
  std::string property_name;
  fl::timestamp started_at;
  std::vector<std::string> equipment;
  std::optional<bulk_salt> bulk;
  std::optional<double> bag_salt;
  std::optional<double> calcium_chloride;
  std::vector<std::string> notes;
  std::optional<fl::timestamp> work_started_at;
  std::optional<fl::timestamp> work_finished_at;
  bool has_quantities() const { return bulk || bag_salt || calcium_chloride; }
  friend bool operator==(const open_ticket&, const open_ticket&) = default;
};

struct ticket_session_state {
  std::uint64_t version = 0;  // stream version after the last evolved event
  session_stage stage = session_stage::idle;
  std::vector<std::string> choices;  // property ids offered, while awaiting_start_confirmation
  std::optional<open_ticket> ticket;
  friend bool operator==(const ticket_session_state&, const ticket_session_state&) = default;
};

/// A ticket of the contractor, for "status".
struct ticket_summary {
  std::string property_name;
  bool open = false;
  fl::timestamp started_at;
};

/// What `decide` reads besides the state.
struct ticket_session_context {
  fl::timestamp now;
  const date::time_zone* zone = nullptr;       // the tenant's; UTC when null
  std::vector<property_ref> assigned;          // the contractor's properties, in assignment order
  std::vector<ticket_summary> todays_tickets;  // completed today (tenant-local) and open ones
  std::function<std::string()> new_ticket_id;  // must be set
};

/// One text from the contractor, with how it was read.
struct contractor_text {
  std::string message_id;
  std::string body;
  interpretation reading;
};

/// What a session event is: a closed set.
using ticket_session_event = std::variant<events::ticket_started, events::ticket_details_added,
                                          events::ticket_completed, events::ticket_session_moved>;

/// The events a text produces and the replies to text back, in order.
struct session_decision {
  std::vector<ticket_session_event> events;
  std::vector<std::string> replies;
};

/// What `text` does in `state`. Every text gets at least one reply. Pure.
///
/// In every state: HELP → the help text; "status" → the contractor's open
/// and today's tickets; an address question → the named (else the open)
/// property's address. Otherwise, by state:
/// - idle: START with one property starts its ticket; with several lists
///   them (→ awaiting_start_confirmation); with none says so. DONE says no
///   ticket is open. Details say to START first. Nothing else changes.
/// - awaiting_start_confirmation: a number or a name (typos and partial
///   names too) starts that property's ticket; START lists again; anything
///   else asks again for a number or a name.
/// - collecting_ticket_details: details read with high or medium confidence
///   are added ("Ticket updated!"); low confidence asks one clarifying
///   question and writes nothing. DONE adds the details it carries, then
///   completes the ticket (→ idle) if it has any quantity, else asks for
///   them once (→ collecting_completion_details). A completion read with
///   less than high confidence asks to confirm (→ awaiting_completion).
///   START names the open ticket.
/// - awaiting_completion: DONE or YES completes as above; NO, or details,
///   go back to collecting (details added).
/// - collecting_completion_details: quantities or other details are added
///   and complete the ticket; DONE again completes it as it is; anything
///   unreadable asks once more.
session_decision decide(const ticket_session_state& state, const contractor_text& text,
                        const ticket_session_context& context);

/// Adds the details of one text to `ticket` (docs/ticket_session.md):
/// quantities add up, equipment is listed once, notes accumulate, a time
/// replaces the earlier one, and a bulk quantity in the other unit replaces
/// the bulk quantity. Does not check that `details` is about `ticket`. Pure;
/// shared by `evolve` and the tickets projection.
void add_details(open_ticket& ticket, const events::ticket_details_added& details);

/// Applies one event of the session's stream; `recorded_at` dates a
/// started ticket. `version` grows by one for every event.
void evolve(ticket_session_state& state, const ticket_session_event& event,
            fl::timestamp recorded_at);

/// The instant of `t` on the tenant's clock most recently at or before
/// `now` ("started at 2am" said at 5 AM is today's 2 AM; said at 1 AM,
/// yesterday's).
fl::timestamp latest_local(local_time_of_day t, fl::timestamp now, const date::time_zone* zone);

}  // namespace fl::domain
