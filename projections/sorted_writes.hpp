#pragma once

#include <vector>

#include "projections/projection.hpp"

namespace fl::projections {

/// A write set's entries in ascending byte order of their keys, as table
/// files and sorted batches need them.
std::vector<const write_set::entry*> in_key_order(const write_set& writes);

}  // namespace fl::projections
