// The engine's worker threads: a loop over [0, count) is cut into a few
// contiguous parts per thread, big ones first and small ones last, which the
// threads (the caller among them) take as they become free, so that a thread
// the machine slows down leaves its share to the others and all end
// together. Which thread computes a part, and where the parts end, never
// changes what it computes: a kernel that gives each output element to
// exactly one part (and sums it in a fixed order) gives bit-identical
// results with any number of threads.
//
// One pool per process, 1 thread (the caller alone) until set_thread_count;
// calls come from one thread at a time (the engine's). The pool's threads
// spin briefly between loops, then sleep.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace latentlab {

// The most threads the pool runs.
inline constexpr int kMaxThreads = 64;

// Starts or stops threads so that `count` (clamped to [1, kMaxThreads]) take part in parallel_for.
void set_thread_count(int count);
int thread_count();

namespace detail {
using PartFunction = void (*)(const void* body, long begin, long end, int thread);
void run_parts(long count, long parts, PartFunction function, const void* body);
// The thread index of the part this thread is running, -1 outside parts: a
// loop inside a part runs serially, on that part's thread.
int part_thread();
}  // namespace detail

// Parts of a loop per thread: enough that when one thread takes the last
// part, the others wait for a small share of the loop (with 4 equal parts,
// the largest products kept the other thread waiting 10% of their time in
// Chromium; 8 and 32 measure as 16 does).
inline constexpr int kPartsPerThread = 16;

// Calls body(begin, end, thread) for contiguous non-empty parts of [0,
// count), the loop cut into no more parts than `grain` iterations each would
// give, on up to thread_count() threads; `thread` (in
// [0, thread_count())) names the thread that runs the part, for per-thread
// workspaces, and one thread may run several parts. `body` must not throw;
// a parallel_for inside it runs on its own thread.
template <typename Body>
void parallel_for(long count, long grain, const Body& body) {
  const long most = std::max(1L, count / std::max(1L, grain));
  const long parts = std::min<long>(static_cast<long>(thread_count()) * kPartsPerThread, most);
  const int inside = detail::part_thread();
  if (parts <= 1 || inside >= 0) {
    if (count > 0) body(0L, count, std::max(inside, 0));
    return;
  }
  detail::run_parts(
      count, parts,
      [](const void* b, long begin, long end, int thread) {
        (*static_cast<const Body*>(b))(begin, end, thread);
      },
      &body);
}

// Element-wise work over [0, count): body(begin, end) on no more parts than
// kElementsPerPart elements each would give (a loop of fewer elements is not
// worth waking a thread for).
inline constexpr long kElementsPerPart = 1 << 15;

// Element-wise parts begin at multiples of this many elements (a cache line
// of floats), so that a part is aligned as its data is: a part that began
// anywhere would put one 16-byte SIMD load in four across two cache lines.
inline constexpr long kElementsPerLine = 16;

// parallel_for over [0, count) in whole lines of elements: body(begin, end,
// thread), begin a multiple of kElementsPerLine.
template <typename Body>
void parallel_lines(long count, long grain, const Body& body) {
  const long lines = (count + kElementsPerLine - 1) / kElementsPerLine;
  parallel_for(lines, std::max(1L, grain / kElementsPerLine),
               [&](long first, long last, int thread) {
                 body(first * kElementsPerLine, std::min(last * kElementsPerLine, count), thread);
               });
}

template <typename Body>
void parallel_elements(long count, const Body& body) {
  parallel_lines(count, kElementsPerPart, [&](long begin, long end, int) { body(begin, end); });
}

// Whether every value of data[0, count) is finite, on this thread: whether no
// exponent has all its bits set (infinities and NaNs). An OR of integers
// without an early exit, which the compilers vectorise (Eigen's allFinite
// tests one value at a time).
template <typename Scalar>
bool finite_values(const Scalar* data, long count) {
  using Bits = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;
  static_assert(sizeof(Scalar) == sizeof(Bits) && std::numeric_limits<Scalar>::is_iec559);
  constexpr int mantissa = std::numeric_limits<Scalar>::digits - 1;  // stored bits
  constexpr Bits exponent = (std::numeric_limits<Bits>::max() >> 1) >> mantissa << mantissa;
  Bits all_ones = 0;
  for (long i = 0; i < count; ++i) {
    Bits bits;
    std::memcpy(&bits, data + i, sizeof bits);
    all_ones |= (bits & exponent) == exponent;
  }
  return all_ones == 0;
}

// Runs part(begin, end) on element-wise parts as parallel_elements does, every
// part to its end; returns whether every part returned true.
template <typename Part>
bool parallel_all(long count, long grain, const Part& part) {
  // One flag per thread: an AND does not care about the order of the parts.
  bool all[kMaxThreads];
  std::fill(all, all + kMaxThreads, true);
  parallel_lines(count, grain, [&](long begin, long end, int thread) {
    const bool result = part(begin, end);
    all[thread] = all[thread] && result;
  });
  return std::all_of(all, all + kMaxThreads, [](bool a) { return a; });
}

// Whether every value of data[0, count) is finite, looked at by every thread.
template <typename Scalar>
bool all_finite(const Scalar* data, long count) {
  return parallel_all(count, kElementsPerPart, [&](long begin, long end) {
    return finite_values(data + begin, end - begin);
  });
}

// to[i] = from[i] for i < count, on every thread.
template <typename Scalar>
void parallel_copy(const Scalar* from, Scalar* to, long count) {
  parallel_elements(count,
                    [&](long begin, long end) { std::copy(from + begin, from + end, to + begin); });
}

}  // namespace latentlab
