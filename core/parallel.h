// The engine's worker threads: a loop over [0, count) is cut into one
// contiguous part per thread, the caller running the first. Which thread
// computes a part never changes what it computes, so a kernel that gives
// each output element to exactly one part (and sums it in a fixed order)
// gives bit-identical results with any number of threads.
//
// One pool per process, 1 thread (the caller alone) until set_thread_count;
// calls come from one thread at a time (the engine's). The pool's threads
// spin briefly between parts, then sleep.
#pragma once

#include <algorithm>

namespace latentlab {

// Starts or stops threads so that `count` (>= 1) take part in parallel_for.
void set_thread_count(int count);
int thread_count();

namespace detail {
using PartFunction = void (*)(const void* body, long begin, long end, int part);
void run_parts(long count, int parts, PartFunction function, const void* body);
}  // namespace detail

// Calls body(begin, end, part) for the parts of [0, count), on up to
// thread_count() threads, with at least `grain` iterations in each part.
// `body` must not throw.
template <typename Body>
void parallel_for(long count, long grain, const Body& body) {
  const long most = std::max(1L, count / std::max(1L, grain));
  const int parts = static_cast<int>(std::min<long>(thread_count(), most));
  if (parts <= 1) {
    if (count > 0) body(0L, count, 0);
    return;
  }
  detail::run_parts(
      count, parts,
      [](const void* b, long begin, long end, int part) {
        (*static_cast<const Body*>(b))(begin, end, part);
      },
      &body);
}

}  // namespace latentlab
