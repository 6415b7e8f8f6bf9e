// The four-lane exp, sigmoid, tanh and softplus against libm in double, over their
// whole useful range, ends and zero included.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "vector_math.h"

namespace {

namespace vm = latentlab::vector_math;

// The largest error of `f` on [low, high], relative to max(|exact|, floor).
template <typename Function, typename Exact>
double largest_error(double low, double high, double floor, Function f, Exact exact) {
  const long count = 200001;
  std::vector<float> x(count), y(count);
  for (long i = 0; i < count; ++i) x[i] = static_cast<float>(low + (high - low) * i / (count - 1));
  vm::map(x.data(), y.data(), count, f);
  double largest = 0;
  for (long i = 0; i < count; ++i) {
    const double truth = exact(static_cast<double>(x[i]));
    largest = std::max(largest, std::abs(y[i] - truth) / std::max(std::abs(truth), floor));
  }
  return largest;
}

}  // namespace

TEST_CASE("vector exp is within 3e-7 relative of exp on [-87, 88]") {
  CHECK(largest_error(
            -87, 88, 0, [](auto v) { return vm::exp(v); }, [](double x) { return std::exp(x); }) <
        3e-7);
}

TEST_CASE("vector sigmoid and tanh are within float rounding of libm") {
  const auto sigmoid = [](double x) { return 1 / (1 + std::exp(-x)); };
  CHECK(largest_error(
            -100, 100, 1e-30, [](auto v) { return vm::sigmoid(v); }, sigmoid) < 1e-6);
  CHECK(largest_error(
            -20, 20, 1e-30, [](auto v) { return vm::tanh(v); },
            [](double x) { return std::tanh(x); }) < 1e-6);
  // Near zero tanh keeps its relative accuracy.
  CHECK(largest_error(
            -1e-3, 1e-3, 1e-30, [](auto v) { return vm::tanh(v); },
            [](double x) { return std::tanh(x); }) < 1e-6);
}

TEST_CASE("the ends: sigmoid saturates to exactly 0 and 1, tanh to -1 and 1, no NaN") {
  const std::vector<float> x{-1e30f, -200, 200, 1e30f, 0, 3, 7};
  std::vector<float> s(x.size()), t(x.size());
  vm::map(x.data(), s.data(), static_cast<long>(x.size()), [](auto v) { return vm::sigmoid(v); });
  vm::map(x.data(), t.data(), static_cast<long>(x.size()), [](auto v) { return vm::tanh(v); });
  CHECK(s[0] < 1e-37f);
  CHECK(s[1] < 1e-37f);
  CHECK(s[2] == 1.0f);
  CHECK(s[3] == 1.0f);
  CHECK(s[4] == 0.5f);
  CHECK(t[0] == -1.0f);
  CHECK(t[3] == 1.0f);
  CHECK(t[4] == 0.0f);
  for (float v : s) CHECK(std::isfinite(v));
}

TEST_CASE("vector softplus is within float rounding of log1p(exp(x)), and log(1 + u) of log1p") {
  const auto softplus = [](double x) {
    return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
  };
  CHECK(largest_error(
            -80, 80, 1e-30, [](auto v) { return vm::softplus(v); }, softplus) < 1e-6);
  CHECK(largest_error(
            0, 1, 1e-30, [](auto v) { return vm::log1p_unit(v); },
            [](double u) { return std::log1p(u); }) < 1e-6);
  // Where 1 + u rounds to 1, log(1 + u) is u, not 0.
  CHECK(largest_error(
            0, 1e-7, 1e-30, [](auto v) { return vm::log1p_unit(v); },
            [](double u) { return std::log1p(u); }) < 1e-6);
  // Far out, e^-|x| underflows and softplus is max(x, 0), with no NaN.
  const std::vector<float> x{-1e30f, -200, 200, 1e30f};
  std::vector<float> y(x.size());
  vm::map(x.data(), y.data(), static_cast<long>(x.size()), [](auto v) { return vm::softplus(v); });
  CHECK(y[0] < 1e-37f);
  CHECK(y[1] < 1e-37f);
  CHECK(y[2] == 200.0f);
  CHECK(y[3] == 1e30f);
}
