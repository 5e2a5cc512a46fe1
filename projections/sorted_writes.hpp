#pragma once

#include <vector>

#include "projections/projection.hpp"

namespace fl::projections {

/// A write set's entries in ascending byte order of their keys, as table
/// files and sorted batches need them; `without_deletes` leaves the deletes
/// out (of keys never stored, when nothing was). `two_threads`: a large set
/// is sorted by this thread and one more.
std::vector<const write_set::entry*> in_key_order(const write_set& writes,
                                                  bool without_deletes = false,
                                                  bool two_threads = false);

}  // namespace fl::projections
