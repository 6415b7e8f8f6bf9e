// Penalties (penalties.h): the L1 and KL activity penalties and the
// contractive penalty. Values worked out by hand or from an explicit Jacobian
// (by central differences of the layer itself), gradients by central
// differences in double, accumulation onto a gradient that is already there,
// and the clamp that keeps the KL penalty finite.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "activation.h"
#include "matrix.h"
#include "penalties.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Matrix;
using latentlab::Vector;

namespace {

// "No gradient wanted", typed: works whether or not a template deduces from it.
Matrix<double>* const kNoGradient = nullptr;
double* const kNoNormGradient = nullptr;

// The contractive penalty's w_j = ||W_j||^2 of a dense layer.
Vector<double> row_norms(const Matrix<double>& weights) { return weights.rowwise().squaredNorm(); }

const Activation kAllActivations[] = {Activation::identity, Activation::relu, Activation::sigmoid,
                                      Activation::tanh};

Matrix<double> random_matrix(latentlab::Rng& rng, Eigen::Index rows, Eigen::Index cols, double low,
                             double high) {
  Matrix<double> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = rng.uniform(low, high);
  return m;
}

// The activations written out independently of activation.h.
double activate(Activation activation, double a) {
  switch (activation) {
    case Activation::identity:
      return a;
    case Activation::relu:
      return std::max(a, 0.0);
    case Activation::sigmoid:
      return 1.0 / (1.0 + std::exp(-a));
    case Activation::tanh:
      return std::tanh(a);
  }
  return a;
}

// h = f(W x + b) for one sample x.
Vector<double> layer_output(const Matrix<double>& w, const Vector<double>& b,
                            const Vector<double>& x, Activation activation) {
  Vector<double> h = w * x + b;
  for (Eigen::Index j = 0; j < h.size(); ++j) h(j) = activate(activation, h(j));
  return h;
}

// dh/dx (out x in) of one sample by central differences of the layer: a
// Jacobian that knows nothing of the slope formulas in penalties.h.
Matrix<double> numerical_jacobian(const Matrix<double>& w, const Vector<double>& b,
                                  const Vector<double>& x, Activation activation) {
  constexpr double h = 1e-6;
  Matrix<double> jacobian(w.rows(), w.cols());
  for (Eigen::Index i = 0; i < w.cols(); ++i) {
    Vector<double> plus = x, minus = x;
    plus(i) += h;
    minus(i) -= h;
    jacobian.col(i) =
        (layer_output(w, b, plus, activation) - layer_output(w, b, minus, activation)) / (2 * h);
  }
  return jacobian;
}

// A layer with its inputs and activations (one column per sample).
struct LayerCase {
  std::string name;
  Matrix<double> weights;  // out x in
  Vector<double> bias;     // out
  Matrix<double> inputs;   // in x B
};

// The 2x2 layer below, worked out by hand, and a random 4 x 3 layer.
//   W = [ 1   -2 ]   b = [ 0.1 ]   X = [ 0.3  -0.5 ]
//       [ 0.5  3 ]       [-0.2 ]       [ 0.7   0.4 ]
//   A = W X + b = [ -1.0   -1.2 ]      (no entry near 0: ReLU's kink is
//                 [  2.05   0.75 ]      far from every pre-activation)
std::vector<LayerCase> layer_cases() {
  LayerCase small{"2x2", Matrix<double>(2, 2), Vector<double>(2), Matrix<double>(2, 2)};
  small.weights << 1, -2,  //
      0.5, 3;
  small.bias << 0.1, -0.2;
  small.inputs << 0.3, -0.5,  //
      0.7, 0.4;
  latentlab::Rng rng(11);
  LayerCase random{"4x3", random_matrix(rng, 4, 3, -1, 1), random_matrix(rng, 4, 1, -0.5, 0.5),
                   random_matrix(rng, 3, 5, 0, 1)};
  return {small, random};
}

Matrix<double> activations_of(const LayerCase& layer, Activation activation) {
  Matrix<double> h(layer.weights.rows(), layer.inputs.cols());
  for (Eigen::Index b = 0; b < h.cols(); ++b) {
    h.col(b) = layer_output(layer.weights, layer.bias, layer.inputs.col(b), activation);
  }
  return h;
}

double smallest_abs_preactivation(const LayerCase& layer) {
  return ((layer.weights * layer.inputs).colwise() + layer.bias).cwiseAbs().minCoeff();
}

}  // namespace

