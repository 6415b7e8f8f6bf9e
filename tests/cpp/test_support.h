// Helpers shared by the native tests: central finite differences, the
// tolerance used to compare them with analytic gradients, a gradient check of
// one layer through the Layer interface, and small data.
#pragma once

#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "activation_layer.h"
#include "autoencoder.h"
#include "layer.h"
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

// FNV-1a over the bits of every float, a 32-bit word at a time: a compact,
// exact fingerprint of a parameter vector, to compare with values recorded
// from an earlier build of the engine.
inline std::uint64_t float_bits_fingerprint(const latentlab::Vector<float>& values) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    std::uint32_t bits;
    const float value = values(i);
    std::memcpy(&bits, &value, sizeof bits);
    hash = (hash ^ bits) * 0x100000001b3ull;
  }
  return hash;
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

// n samples of `features` values uniform in [0, 1), one column per sample.
template <typename Scalar = double>
latentlab::Matrix<Scalar> unit_interval_data(int features, int samples, std::uint64_t seed) {
  latentlab::Rng rng(seed);
  latentlab::Matrix<Scalar> data(features, samples);
  for (Eigen::Index i = 0; i < data.size(); ++i) data(i) = static_cast<Scalar>(rng.uniform());
  return data;
}

// rows x cols values uniform in [low, high).
inline latentlab::Matrix<double> random_matrix(latentlab::Rng& rng, Eigen::Index rows,
                                               Eigen::Index cols, double low = -1,
                                               double high = 1) {
  latentlab::Matrix<double> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = rng.uniform(low, high);
  return m;
}

// The index of the first layer of type L in a model's sequence (the count of
// layers if there is none).
template <template <typename> class L, typename Scalar>
std::size_t index_of_layer(const latentlab::Autoencoder<Scalar>& model) {
  const auto& layers = model.layers();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (dynamic_cast<const L<Scalar>*>(layers[i].get()) != nullptr) return i;
  }
  return layers.size();
}

// The smallest |pre-activation| feeding any ReLU layer of a model (infinity
// without ReLU) in a pass over `inputs` in `mode` (a training pass of a
// denoising or variational model: give it a generator of the seed the check
// will use): a finite-difference step must not cross a ReLU kink. The
// pre-activation is the ReLU layer's input, the previous layer's output.
inline double smallest_relu_preactivation(const latentlab::Autoencoder<double>& model,
                                          const latentlab::Matrix<double>& inputs,
                                          const latentlab::RunMode& mode = {}) {
  double smallest = std::numeric_limits<double>::infinity();
  latentlab::ForwardPass<double> pass;
  model.forward(inputs, mode, pass);
  const auto& layers = model.layers();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto* activation =
        dynamic_cast<const latentlab::ActivationLayer<double>*>(layers[i].get());
    if (activation == nullptr || activation->activation() != latentlab::Activation::relu) continue;
    const latentlab::Matrix<double>& pre = i == 0 ? inputs : pass.outputs[i - 1];
    smallest = std::min(smallest, pre.cwiseAbs().minCoeff());
  }
  return smallest;
}

// A gradient check of one layer through the Layer interface, in double:
//   L(params, X) = sum(R .* Y) + the layer's extra loss (terms.total()),
//   Y = layer.forward(params, X)
// so dL/dY = R. backward must ADD dL/dparams to the gradient buffer (which
// starts filled with `prefill`, a different value per entry) and write dL/dX:
// both are compared with central differences of L. `seed`, when given, makes
// every pass draw from a fresh Rng(seed) (the variational bottleneck's eps);
// `training` is the pass's flag. The parameters checked are those of
// `parameter_owner` (the layer itself unless given: the contractive penalty
// differentiates its dense layer's W); all others must be left alone.
inline void check_layer_gradients(const latentlab::Layer<double>& layer,
                                  latentlab::Vector<double>& params,
                                  latentlab::Matrix<double>& inputs,
                                  const latentlab::Matrix<double>& output_weights,
                                  const std::uint64_t* seed = nullptr, bool training = false,
                                  const latentlab::Layer<double>* parameter_owner = nullptr) {
  const latentlab::Layer<double>& owner = parameter_owner != nullptr ? *parameter_owner : layer;
  auto run = [&](latentlab::Matrix<double>& outputs, latentlab::Rng& rng) {
    layer.forward(params, inputs, outputs,
                  latentlab::RunMode{training, seed != nullptr ? &rng : nullptr});
  };
  auto objective = [&] {
    latentlab::Rng rng(seed != nullptr ? *seed : 0);
    latentlab::Matrix<double> outputs;
    run(outputs, rng);
    latentlab::LossTerms terms;
    layer.add_extra_loss(params, inputs, outputs, terms);
    return (output_weights.array() * outputs.array()).sum() + terms.total();
  };
  latentlab::Rng rng(seed != nullptr ? *seed : 0);
  latentlab::Matrix<double> outputs;
  run(outputs, rng);
  REQUIRE(outputs.rows() == output_weights.rows());
  REQUIRE(outputs.cols() == output_weights.cols());
  latentlab::Vector<double> prefill(params.size());
  for (Eigen::Index i = 0; i < prefill.size(); ++i) prefill(i) = 0.25 * static_cast<double>(i + 1);
  latentlab::Vector<double> grads = prefill;
  latentlab::Matrix<double> output_gradient = output_weights;
  latentlab::Matrix<double> input_gradient;
  layer.backward(params, inputs, outputs, output_gradient, grads, &input_gradient);

  // Outside the owner's parameters the buffer is untouched.
  const auto first = static_cast<Eigen::Index>(owner.offset());
  const auto last = first + static_cast<Eigen::Index>(owner.parameter_count());
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    CAPTURE(i);
    if (i < first || i >= last) {
      CHECK(grads(i) == prefill(i));
      continue;
    }
    const double numeric = central_difference(objective, params(i));
    CHECK(grads(i) - prefill(i) == gradient_approx(numeric));
  }
  REQUIRE(input_gradient.rows() == inputs.rows());
  REQUIRE(input_gradient.cols() == inputs.cols());
  for (Eigen::Index i = 0; i < inputs.size(); ++i) {
    CAPTURE(i);
    const double numeric = central_difference(objective, inputs(i));
    CHECK(input_gradient(i) == gradient_approx(numeric));
  }
}

}  // namespace latentlab_test
