#include "dataset.h"

#include <cmath>
#include <cstring>
#include <string>

#include "errors.h"

namespace latentlab {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

// One FNV-1a step per 32-bit word rather than per byte: 4x faster, and as
// good at telling one data set from another.
std::uint64_t mix(std::uint64_t hash, std::uint32_t word) { return (hash ^ word) * kFnvPrime; }

std::string describe(float value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

}  // namespace

Dataset::Dataset(Matrix<float> values, const char* name) : values_(std::move(values)) {
  if (values_.size() == 0) throw OutOfRange(std::string(name) + " holds no samples");
  float low = values_.data()[0], high = low;
  std::uint64_t hash = mix(mix(kFnvOffset, static_cast<std::uint32_t>(values_.rows())),
                           static_cast<std::uint32_t>(values_.cols()));
  const float* data = values_.data();
  for (Eigen::Index i = 0; i < values_.size(); ++i) {
    const float v = data[i];
    if (!std::isfinite(v)) {
      throw OutOfRange(std::string(name) + "[" + std::to_string(i) + "] is " + describe(v) +
                       ", values must be finite");
    }
    low = v < low ? v : low;
    high = v > high ? v : high;
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    hash = mix(hash, bits);
  }
  min_ = low;
  max_ = high;
  fingerprint_ = hash;
}

}  // namespace latentlab
