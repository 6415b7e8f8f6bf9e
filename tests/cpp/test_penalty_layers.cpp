// The penalty layers (penalty_layers.h): each passes its input through
// (Y = X) and adds its term to the objective. Per layer: the pass-through,
// the extra loss worked out by hand, and finite-difference checks through
// the Layer interface of dL/dX (and, for the contractive penalty, of dL/dW
// of its dense layer), with the gradient buffer already holding values.
// The penalties' formulas themselves are tested in test_penalties.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "activation_layer.h"
#include "convolution_layers.h"
#include "dense_layer.h"
#include "penalty_layers.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::ActivationLayer;
using latentlab::ContractivePenalty;
using latentlab::ConvolutionLayer;
using latentlab::DenseLayer;
using latentlab::KlSparsityPenalty;
using latentlab::L1ActivityPenalty;
using latentlab::LossTerms;
using latentlab::Matrix;
using latentlab::RunMode;
using latentlab::TransposedConvolutionLayer;
using latentlab::Vector;
using latentlab_test::random_matrix;

namespace {

// A layer's extra loss on `inputs` (after a forward pass).
LossTerms extra_loss(const latentlab::Layer<double>& layer, const Vector<double>& params,
                     const Matrix<double>& inputs) {
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, RunMode{});
  LossTerms terms;
  layer.add_extra_loss(params, inputs, outputs, terms);
  return terms;
}

void check_passes_through(const latentlab::Layer<double>& layer, const Vector<double>& params,
                          const Matrix<double>& inputs) {
  Matrix<double> outputs;
  latentlab::Rng rng(1);
  for (const RunMode mode : {RunMode{}, RunMode{true, &rng}}) {
    layer.forward(params, inputs, outputs, mode);
    CHECK(latentlab_test::count_differences(outputs, inputs) == 0);
  }
}

}  // namespace

TEST_CASE("L1 activity penalty: pass-through, weight/B sum |h| by hand, dX by differences") {
  // h = [ 0.5  -0.25 ]  B = 2, sum |h| = 1.75, weight 0.2: 0.2 * 1.75 / 2 = 0.175.
  //     [ 1     0    ]
  const L1ActivityPenalty<double> layer(2, 0.2);
  CHECK(layer.inputs() == 2);
  CHECK(layer.outputs() == 2);
  CHECK(layer.parameter_count() == 0);
  Matrix<double> h(2, 2);
  h << 0.5, -0.25,  //
      1, 0;
  Vector<double> no_params;
  check_passes_through(layer, no_params, h);
  const LossTerms terms = extra_loss(layer, no_params, h);
  CHECK(terms.sparsity == doctest::Approx(0.175).epsilon(1e-15));
  CHECK(terms.contractive == 0);
  CHECK(terms.kl == 0);
  CHECK(terms.total() == terms.sparsity);
  // Over the whole data the L1 penalty is the mean of the batches' values.
  CHECK(layer.whole_data_value(Vector<double>::Constant(2, 0.3), 0.42) == 0.42);

  // |h| has a kink at 0: keep every h at least 0.05 from it.
  latentlab::Rng rng(5);
  Matrix<double> inputs = random_matrix(rng, 3, 4);
  for (Eigen::Index i = 0; i < inputs.size(); ++i) {
    if (std::abs(inputs(i)) < 0.05) inputs(i) = inputs(i) < 0 ? -0.05 : 0.05;
  }
  const L1ActivityPenalty<double> wide(3, 0.7);
  latentlab_test::check_layer_gradients(wide, no_params, inputs, random_matrix(rng, 3, 4));
}

TEST_CASE("KL sparsity penalty: pass-through, value from the batch means, dX by differences") {
  // h = [ 0.2  0.4 ]  means rho_hat = (0.3, 0.2), target rho = 0.1, weight 0.3:
  //     [ 0.1  0.3 ]  P = 0.3 sum_j rho ln(rho / rho_hat_j) + (1 - rho) ln((1 - rho) / (1 -
  //     rho_hat_j))
  const KlSparsityPenalty<double> layer(2, 0.1, 0.3);
  Matrix<double> h(2, 2);
  h << 0.2, 0.4,  //
      0.1, 0.3;
  Vector<double> no_params;
  check_passes_through(layer, no_params, h);
  auto kl = [](double rho, double rho_hat) {
    return rho * std::log(rho / rho_hat) + (1 - rho) * std::log((1 - rho) / (1 - rho_hat));
  };
  const double expected = 0.3 * (kl(0.1, 0.3) + kl(0.1, 0.2));
  CHECK(extra_loss(layer, no_params, h).sparsity == doctest::Approx(expected).epsilon(1e-14));
  // Over the whole data: the penalty of the units' means over all samples,
  // whatever the batches' values averaged to.
  Vector<double> means(2);
  means << 0.3, 0.2;
  CHECK(layer.whole_data_value(means, 123.0) == doctest::Approx(expected).epsilon(1e-14));

  // Activations in (0.05, 0.95), as a sigmoid layer gives them.
  latentlab::Rng rng(6);
  Matrix<double> inputs = random_matrix(rng, 3, 5, 0.05, 0.95);
  const KlSparsityPenalty<double> wide(3, 0.05, 0.4);
  latentlab_test::check_layer_gradients(wide, no_params, inputs, random_matrix(rng, 3, 5));
}

