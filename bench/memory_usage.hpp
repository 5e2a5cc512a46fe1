#pragma once

// Memory figures for the benchmarks: the resident set size and what glibc's
// malloc has handed out, before and after giving free pages back.

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>

namespace fl::bench {

/// This process's resident set size in bytes (/proc/self/statm).
inline std::uint64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

/// Bytes glibc's malloc has handed out and not been given back, over every
/// arena, chunk headers included (`mallinfo2`: uordblks + hblkhd). Free
/// memory malloc keeps is not counted; RSS counts it until `trim_heap`.
inline std::uint64_t heap_in_use_bytes() {
  const struct mallinfo2 m = ::mallinfo2();
  return static_cast<std::uint64_t>(m.uordblks) + static_cast<std::uint64_t>(m.hblkhd);
}

/// Gives malloc's free pages back to the kernel (`malloc_trim(0)`), so that
/// the RSS counts what is in use rather than what was once used.
inline void trim_heap() {
  ::malloc_trim(0);
}

struct memory_sample {
  std::uint64_t rss = 0;   // resident set size, bytes
  std::uint64_t heap = 0;  // malloc'd and not freed, bytes
};

inline memory_sample sample_memory() {
  return {resident_bytes(), heap_in_use_bytes()};
}

/// (after - before) / n as a signed figure, for "bytes per object".
inline double per_item(std::uint64_t before, std::uint64_t after, std::uint64_t n) {
  if (n == 0) return 0;
  return (static_cast<double>(after) - static_cast<double>(before)) / static_cast<double>(n);
}

/// The size of the chunk glibc's malloc uses for a request of `n` bytes on
/// a 64-bit machine: n plus an 8-byte header, rounded up to 16, at least 32.
inline std::size_t malloc_chunk_bytes(std::size_t n) {
  if (n == 0) return 0;
  return std::max<std::size_t>(32, (n + 8 + 15) / 16 * 16);
}

}  // namespace fl::bench
