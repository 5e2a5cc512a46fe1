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

/// Into how many pieces of about equal cost a write-out's large families are
/// cut: the writing threads each take the next piece when done with one, so
/// they finish at most about a piece apart.
inline constexpr std::size_t table_file_pieces = 8;

/// One table file of a bulk write-out: a run of one family's sorted entries.
struct planned_file {
  std::size_t family;  // index in the families planned
  std::size_t part;    // 0, 1, ... within its family, in key order
  std::span<const write_set::entry* const> entries;
};

/// Plans each family's sorted entries as table files for threads that each
/// take the next file when done with one. The cost of writing entries is
/// their bytes plus a per-key overhead, estimated from a sample of them. A
/// large family costing more than a piece (the write-out's cost over
/// `table_file_pieces`) is cut into pieces of about that cost; the others
/// stay whole. Files come costliest first, so the last ones taken are small;
/// families without entries get none (a table file cannot be empty).
std::vector<planned_file> plan_table_files(
    const std::vector<std::span<const write_set::entry* const>>& families);

}  // namespace fl::projections
