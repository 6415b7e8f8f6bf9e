// libFuzzer target: the IDX parser (magic, type, dimensions, data) on any
// bytes. A file either parses to an array whose dimensions multiply to its
// value count, or throws one of the engine's exceptions; anything else is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "idx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const latentlab::IdxArray array = latentlab::parse_idx(data, size);
    std::uint64_t count = 1;
    for (const auto dimension : array.shape) count *= dimension;
    if (count != array.values.size()) std::abort();
  } catch (const std::exception&) {
    // Rejected with a message: what a bad file must get.
  }
  return 0;
}
