#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace fl::projections {

/// Memory for the large structures of a rebuild (a write set's table and
/// arena), which are read at random: in 2 MB pages where the kernel offers
/// them (transparent huge pages, "madvise" mode), one TLB entry then covers
/// what 512 small pages would need. Smaller blocks are ordinary ones.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

inline void* allocate_large(std::size_t bytes) {
  if (bytes < huge_page_bytes) return ::operator new(bytes);
  void* p = ::operator new (bytes, std::align_val_t{huge_page_bytes});
  // Only advice: without huge pages the memory is as good.
  ::madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}

inline void free_large(void* p, std::size_t bytes) {
  if (bytes < huge_page_bytes)
    ::operator delete(p);
  else
    ::operator delete (p, std::align_val_t{huge_page_bytes});
}

/// A std::allocator that places large arrays with `allocate_large`.
template <class T>
struct large_allocator {
  using value_type = T;
  large_allocator() = default;
  template <class U>
  large_allocator(const large_allocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_large(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) { free_large(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const large_allocator<U>&) const {
    return true;
  }
};

}  // namespace fl::projections
