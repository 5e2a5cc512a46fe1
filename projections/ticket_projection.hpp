#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "projections/projection.hpp"

namespace fl::projections {

/// The contractors' winter-service tickets, one record per ticket, folded
/// from the ticket sessions' streams (`ticket-session:<tenant>:<contractor>`).
/// Keys, after `<tenant>` NUL:
/// - `t` be64(~position) → ticket_record, `position` that of its
///   `ticket_started`: newest first in key order, so a listing reads
///   forward, and a ticket never moves once started (pages stay stable).
/// - `i` ticket id → be64(position): where the ticket's record is.
///
/// A second `ticket_started` with a ticket id already known, details or a
/// completion for a ticket unknown, already completed or of another
/// contractor change nothing (the session never writes them).
class ticket_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "tickets";
  std::string_view name() const override { return family_name; }
  int version() const override { return 1; }
  void apply(const events::recorded_event& e, write_set& out) override;

  static std::string record_key(std::string_view tenant, std::uint64_t position);
  static std::string id_key(std::string_view tenant, std::string_view ticket_id);
  static constexpr char record_tag = 't';
  static constexpr char id_tag = 'i';
};

}  // namespace fl::projections
