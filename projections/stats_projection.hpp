#pragma once

#include <string>
#include <unordered_map>

#include "domain/local_calendar.hpp"
#include "projections/projection.hpp"
#include "projections/record_cache.hpp"
#include "projections/stats_counters.hpp"

namespace fl::projections {

/// Message counters per tenant-local day and month (the tenant's time zone,
/// from its `tenant_created`), the set of opted-out numbers and their count.
/// Each message's final status is counted once, however often callbacks
/// report it. Keys, after `<tenant>` NUL:
/// - `z` → the tenant's IANA time zone
/// - `d` YYYY-MM-DD / `M` YYYY-MM → stats_counters
/// - `f` sid (or `#` message id) → the final status counted for that message
/// - `o` phone → "" while opted out; `n` → be64(opted-out count)
class stats_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "stats";
  std::string_view name() const override { return family_name; }
  int version() const override { return 1; }
  void apply(const events::recorded_event& e, write_set& out) override;
  void end_batch(write_set& out) override;
  void before_commit(write_set& out) override;
  void reset_caches() override {
    zones_.clear();
    counters_.clear();
  }

 private:
  domain::local_date_finder& dates_of(const std::string& tenant, const write_set& out);
  std::unordered_map<std::string, domain::local_date_finder> zones_;
  // A tenant's counters change at nearly every text: kept decoded across batches.
  static constexpr std::size_t max_cached = 10'000;
  record_cache<std::string, stats_counters> counters_;
};

}  // namespace fl::projections
