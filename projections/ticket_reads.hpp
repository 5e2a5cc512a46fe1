#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "projections/projection_db.hpp"
#include "projections/read_model.hpp"
#include "projections/ticket_record.hpp"

namespace fl::projections {

/// What `/tickets` may be narrowed to; each given field must match.
struct ticket_filter {
  std::optional<ticket_status> status;
  std::optional<std::string> contractor_id, property_id;
};

struct ticket_page {
  std::vector<ticket_record> items;
  std::optional<std::string> next_cursor;
};

/// The tickets' queries (`ticket_projection`), each over one RocksDB
/// snapshot. Tickets are listed newest first by the log position that
/// started them, and a cursor is the position of the last ticket a page
/// examined, so pages stay stable while tickets are started and change: a
/// ticket never moves, one started meanwhile sorts before every cursor, and
/// no ticket is repeated or skipped.
class ticket_reads {
 public:
  explicit ticket_reads(const projection_db& db);

  /// At most this many tickets are examined for one page of a filtered
  /// listing; a page may then be short, with a cursor to go on.
  static constexpr std::size_t scan_budget = 5000;

  /// Errors: a cursor no listing gave out (parameter "cursor"). `limit` is
  /// clamped to 1..read_model::max_limit.
  expected<ticket_page, query_error> tickets(std::string_view tenant, const ticket_filter& filter,
                                             const page_request& page) const;
  /// Nullopt: no such ticket for this tenant.
  std::optional<ticket_record> ticket(std::string_view tenant, std::string_view id) const;

 private:
  const projection_db& db_;
  std::size_t family_;
};

}  // namespace fl::projections
