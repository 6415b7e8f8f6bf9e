// A std::vector whose data starts on a 64-byte cache line, for the buffers
// that SIMD kernels stream through. Emscripten's malloc aligns to 8 bytes only:
// in a plain vector<float>, one 16-byte load in four can straddle two cache
// lines, and whether it does changes with the heap's layout from one build to
// the next (measured: 1-thread training up to 10% slower).
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace latentlab {

inline constexpr std::size_t kCacheLineBytes = 64;

template <typename T>
struct CacheLineAllocator {
  using value_type = T;

  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>& /*other*/) {}

  T* allocate(std::size_t count) {
    return static_cast<T*>(::operator new (count * sizeof(T), std::align_val_t{kCacheLineBytes}));
  }
  void deallocate(T* data, std::size_t /*count*/) {
    ::operator delete (data, std::align_val_t{kCacheLineBytes});
  }

  friend bool operator==(const CacheLineAllocator&, const CacheLineAllocator&) { return true; }
  friend bool operator!=(const CacheLineAllocator&, const CacheLineAllocator&) { return false; }
};

template <typename T>
using CacheAlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace latentlab
