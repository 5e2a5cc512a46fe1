#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "projections/conversation_projection.hpp"
#include "projections/directory_projection.hpp"
#include "projections/message_projection.hpp"
#include "projections/outbox_projection.hpp"
#include "projections/projection_db.hpp"
#include "projections/stats_projection.hpp"
#include "projections/ticket_projection.hpp"
#include "storage/event_store.hpp"

namespace fl::projections {

/// Every projection of the server, one instance each.
struct projection_set {
  message_projection messages;
  conversation_projection conversations;
  stats_projection stats;
  outbox_projection outbox;
  directory_projection directory;
  ticket_projection tickets;

  std::vector<projection*> all() {
    return {&messages, &conversations, &stats, &outbox, &directory, &tickets};
  }
  static std::vector<std::string> names() {
    return {std::string(message_projection::family_name),
            std::string(conversation_projection::family_name),
            std::string(stats_projection::family_name),
            std::string(outbox_projection::family_name),
            std::string(directory_projection::family_name),
            std::string(ticket_projection::family_name)};
  }
};

/// Where the projections live inside a data directory.
inline std::filesystem::path projections_dir(const std::filesystem::path& data_dir) {
  return data_dir / "projections";
}

/// Drops every projection in `dir` and rebuilds it from position 0 of the log.
/// Returns the number of events applied.
expected<std::uint64_t, std::string> rebuild_all(const storage::event_store& store,
                                                 const std::filesystem::path& dir);

/// What comparing live projections with a fresh rebuild found.
struct projection_check {
  bool ok = true;
  std::uint64_t position = 0;           // the log position both were compared at
  std::vector<std::string> mismatches;  // "messages: 120 keys live, 121 rebuilt", ...
};

/// Rebuilds the projections from the log up to the live ones' checkpoint in
/// a scratch directory (removed afterwards) and compares them key by key
/// (as SHA-256 digests): all of them, or only `tenant`'s part, rebuilt from
/// that tenant's events alone.
expected<projection_check, std::string> check_against_rebuild(
    const storage::event_store& store, const projection_db& live,
    std::optional<std::string_view> tenant, const std::filesystem::path& scratch_dir);

}  // namespace fl::projections