TEST_CASE("l1_activity_penalty: value by hand, sign gradient added to the one given") {
  // 2 units, batch 3. sum |h| = 0.5 + 1 + 0 + 2 + 0.25 + 0.75 = 4.5;
  // P = weight / B * 4.5 = 0.2 / 3 * 4.5 = 0.3.
  Matrix<double> h(2, 3);
  h << 0.5, -1, 0,  //
      2, -0.25, 0.75;
  CHECK(latentlab::l1_activity_penalty(h, 0.2, kNoGradient) == doctest::Approx(0.3).epsilon(1e-15));

  // The gradient is ADDED: start from a nonzero dL/dH and expect it plus
  // weight / B * sign(h), with sign(0) = 0 leaving that entry as it was.
  Matrix<double> start(2, 3);
  start << 1, 2, 3,  //
      4, 5, 6;
  Matrix<double> gradient = start;
  CHECK(latentlab::l1_activity_penalty(h, 0.2, &gradient) == doctest::Approx(0.3).epsilon(1e-15));
  const double step = 0.2 / 3;
  Matrix<double> expected(2, 3);
  expected << 1 + step, 2 - step, 3,  //
      4 + step, 5 - step, 6 + step;
  for (Eigen::Index i = 0; i < h.size(); ++i) {
    CAPTURE(i);
    CHECK(gradient(i) == doctest::Approx(expected(i)).epsilon(1e-15));
  }
}

TEST_CASE("kl_sparsity_penalty: value and gradient by hand") {
  // rho = 0.05, weight 3, batch 2. Unit 0 has mean 0.1, unit 1 mean 0.05 (the
  // target: it contributes nothing).
  //   P = 3 (0.05 ln(0.05 / 0.1) + 0.95 ln(0.95 / 0.9))
  //   dP/dh_0b = 3 / 2 (-0.05 / 0.1 + 0.95 / 0.9) = 1.5 (5/9) = 5/6;   dP/dh_1b = 0
  Matrix<double> h(2, 2);
  h << 0.05, 0.15,  //
      0.02, 0.08;
  const double expected = 3 * (0.05 * std::log(0.5) + 0.95 * std::log(0.95 / 0.9));
  // The formula's number, for a reader.
  CHECK(expected == doctest::Approx(0.0501193).epsilon(1e-5));

  Matrix<double> gradient(2, 2);
  gradient << 1, -1,  //
      0.5, 2;
  const Matrix<double> start = gradient;
  CHECK(latentlab::kl_sparsity_penalty(h, 0.05, 3.0, &gradient) ==
        doctest::Approx(expected).epsilon(1e-13));
  const Matrix<double> added = gradient - start;
  CHECK(added(0, 0) == doctest::Approx(5.0 / 6).epsilon(1e-13));
  CHECK(added(0, 1) == doctest::Approx(5.0 / 6).epsilon(1e-13));
  CHECK(std::abs(added(1, 0)) < 1e-13);
  CHECK(std::abs(added(1, 1)) < 1e-13);
  // Without a gradient only the value is computed.
  CHECK(latentlab::kl_sparsity_penalty(h, 0.05, 3.0, kNoGradient) ==
        doctest::Approx(expected).epsilon(1e-13));
}

TEST_CASE("kl_sparsity_penalty gradient matches central differences") {
  latentlab::Rng rng(5);
  const Matrix<double> start = random_matrix(rng, 3, 4, -1, 1);
  for (double target : {0.05, 0.3}) {
    CAPTURE(target);
    Matrix<double> h = random_matrix(rng, 3, 4, 0.05, 0.95);
    Matrix<double> gradient = start;
    latentlab::kl_sparsity_penalty(h, target, 0.7, &gradient);
    const Matrix<double> analytic = gradient - start;
    CHECK(analytic.cwiseAbs().maxCoeff() > 1e-2);  // nontrivial
    for (Eigen::Index i = 0; i < h.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(
          [&] { return latentlab::kl_sparsity_penalty(h, target, 0.7, kNoGradient); }, h(i));
      CHECK(analytic(i) == latentlab_test::gradient_approx(numeric));
    }
  }
}

TEST_CASE("kl_sparsity_penalty clamps a mean of 0 or 1: finite value, zero gradient") {
  // Unit 0 is dead (mean 0), unit 1 saturated (mean 1), unit 2 ordinary.
  Matrix<double> h(3, 2);
  h << 0, 0,  //
      1, 1,   //
      0.2, 0.4;
  const double rho = 0.05, c = 1e-6;
  auto kl = [&](double rho_hat) {
    return rho * std::log(rho / rho_hat) + (1 - rho) * std::log((1 - rho) / (1 - rho_hat));
  };
  Matrix<double> gradient = Matrix<double>::Zero(3, 2);
  const double value = latentlab::kl_sparsity_penalty(h, rho, 2.0, &gradient);
  REQUIRE(std::isfinite(value));
  // The clamped means are c and 1 - c.
  CHECK(value == doctest::Approx(2 * (kl(c) + kl(1 - c) + kl(0.3))).epsilon(1e-12));
  REQUIRE(gradient.allFinite());
  CHECK(gradient.row(0).isZero(0));
  CHECK(gradient.row(1).isZero(0));
  // The ordinary unit still gets 2 / 2 (-rho / 0.3 + (1 - rho) / 0.7).
  CHECK(gradient(2, 0) == doctest::Approx(-rho / 0.3 + (1 - rho) / 0.7).epsilon(1e-13));
  CHECK(gradient(2, 1) == gradient(2, 0));
}

