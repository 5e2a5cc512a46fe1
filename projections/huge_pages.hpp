#pragma once

// Large buffers that a rebuild reads at random (a write set's hash table,
// entries and arena: tens to hundreds of MB) are asked to be backed by 2 MB
// pages: in this VM a TLB miss walks two page tables, and with 4 KB pages
// nearly every probe misses the TLB. Small buffers use the ordinary heap.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace fl::projections {

inline constexpr std::size_t huge_page = std::size_t{2} << 20;

/// At least `bytes` of memory, huge-page backed when `bytes` reaches a huge
/// page; free with `free_huge(p, bytes)` (the same `bytes`).
inline void* allocate_huge(std::size_t bytes) {
  if (bytes < huge_page) return ::operator new(bytes);
  const std::size_t rounded = (bytes + huge_page - 1) & ~(huge_page - 1);
  void* p = std::aligned_alloc(huge_page, rounded);
  if (!p) throw std::bad_alloc();
  ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: a failure changes nothing
  return p;
}

inline void free_huge(void* p, std::size_t bytes) {
  if (bytes < huge_page)
    ::operator delete(p);
  else
    std::free(p);
}

/// A std::allocator that puts large arrays on huge pages.
template <class T>
struct huge_page_allocator {
  using value_type = T;
  huge_page_allocator() = default;
  template <class U>
  huge_page_allocator(const huge_page_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_huge(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_huge(p, n * sizeof(T)); }
  template <class U>
  friend bool operator==(const huge_page_allocator&, const huge_page_allocator<U>&) {
    return true;
  }
};

}  // namespace fl::projections