TEST_CASE("contractive penalty: identity block gives weight ||W||_F^2") {
  // h = W x + b: dh/dx = W for every sample, so P = weight ||W||_F^2.
  //   W = [ 1  -2 ]   ||W||_F^2 = 1 + 4 + 0.25 + 9 = 14.25, weight 0.1: 1.425
  //       [ 0.5 3 ]
  DenseLayer<double> dense(2, 2);
  const ActivationLayer<double> activation(2, Activation::identity);
  const ContractivePenalty<double> layer(dense, activation, 0.1);
  CHECK(layer.inputs() == 2);
  CHECK(layer.outputs() == 2);
  CHECK(layer.parameter_count() == 0);  // W is the dense layer's
  Vector<double> params = Vector<double>::Zero(dense.parameter_count());
  dense.weights(params) << 1, -2,  //
      0.5, 3;
  Matrix<double> h(2, 3);
  h << 0.1, 0.2, 0.3,  //
      -0.4, 0.5, 0.6;
  check_passes_through(layer, params, h);
  const LossTerms terms = extra_loss(layer, params, h);
  CHECK(terms.contractive == doctest::Approx(1.425).epsilon(1e-15));
  CHECK(terms.sparsity == 0);
}

TEST_CASE("contractive penalty: dX and dW of its dense layer match finite differences") {
  // The block h = s(W x + b), W: 4 x 3 at offset 2 of a buffer (after some
  // other layer's 2 parameters). The penalty layer's input is h; its
  // gradient reaches dL/dh and dL/dW through the layer interface; db is 0.
  for (Activation hidden :
       {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity}) {
    CAPTURE(std::string(latentlab::activation_name(hidden)));
    DenseLayer<double> dense(3, 4);
    dense.set_offset(2);
    const ActivationLayer<double> activation(4, hidden);
    const ContractivePenalty<double> layer(dense, activation, 0.6);
    latentlab::Rng rng(7);
    Vector<double> params(2 + dense.parameter_count());
    for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1, 1);
    // Outputs of s: sigmoid in (0, 1), tanh and identity in (-1, 1). ReLU's
    // slope jumps where h = 0: its h are all on (> 0), where dP/dh is 0.
    Matrix<double> h = hidden == Activation::tanh || hidden == Activation::identity
                           ? random_matrix(rng, 4, 5, -0.95, 0.95)
                           : random_matrix(rng, 4, 5, 0.05, 0.95);
    LossTerms terms = extra_loss(layer, params, h);
    CHECK(terms.contractive > 0);
    latentlab_test::check_layer_gradients(layer, params, h, random_matrix(rng, 4, 5), nullptr,
                                          false, &dense);
  }
}

namespace {

// sum over the samples (columns) of ||d s(layer(x))/dx||_F^2, by central
// differences of the layer's outputs: exact up to rounding, as the layer is
// affine in x and s is smooth.
double numerical_jacobian_norms(const latentlab::Layer<double>& layer, Activation activation,
                                const Vector<double>& params, const Matrix<double>& inputs) {
  const double step = 1e-6;
  auto hidden = [&](const Matrix<double>& x) {
    Matrix<double> a;
    layer.forward(params, x, a, {});
    latentlab::apply_activation(activation, a);
    return a;
  };
  double sum = 0;
  for (Eigen::Index b = 0; b < inputs.cols(); ++b) {
    for (Eigen::Index i = 0; i < inputs.rows(); ++i) {
      Matrix<double> plus = inputs.col(b), minus = inputs.col(b);
      plus(i) += step;
      minus(i) -= step;
      sum += ((hidden(plus) - hidden(minus)) / (2 * step)).squaredNorm();
    }
  }
  return sum;
}

}  // namespace

TEST_CASE(
    "contractive penalty of a convolution's block: the exact Jacobian norm, and its gradients") {
  // The block h = s(conv(x)): each output unit's Jacobian row holds the
  // weights of the taps that reach the image, so padding and strides change
  // the norm from unit to unit. A transposed convolution's rows are the taps
  // that write each output pixel.
  const ConvolutionLayer<double> strided({2, 5, 4}, 3, 3, 2, 1);
  const ConvolutionLayer<double> wide({1, 3, 4}, 2, 5, 3, 2);  // kernel wider than the image
  const ConvolutionLayer<double> plain({2, 4, 4}, 2, 3, 1, 0);
  const TransposedConvolutionLayer<double> up({2, 3, 3}, 2, 3, 2, 1, 1);
  const latentlab::Layer<double>* layers[] = {&strided, &wide, &plain, &up};
  latentlab::Rng rng(23);
  for (const latentlab::Layer<double>* layer : layers) {
    for (Activation hidden : {Activation::sigmoid, Activation::tanh, Activation::identity}) {
      CAPTURE(layer->inputs());
      CAPTURE(layer->outputs());
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      const auto& affine = dynamic_cast<const latentlab::AffineJacobian<double>&>(*layer);
      const ActivationLayer<double> activation(layer->outputs(), hidden);
      const ContractivePenalty<double> penalty(affine, activation, 0.7);
      Vector<double> params(layer->parameter_count());
      for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1, 1);
      const Matrix<double> x = random_matrix(rng, layer->inputs(), 3, -1, 1);
      Matrix<double> h;
      layer->forward(params, x, h, {});
      latentlab::apply_activation(hidden, h);

      const LossTerms terms = extra_loss(penalty, params, h);
      const double expected = 0.7 * numerical_jacobian_norms(*layer, hidden, params, x) / 3;
      CHECK(expected > 0.1);
      CHECK(terms.contractive == doctest::Approx(expected).epsilon(1e-7));
      latentlab_test::check_layer_gradients(
          penalty, params, h, random_matrix(rng, layer->outputs(), 3), nullptr, false, layer);
    }
  }
}