TEST_CASE("contractive_penalty by hand: identity is ||W||_F^2, relu counts active rows") {
  const LayerCase layer = layer_cases()[0];
  // Identity: dh/dx = W for every sample; ||W||_F^2 = 1 + 4 + 0.25 + 9 = 14.25.
  const Matrix<double> identity_h = activations_of(layer, Activation::identity);
  CHECK(latentlab::contractive_penalty(identity_h, Activation::identity,
                                       row_norms(layer.weights).data(), 0.5, kNoGradient,
                                       kNoNormGradient) == doctest::Approx(0.5 * 14.25));
  // ReLU: unit 0 is off for both samples (A = -1, -1.2), unit 1 on: only
  // W's second row counts, 0.25 + 9 = 9.25 per sample.
  const Matrix<double> relu_h = activations_of(layer, Activation::relu);
  CHECK(latentlab::contractive_penalty(relu_h, Activation::relu, row_norms(layer.weights).data(),
                                       0.5, kNoGradient,
                                       kNoNormGradient) == doctest::Approx(0.5 * 9.25));
  CHECK(latentlab::mean_jacobian_norm(relu_h, Activation::relu, row_norms(layer.weights).data()) ==
        doctest::Approx(std::sqrt(9.25)));
}

TEST_CASE("contractive_penalty and mean_jacobian_norm equal those of the explicit Jacobian") {
  for (const LayerCase& layer : layer_cases()) {
    REQUIRE(smallest_abs_preactivation(layer) > 1e-3);  // no ReLU kink within the step
    for (Activation activation : kAllActivations) {
      CAPTURE(layer.name);
      CAPTURE(std::string(latentlab::activation_name(activation)));
      const Matrix<double> h = activations_of(layer, activation);
      double squared_sum = 0, norm_sum = 0;
      for (Eigen::Index b = 0; b < h.cols(); ++b) {
        const double squared =
            numerical_jacobian(layer.weights, layer.bias, layer.inputs.col(b), activation)
                .squaredNorm();
        squared_sum += squared;
        norm_sum += std::sqrt(squared);
      }
      const double batch = static_cast<double>(h.cols());
      const double weight = 0.3;
      CHECK(latentlab::contractive_penalty(h, activation, row_norms(layer.weights).data(), weight,
                                           kNoGradient, kNoNormGradient) ==
            doctest::Approx(weight * squared_sum / batch).epsilon(1e-8));
      CHECK(latentlab::mean_jacobian_norm(h, activation, row_norms(layer.weights).data()) ==
            doctest::Approx(norm_sum / batch).epsilon(1e-8));
    }
  }
}

TEST_CASE("contractive_penalty gradients in H and in the row norms match central differences") {
  // The penalty is differentiated as a function P(H, w) of two independent
  // arguments: the H-gradient holds w fixed and the w-gradient holds H fixed
  // (the layer turns dP/dw into dP/dW, and the model adds the path W -> H
  // through the layer's own backward pass).
  latentlab::Rng rng(17);
  for (const LayerCase& layer : layer_cases()) {
    for (Activation activation : kAllActivations) {
      CAPTURE(layer.name);
      CAPTURE(std::string(latentlab::activation_name(activation)));
      Matrix<double> h = activations_of(layer, activation);
      Vector<double> w = row_norms(layer.weights);
      const double weight = 0.8;
      // The H-gradient is accumulated onto a nonzero matrix; the w-gradient is written.
      const Matrix<double> h_start = random_matrix(rng, h.rows(), h.cols(), -1, 1);
      Matrix<double> h_gradient = h_start;
      Vector<double> dw = Vector<double>::Constant(w.size(), 123.0);
      const double value =
          latentlab::contractive_penalty(h, activation, w.data(), weight, &h_gradient, dw.data());
      CHECK(value == doctest::Approx(latentlab::contractive_penalty(h, activation, w.data(), weight,
                                                                    kNoGradient, kNoNormGradient)));
      const Matrix<double> dh = h_gradient - h_start;
      auto penalty = [&] {
        return latentlab::contractive_penalty(h, activation, w.data(), weight, kNoGradient,
                                              kNoNormGradient);
      };
      for (Eigen::Index i = 0; i < h.size(); ++i) {
        CAPTURE(i);
        // A ReLU output of exactly 0 sits on the step of its slope (h > 0):
        // there the derivative is 0 by convention, as h cannot move anyway.
        if (activation == Activation::relu && h(i) == 0) {
          CHECK(dh(i) == 0);
          continue;
        }
        CHECK(dh(i) ==
              latentlab_test::gradient_approx(latentlab_test::central_difference(penalty, h(i))));
      }
      for (Eigen::Index i = 0; i < w.size(); ++i) {
        CAPTURE(i);
        CHECK(dw(i) ==
              latentlab_test::gradient_approx(latentlab_test::central_difference(penalty, w(i))));
      }
      CHECK(dw.cwiseAbs().maxCoeff() > 1e-2);  // nontrivial
      // Only sigmoid and tanh have a slope that changes with h.
      if (activation == Activation::sigmoid || activation == Activation::tanh) {
        CHECK(dh.cwiseAbs().maxCoeff() > 1e-2);
      } else {
        CHECK(dh.isZero(0));
      }
    }
  }
}
