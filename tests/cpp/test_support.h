// Helpers shared by the native tests: central finite differences, the
// tolerance used to compare them with analytic gradients, and small data.
#pragma once

#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "autoencoder.h"
#include "matrix.h"
#include "rng.h"

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

// 16 features per sample lying near a 2-D manifold: sigmoid(U z) with
// U (16 x 2) and z (2 per sample) standard normal, so values are in (0, 1)
// with per-feature means away from 0: data a small model can learn.
inline latentlab::Matrix<float> low_rank_data(int samples, std::uint64_t seed) {
  latentlab::Rng rng(seed);
  latentlab::Matrix<double> mixing(16, 2), codes(2, samples);
  for (Eigen::Index i = 0; i < mixing.size(); ++i) mixing(i) = 1.5 * rng.normal();
  for (Eigen::Index i = 0; i < codes.size(); ++i) codes(i) = rng.normal();
  const latentlab::Matrix<double> pre = mixing * codes;
  latentlab::Matrix<float> data(16, samples);
  for (Eigen::Index i = 0; i < pre.size(); ++i) {
    data(i) = static_cast<float>(1.0 / (1.0 + std::exp(-pre(i))));
  }
  return data;
}

// The small model of the whole-model checks: input 6, encoder {5, 4},
// latent 3, mirrored decoder {4, 5}, sigmoid output (mse on probabilities,
// bce from logits), seed 3.
inline latentlab::AutoencoderConfig small_config(
    latentlab::Activation hidden = latentlab::Activation::relu,
    latentlab::ReconstructionLoss loss = latentlab::ReconstructionLoss::mse) {
  latentlab::AutoencoderConfig config;
  config.input_size = 6;
  config.encoder = {5, 4};
  config.latent_size = 3;
  config.seed = 3;
  config.activation = hidden;
  config.loss = loss;
  return config;
}

// The smallest |pre-activation| feeding any ReLU layer of a non-variational
// model (infinity without ReLU), computed layer by layer from the model's own
// views of W and b: a finite-difference step must not cross a ReLU kink.
inline double smallest_relu_preactivation(const latentlab::Autoencoder<double>& model,
                                          const latentlab::Matrix<double>& inputs) {
  double smallest = std::numeric_limits<double>::infinity();
  latentlab::Matrix<double> current = inputs;
  for (const auto& layer : model.layers()) {
    const latentlab::Matrix<double> pre = (layer.weights(model.parameters()) * current).colwise() +
                                          latentlab::Vector<double>(layer.bias(model.parameters()));
    if (layer.activation() == latentlab::Activation::relu) {
      smallest = std::min(smallest, pre.cwiseAbs().minCoeff());
    }
    latentlab::Matrix<double> next;
    layer.forward(model.parameters(), current, next);
    current = next;
  }
  return smallest;
}

}  // namespace latentlab_test
