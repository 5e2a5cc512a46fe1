#pragma once

// The tickets routes' answers (`/tickets`), written with json_out: keys in
// ascending order, times RFC 3339 UTC.

#include <string>

#include "projections/ticket_reads.hpp"

namespace fl::http {

/// `{id, contractor_id, property_id, property_name, status, started_at,
/// completed_at, equipment, bulk_salt: {quantity, unit}|null, bag_salt,
/// calcium_chloride, notes, work_started_at, work_finished_at, updated_at}`;
/// what was never reported is null.
std::string ticket_json(const projections::ticket_record& t);
/// `{"items": [...], "next_cursor": ...}`
std::string tickets_json(const projections::ticket_page& page);

}  // namespace fl::http
