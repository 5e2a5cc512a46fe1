#pragma once

#include <thread>

namespace fl::projections {

/// Runs `work(0)` on a thread of its own and `work(1)` on this one (or both
/// here, one after the other, when `two_threads` is false); returns when
/// both are done.
template <class Work>
void in_parts(bool two_threads, Work work) {
  if (!two_threads) {
    work(0);
    work(1);
    return;
  }
  std::thread first([&] { work(0); });
  work(1);
  first.join();
}

}  // namespace fl::projections
