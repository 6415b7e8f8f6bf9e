// Helpers shared by the native tests: central finite differences and the
// tolerance used to compare them with analytic gradients.
#pragma once

#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>

namespace latentlab_test {

// Step of the central differences. In double, (L(x+h) - L(x-h)) / 2h has a
// truncation error ~h^2 |L'''| ~ 1e-12 and a rounding error ~1e-16 |L| / h ~ 1e-10.
constexpr double kFiniteDifferenceStep = 1e-6;

// dL/dx at the current value of x, by central differences; x is restored.
template <typename Loss>
double central_difference(Loss&& loss, double& x, double h = kFiniteDifferenceStep) {
  const double saved = x;
  x = saved + h;
  const double plus = loss();
  x = saved - h;
  const double minus = loss();
  x = saved;
  return (plus - minus) / (2 * h);
}

// Relative tolerance 1e-6 with an absolute floor of 1e-9 (epsilon * scale), so
// that gradients near zero are compared against the finite-difference noise.
inline doctest::Approx gradient_approx(double numeric) {
  return doctest::Approx(numeric).epsilon(1e-6).scale(1e-3);
}

// How many entries of a and b differ (NaN differs from everything; a shape
// mismatch counts as all entries). Checks of bitwise equality use it, so that
// a failure prints one number rather than two long vectors.
template <typename A, typename B>
long count_differences(const Eigen::DenseBase<A>& a, const Eigen::DenseBase<B>& b) {
  const auto left = a.derived().eval();
  const auto right = b.derived().eval();
  if (left.rows() != right.rows() || left.cols() != right.cols()) {
    return static_cast<long>(std::max(left.size(), right.size()));
  }
  long differences = 0;
  for (Eigen::Index i = 0; i < left.size(); ++i) {
    if (!(left(i) == right(i))) ++differences;
  }
  return differences;
}

}  // namespace latentlab_test
