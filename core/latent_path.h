// A straight path through a code space: `steps` codes evenly spaced from `a`
// to `b`, both ends included. Decoded, it shows what lies between two inputs.
//   a, b: L x 1 codes;  result: L x steps,  column s = (1 - t) a + t b,  t = s / (steps - 1)
#pragma once

#include <stdexcept>

#include "matrix.h"

namespace latentlab {

template <typename Scalar>
Matrix<Scalar> latent_path(const Vector<Scalar>& a, const Vector<Scalar>& b, int steps) {
  if (steps < 2) throw std::invalid_argument("a path needs at least 2 steps");
  if (a.size() != b.size())
    throw std::invalid_argument("both ends of a path need codes of one size");
  Matrix<Scalar> path(a.size(), steps);
  for (int s = 0; s < steps; ++s) {
    const Scalar t = Scalar(s) / Scalar(steps - 1);
    path.col(s) = (Scalar(1) - t) * a + t * b;
  }
  return path;
}

}  // namespace latentlab
