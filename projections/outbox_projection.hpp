#pragma once

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "projections/projection.hpp"
#include "projections/projection_db.hpp"

namespace fl::projections {

/// What the outbox must know at start, without reading the whole log: the
/// messages queued but neither sent nor failed (their conversations resume
/// them) and the numbers opted out now (the outbox's last check).
/// Keys, after `<tenant>` NUL:
/// - `q` phone NUL message_id → "" while the message is unsent
/// - `o` phone → "" while the number is opted out
class outbox_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "outbox";
  std::string_view name() const override { return family_name; }
  int version() const override { return 1; }
  void apply(const events::recorded_event& e, write_set& out) override;
  void before_commit(write_set& out) override;
  void reset_caches() override;
  void from_checkpoint(std::uint64_t checkpoint, const stored_scan& stored) override;

  struct recovery {
    std::vector<std::pair<std::string, std::string>> with_unsent;  // (tenant, phone), distinct
    std::vector<std::pair<std::string, std::string>> opted_out;    // (tenant, phone)
  };
  /// Reads the committed state (every tenant).
  static recovery read(const projection_db& db);

 private:
  // Messages queued since the last commit and still unsent: most are sent
  // within the same batch, so their key is never written.
  std::unordered_set<std::string> unsent_;
  // The unsent texts' keys stored (read at `from_checkpoint`, then those
  // written since): few, texts still unsent at a commit.
  std::unordered_set<std::string> stored_;
};

}  // namespace fl::projections
