// Element-wise activations: values worked out by hand, the stable logistic at
// extreme inputs, and each derivative (written in terms of the output y)
// against central finite differences of the activation itself.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "activation.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Matrix;

namespace {

const Activation kAllActivations[] = {Activation::identity, Activation::relu, Activation::sigmoid,
                                      Activation::tanh};

// f(a) through apply_activation on a 1x1 matrix.
double activate(Activation activation, double a) {
  Matrix<double> values(1, 1);
  values(0, 0) = a;
  latentlab::apply_activation(activation, values);
  return values(0, 0);
}

// dy/da given the output y, through multiply_by_derivative on a unit gradient.
double derivative_from_output(Activation activation, double y) {
  Matrix<double> outputs(1, 1), gradient(1, 1);
  outputs(0, 0) = y;
  gradient(0, 0) = 1.0;
  latentlab::multiply_by_derivative(activation, outputs, gradient);
  return gradient(0, 0);
}

}  // namespace

TEST_CASE("identity passes values through") {
  CHECK(activate(Activation::identity, -1.5) == -1.5);
  CHECK(activate(Activation::identity, 0.0) == 0.0);
  CHECK(activate(Activation::identity, 1e6) == 1e6);
}

TEST_CASE("relu clamps negatives to zero") {
  CHECK(activate(Activation::relu, -2.0) == 0.0);
  CHECK(activate(Activation::relu, -1e-12) == 0.0);
  CHECK(activate(Activation::relu, 0.0) == 0.0);
  CHECK(activate(Activation::relu, 3.25) == 3.25);
}

TEST_CASE("sigmoid on hand-worked values") {
  CHECK(activate(Activation::sigmoid, 0.0) == 0.5);
  // 1 / (1 + e^-2) and 1 / (1 + e^2)
  CHECK(activate(Activation::sigmoid, 2.0) == doctest::Approx(0.8807970779778823).epsilon(1e-15));
  CHECK(activate(Activation::sigmoid, -2.0) == doctest::Approx(0.11920292202211755).epsilon(1e-15));
  // Symmetry sigmoid(-a) = 1 - sigmoid(a).
  CHECK(activate(Activation::sigmoid, -0.7) ==
        doctest::Approx(1.0 - activate(Activation::sigmoid, 0.7)).epsilon(1e-15));
}

TEST_CASE("tanh on hand-worked values") {
  CHECK(activate(Activation::tanh, 0.0) == 0.0);
  CHECK(activate(Activation::tanh, 0.5) == doctest::Approx(0.46211715726000974).epsilon(1e-15));
  CHECK(activate(Activation::tanh, -1.0) == doctest::Approx(-0.7615941559557649).epsilon(1e-15));
}

TEST_CASE("apply_activation works element-wise on a whole matrix") {
  // Column-major 2 x 3 with mixed signs; each entry must match the scalar result.
  Matrix<double> values(2, 3);
  values << -1.0, 0.5, 2.0, 3.0, -0.25, 0.0;
  for (Activation activation : kAllActivations) {
    CAPTURE(std::string(latentlab::activation_name(activation)));
    Matrix<double> result = values;
    latentlab::apply_activation(activation, result);
    for (Eigen::Index i = 0; i < values.size(); ++i) {
      CHECK(result(i) == activate(activation, values(i)));
    }
  }
}

TEST_CASE("logistic is stable at +-1000") {
  // A naive 1 / (1 + e^-a) overflows e^1000; the stable form must give exact 0 and 1.
  CHECK(latentlab::logistic(1000.0) == 1.0);
  CHECK(latentlab::logistic(-1000.0) == 0.0);
  CHECK(latentlab::logistic(1000.0f) == 1.0f);
  CHECK(latentlab::logistic(-1000.0f) == 0.0f);

  Matrix<float> values(1, 4);
  values << -1000.0f, -80.0f, 80.0f, 1000.0f;
  latentlab::apply_activation(Activation::sigmoid, values);
  CHECK(values.allFinite());
  CHECK(values(0) == 0.0f);
  CHECK(values(1) >= 0.0f);
  CHECK(values(1) < 1e-30f);
  CHECK(values(2) == 1.0f);
  CHECK(values(3) == 1.0f);

  // tanh saturates to exactly +-1 as well.
  CHECK(activate(Activation::tanh, 1000.0) == 1.0);
  CHECK(activate(Activation::tanh, -1000.0) == -1.0);
}

TEST_CASE("derivatives from the output match central finite differences") {
  // Inputs stay at |a| > 1e-2, away from the ReLU kink at 0 where the finite
  // difference would straddle two slopes.
  const std::vector<double> inputs{-2.3, -0.7, -0.05, 0.03, 0.4, 1.9};
  for (Activation activation : kAllActivations) {
    for (double a : inputs) {
      CAPTURE(std::string(latentlab::activation_name(activation)));
      CAPTURE(a);
      double x = a;
      const double numeric =
          latentlab_test::central_difference([&] { return activate(activation, x); }, x);
      const double analytic = derivative_from_output(activation, activate(activation, a));
      CHECK(analytic == doctest::Approx(numeric).epsilon(1e-7));
    }
  }
}

TEST_CASE("derivative values at hand-worked points") {
  CHECK(derivative_from_output(Activation::identity, -4.0) == 1.0);
  CHECK(derivative_from_output(Activation::relu, 2.0) == 1.0);
  // At the kink the output is 0 and the derivative is taken as 0.
  CHECK(derivative_from_output(Activation::relu, 0.0) == 0.0);
  CHECK(derivative_from_output(Activation::sigmoid, 0.5) == 0.25);  // y (1 - y) at a = 0
  CHECK(derivative_from_output(Activation::tanh, 0.0) == 1.0);      // 1 - y^2 at a = 0
  CHECK(derivative_from_output(Activation::tanh, 0.5) == 0.75);
}

TEST_CASE("multiply_by_derivative scales an incoming gradient element-wise") {
  Matrix<double> outputs(1, 3), gradient(1, 3);
  outputs << 0.2, 0.5, 0.9;  // sigmoid outputs
  gradient << 2.0, -1.0, 10.0;
  latentlab::multiply_by_derivative(Activation::sigmoid, outputs, gradient);
  CHECK(gradient(0) == doctest::Approx(2.0 * 0.2 * 0.8).epsilon(1e-15));
  CHECK(gradient(1) == doctest::Approx(-1.0 * 0.25).epsilon(1e-15));
  CHECK(gradient(2) == doctest::Approx(10.0 * 0.9 * 0.1).epsilon(1e-14));
}
