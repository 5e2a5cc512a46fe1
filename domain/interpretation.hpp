#pragma once

// What a contractor's text means for their winter-service ticket: the
// intent and the work it reports (equipment, salt, notes, times), as the
// built-in rules interpreter or Claude read it. Stored on the inbound
// message (`ai_interpretation`) and applied to the ticket by the ticket
// session.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fl::domain {

/// What the contractor wants. "status" and "help" answer without touching
/// a ticket; "unknown" gets a short hint.
enum class ticket_intent : std::uint8_t {
  start_ticket,     // START, BEGIN, NEW TICKET
  complete_ticket,  // DONE, FINISHED, COMPLETE (optionally with details: "DONE 5 bags")
  provide_details,  // equipment, quantities, notes
  query_address,    // "address?", "where is target"
  status,           // "status", "status of tickets"
  help,             // HELP
  unknown,
};

/// "start_ticket", "complete_ticket", "provide_details", "query_address",
/// "status", "help", "unknown".
std::string_view to_string(ticket_intent i);
std::optional<ticket_intent> parse_ticket_intent(std::string_view name);

enum class salt_unit : std::uint8_t { yards, tons };
std::string_view to_string(salt_unit u);  // "yards", "tons"
std::optional<salt_unit> parse_salt_unit(std::string_view name);

struct bulk_salt {
  double quantity = 0;
  salt_unit unit = salt_unit::yards;
  friend bool operator==(const bulk_salt&, const bulk_salt&) = default;
};

enum class interpretation_confidence : std::uint8_t { high, medium, low };
std::string_view to_string(interpretation_confidence c);  // "high", "medium", "low"
std::optional<interpretation_confidence> parse_interpretation_confidence(std::string_view name);

/// A time of day on the tenant's clock ("started at 2am" → 02:00), minutes
/// after local midnight, 0..1439. The ticket places it on the calendar.
struct local_time_of_day {
  int minutes = 0;
  friend bool operator==(const local_time_of_day&, const local_time_of_day&) = default;
};

/// Who read the text.
enum class interpreter_kind : std::uint8_t { rules, claude };
std::string_view to_string(interpreter_kind k);  // "rules", "claude"
std::optional<interpreter_kind> parse_interpreter_kind(std::string_view name);

/// One text, read.
struct interpretation {
  ticket_intent intent = ticket_intent::unknown;
  // Canonical lowercase names ("plow truck", "skid steer", "loader",
  // "salt truck", "shovel", "snow blower", ...), each once, in the order
  // the text names them.
  std::vector<std::string> equipment;
  std::optional<domain::bulk_salt> bulk_salt;
  std::optional<double> bag_salt;          // bags
  std::optional<double> calcium_chloride;  // bags
  // What the text says besides the above ("icy conditions"), as written
  // (trimmed); none when nothing is left.
  std::optional<std::string> notes;
  std::optional<local_time_of_day> work_started_at;
  std::optional<local_time_of_day> work_finished_at;
  // For query_address and for answers to "which property?": the name or
  // number the text gives ("target", "2"), lowercased; none otherwise. The
  // rules interpreter also sets it for START/DONE followed only by a name
  // ("START Home Depot" → "home depot"), and for a number alone ("2": also
  // read as 2 bags, medium) — the session uses it only when it asked which
  // property (docs/interpretation.md).
  std::optional<std::string> property_hint;
  interpretation_confidence confidence = interpretation_confidence::low;
  interpreter_kind interpreter = interpreter_kind::rules;

  /// Whether it reports any material quantity (bulk salt, bag salt, calcium).
  bool has_quantities() const { return bulk_salt || bag_salt || calcium_chloride; }
  /// Whether it reports any work at all (equipment, quantities, notes, times).
  bool has_details() const {
    return !equipment.empty() || has_quantities() || notes || work_started_at || work_finished_at;
  }
  friend bool operator==(const interpretation&, const interpretation&) = default;
};

}  // namespace fl::domain
