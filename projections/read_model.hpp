#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/expected.hpp"
#include "base/timestamp.hpp"
#include "projections/conversation_record.hpp"
#include "projections/message_record.hpp"
#include "projections/projection_db.hpp"
#include "projections/stats_counters.hpp"

namespace fl::projections {

/// A query the read model refuses: which parameter and why.
struct query_error {
  std::string parameter;
  std::string message;
};

struct page_request {
  std::size_t limit = 50;
  std::optional<std::string> cursor;  // from a previous page's `next_cursor`
};

struct message_filter {
  std::optional<std::string> direction, status, trigger, customer_id, contractor_id;
  std::optional<fl::timestamp> since;
};

struct message_page {
  std::vector<message_record> items;
  std::optional<std::string> next_cursor;
};

struct conversation_page {
  std::vector<conversation_record> items;
  std::optional<std::string> next_cursor;
};

struct conversation_detail {
  conversation_record conversation;
  std::vector<message_record> messages;  // oldest first
  std::optional<std::string> next_cursor;
};

/// Records of one kind as stored (`encode`d), back to back in one buffer: a
/// page read without a string per field, for answers written straight from
/// it (`view_message`, `view_conversation`).
class stored_records {
 public:
  std::size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  std::string_view operator[](std::size_t i) const {
    return std::string_view(bytes_).substr(spans_[i].first, spans_[i].second);
  }
  std::string_view back() const { return (*this)[size() - 1]; }
  void reserve(std::size_t records, std::size_t bytes) {
    spans_.reserve(records);
    bytes_.reserve(bytes);
  }
  void push_back(std::string_view record) {
    spans_.emplace_back(bytes_.size(), record.size());
    bytes_.append(record);
  }
  /// Replaces record `i` (its old bytes stay, unused).
  void replace(std::size_t i, std::string_view record) {
    spans_[i] = {bytes_.size(), record.size()};
    bytes_.append(record);
  }

 private:
  std::string bytes_;
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // offset, size
};

struct stored_page {
  stored_records items;
  std::optional<std::string> next_cursor;
};

struct stored_conversation_detail {
  std::string conversation;  // the stored conversation_record
  stored_records messages;   // oldest first
  std::optional<std::string> next_cursor;
};

struct stats_view {
  std::string day, month;  // tenant-local, YYYY-MM-DD / YYYY-MM
  stats_counters today, this_month;
  std::uint64_t opted_out = 0;
};

/// The queries of the admin API over the projections. Each reads one
/// RocksDB snapshot, so a page is consistent even while the projector writes.
///
/// Pages are stable under concurrent writes: messages are listed newest
/// first by the position that created them and a cursor is a position, so
/// new messages never shift later pages. Conversations are listed by latest
/// message; the cursor also pins the position the listing started at, and
/// later pages are read as of that position (a conversation that moves to
/// the top meanwhile is neither repeated nor skipped).
class read_model {
 public:
  explicit read_model(const projection_db& db);

  /// At most this many records are examined for one page of a filtered
  /// listing; a page may then be short, with a cursor to go on.
  static constexpr std::size_t scan_budget = 5000;
  static constexpr std::size_t max_limit = 500;

  expected<message_page, query_error> messages(std::string_view tenant,
                                               const message_filter& filter,
                                               const page_request& page) const;
  expected<conversation_page, query_error> conversations(std::string_view tenant,
                                                         const page_request& page) const;
  /// Nullopt: no such conversation (for this tenant).
  expected<std::optional<conversation_detail>, query_error> conversation(
      std::string_view tenant, std::string_view phone, const page_request& page) const;

  /// The same pages with their records as stored (what the above decode).
  expected<stored_page, query_error> stored_messages(std::string_view tenant,
                                                     const message_filter& filter,
                                                     const page_request& page) const;
  expected<stored_page, query_error> stored_conversations(std::string_view tenant,
                                                          const page_request& page) const;
  expected<std::optional<stored_conversation_detail>, query_error> stored_conversation(
      std::string_view tenant, std::string_view phone, const page_request& page) const;
  stats_view stats(std::string_view tenant, std::string_view day) const;

 private:
  const projection_db& db_;
  std::size_t messages_, conversations_, stats_;
};

}  // namespace fl::projections
