#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "projections/contractor_record.hpp"
#include "projections/directory_record.hpp"
#include "projections/projection_db.hpp"
#include "projections/read_model.hpp"

namespace fl::projections {

template <class Record>
struct directory_page {
  std::vector<Record> items;
  std::optional<std::string> next_cursor;
};

/// What `/jobs` may be narrowed to; each given field must match.
struct job_filter {
  std::optional<std::string> status, technician_id, customer_id;
};

/// The directory's queries (`directory_projection`), each over one RocksDB
/// snapshot. Lists are in id order (bytewise) and a cursor is the last id a
/// page examined, so pages stay stable while the directory changes: an
/// entry is never repeated or skipped (one created meanwhile shows on a
/// later page if its id sorts after the cursor).
class directory_reads {
 public:
  explicit directory_reads(const projection_db& db);

  /// At most this many records are examined for one page of a filtered
  /// listing; a page may then be short, with a cursor to go on.
  static constexpr std::size_t scan_budget = 5000;

  expected<directory_page<customer_record>, query_error> customers(std::string_view tenant,
                                                                   const page_request& page) const;
  std::optional<customer_record> customer(std::string_view tenant, std::string_view id) const;
  /// The customers whose phone is `phone` (E.164), by id.
  std::vector<customer_record> customers_with_phone(std::string_view tenant,
                                                    std::string_view phone) const;

  expected<directory_page<technician_record>, query_error> technicians(
      std::string_view tenant, const page_request& page) const;
  std::optional<technician_record> technician(std::string_view tenant, std::string_view id) const;

  expected<directory_page<job_record>, query_error> jobs(std::string_view tenant,
                                                         const job_filter& filter,
                                                         const page_request& page) const;
  std::optional<job_record> job(std::string_view tenant, std::string_view id) const;

  expected<directory_page<contractor_record>, query_error> contractors(
      std::string_view tenant, const page_request& page) const;
  /// The contractor `id` of the tenant, if any. Errors: an id that is no
  /// entity id (`parameter` "id"); a stored record that does not read.
  expected<std::optional<contractor_record>, query_error> contractor(std::string_view tenant,
                                                                     std::string_view id) const;
  /// The contractor whose phone is `e164` in the tenant, if any. Errors: a
  /// phone that is not "+" and digits (`parameter` "phone").
  expected<std::optional<contractor_record>, query_error> contractor_by_phone(
      std::string_view tenant, std::string_view e164) const;
  /// The contractor's properties in assignment order (id, name, address);
  /// empty for an unknown contractor. Errors as `contractor`.
  expected<std::vector<property_record>, query_error> properties_of(
      std::string_view tenant, std::string_view contractor_id) const;

  expected<directory_page<property_record>, query_error> properties(std::string_view tenant,
                                                                    const page_request& page) const;
  std::optional<property_record> property(std::string_view tenant, std::string_view id) const;

 private:
  const projection_db& db_;
  std::size_t family_;
};

}  // namespace fl::projections
