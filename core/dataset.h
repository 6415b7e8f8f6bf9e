// Training data held by the engine: n samples of `features` values, one
// column each, checked once as it arrives (every value finite) and
// summarised in the same pass: the range of its values and a fingerprint of
// its contents, by which the trainer tells whether a call brings the data of
// the epoch under way (and so continues it) or other data (a new epoch).
#pragma once

#include <cstdint>

#include "matrix.h"

namespace latentlab {

class Dataset {
 public:
  // `values` (features x n, n >= 1); `name` is what errors call it.
  Dataset(Matrix<float> values, const char* name);

  const Matrix<float>& values() const { return values_; }
  long count() const { return static_cast<long>(values_.cols()); }
  int features() const { return static_cast<int>(values_.rows()); }
  float min() const { return min_; }
  float max() const { return max_; }
  // FNV-1a over the shape and every value's bits, a 32-bit word at a time.
  std::uint64_t fingerprint() const { return fingerprint_; }

 private:
  Matrix<float> values_;
  float min_;
  float max_;
  std::uint64_t fingerprint_;
};

}  // namespace latentlab
