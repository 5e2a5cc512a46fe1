#pragma once

#include "projections/projection.hpp"

namespace fl::projections {

/// One record per conversation, and an activity index that keeps the list
/// ordered by latest message and its pages stable while messages arrive.
/// Keys, after `<tenant>` NUL:
/// - `v` phone → conversation_record
/// - `a` be64(position) → activity_entry: the conversation whose message
///   that was; superseded (not deleted) when a newer message comes, so a
///   listing can be read as of a position (see read_model).
class conversation_projection final : public projection {
 public:
  static constexpr std::string_view family_name = "conversations";
  std::string_view name() const override { return family_name; }
  int version() const override { return 1; }
  void apply(const events::recorded_event& e, write_set& out) override;
};

}  // namespace fl::projections
