#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "projections/projection.hpp"

namespace fl::projections {

/// What writing a key to a table file costs besides its bytes, in bytes'
/// worth: the block builder's, the index's and the filter's work (measured:
/// about 95 ns a key and 2 ns a byte).
inline constexpr double table_key_cost = 48;

/// One table file of a bulk write-out: a run of one family's sorted entries,
/// and which of the two writing threads writes it.
struct planned_file {
  std::size_t family;  // index in the families planned
  std::size_t part;    // 0, 1, ... within its family, in key order
  std::span<const write_set::entry* const> entries;
  int thread;  // 0 or 1
};

/// Plans each family's sorted entries as table files shared between two
/// threads so that both finish together. The cost of writing entries is
/// their bytes plus a per-key overhead, estimated from a sample of them.
/// Families go whole, costliest first, to the thread with less work so far;
/// but the costliest, when it is a large share of the work, is saved for
/// last and cut in two where it evens the threads out. Families without
/// entries get no file (a table file cannot be empty). Files come in family
/// order, a family's parts in key order.
std::vector<planned_file> plan_table_files(
    const std::vector<std::span<const write_set::entry* const>>& families);

}  // namespace fl::projections
