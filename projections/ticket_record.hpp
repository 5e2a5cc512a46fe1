#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/ticket_session.hpp"

namespace fl::projections {

/// Where a ticket stands: open until its `ticket_completed`.
enum class ticket_status : std::uint8_t { open, completed };
std::string_view to_string(ticket_status s);  // "open", "completed"
std::optional<ticket_status> parse_ticket_status(std::string_view name);

/// A winter-service ticket as `/tickets` shows it: what its session's
/// events made it. The details add up as the session's own `evolve` adds
/// them (`domain::add_details`), so both read a ticket the same way.
struct ticket_record {
  std::string contractor_id;  // from the session's stream name
  /// Id, property, `started_at` (the `ticket_started` event's recorded
  /// time) and the details so far.
  domain::open_ticket ticket;
  std::optional<std::int64_t> completed_at_us;  // the `ticket_completed` event's recorded time
  std::uint64_t position = 0;                   // of `ticket_started`: the list's order
  std::int64_t updated_at_us = 0;               // the last event that changed it
  ticket_status status() const {
    return completed_at_us ? ticket_status::completed : ticket_status::open;
  }
  friend bool operator==(const ticket_record&, const ticket_record&) = default;
};

std::string encode(const ticket_record& t);
/// Nullopt if `bytes` is not such a record.
std::optional<ticket_record> decode_ticket(std::string_view bytes);

}  // namespace fl::projections
