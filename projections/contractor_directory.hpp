#pragma once

// How the directory projection folds the contractor and property streams
// (see directory_projection.hpp for the keys).

#include <string_view>

#include "projections/projection.hpp"

namespace fl::projections {

/// Applies an event of `contractor:<tenant>:<id>`.
void apply_contractor_event(write_set& out, const events::recorded_event& e, std::string_view id);
/// Applies an event of `property:<tenant>:<id>`.
void apply_property_event(write_set& out, const events::recorded_event& e, std::string_view id);

}  // namespace fl::projections
