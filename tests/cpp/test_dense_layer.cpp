// DenseLayer: Y = f(W X + b). A forward case worked out by hand, the layout
// of W and b inside the flat buffer, and finite-difference checks of the
// backward pass (dW, db, dX) for every activation.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "dense_layer.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::DenseLayer;
using latentlab::Matrix;
using latentlab::Vector;

namespace {

const Activation kAllActivations[] = {Activation::identity, Activation::relu, Activation::sigmoid,
                                      Activation::tanh};

// The layer sits at this offset inside a larger buffer, whose other entries
// hold a sentinel: the layer must neither read nor write them.
constexpr std::size_t kOffset = 4;
constexpr double kSentinel = 99.0;

Matrix<double> random_matrix(latentlab::Rng& rng, Eigen::Index rows, Eigen::Index cols) {
  Matrix<double> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = rng.uniform(-1.0, 1.0);
  return m;
}

}  // namespace

TEST_CASE("W and b are column-major views at the layer's offset") {
  const DenseLayer<double> layer(2, 3, Activation::identity, kOffset);
  CHECK(layer.parameter_count() == 3 * 2 + 3);
  Vector<double> buffer = Vector<double>::Constant(kOffset + 9 + 2, kSentinel);
  layer.weights(buffer) << 1, 2,  //
      3, 4,                       //
      5, 6;
  layer.bias(buffer) << 7, 8, 9;
  // [W | b], W column-major: W(0,0) W(1,0) W(2,0) W(0,1) W(1,1) W(2,1) b0 b1 b2.
  const double expected[] = {1, 3, 5, 2, 4, 6, 7, 8, 9};
  for (int i = 0; i < 9; ++i) CHECK(buffer(kOffset + i) == expected[i]);
  for (std::size_t i = 0; i < kOffset; ++i) CHECK(buffer(i) == kSentinel);
  CHECK(buffer(kOffset + 9) == kSentinel);
  CHECK(buffer(kOffset + 10) == kSentinel);
}

TEST_CASE("forward pass on a case worked out by hand") {
  // 2 inputs, 3 outputs, batch 2 (one column per sample).
  //   W = [ 0.5  -1   ]   b = [ 0.1 ]   X = [ 1  -1   ]
  //       [ 2     0.25]       [-0.2 ]       [ 2   0.5 ]
  //       [-1.5   1   ]       [ 0.3 ]
  // A = W X + b:
  //   sample 1: 0.5 - 2 + 0.1 = -1.4;   2 + 0.5 - 0.2 = 2.3;      -1.5 + 2 + 0.3 = 0.8
  //   sample 2: -0.5 - 0.5 + 0.1 = -0.9; -2 + 0.125 - 0.2 = -2.075; 1.5 + 0.5 + 0.3 = 2.3
  Matrix<double> inputs(2, 2);
  inputs << 1, -1,  //
      2, 0.5;
  Matrix<double> pre(3, 2);
  pre << -1.4, -0.9,  //
      2.3, -2.075,    //
      0.8, 2.3;

  for (Activation activation : kAllActivations) {
    CAPTURE(std::string(latentlab::activation_name(activation)));
    const DenseLayer<double> layer(2, 3, activation, kOffset);
    Vector<double> params = Vector<double>::Constant(kOffset + layer.parameter_count(), kSentinel);
    layer.weights(params) << 0.5, -1,  //
        2, 0.25,                       //
        -1.5, 1;
    layer.bias(params) << 0.1, -0.2, 0.3;

    Matrix<double> outputs;
    layer.forward(params, inputs, outputs);
    REQUIRE(outputs.rows() == 3);
    REQUIRE(outputs.cols() == 2);
    for (Eigen::Index i = 0; i < pre.size(); ++i) {
      const double a = pre(i);
      double expected = a;
      switch (activation) {
        case Activation::identity:
          expected = a;
          break;
        case Activation::relu:
          expected = a > 0 ? a : 0.0;
          break;
        case Activation::sigmoid:
          expected = 1.0 / (1.0 + std::exp(-a));
          break;
        case Activation::tanh:
          expected = std::tanh(a);
          break;
      }
      CAPTURE(i);
      CHECK(outputs(i) == doctest::Approx(expected).epsilon(1e-14));
    }
  }
}

TEST_CASE("relu forward zeroes exactly the negative pre-activations") {
  // The same hand case: entries -1.4, -0.9, -2.075 become 0, the others stay.
  const DenseLayer<double> layer(2, 3, Activation::relu, 0);
  Vector<double> params(layer.parameter_count());
  layer.weights(params) << 0.5, -1, 2, 0.25, -1.5, 1;
  layer.bias(params) << 0.1, -0.2, 0.3;
  Matrix<double> inputs(2, 2);
  inputs << 1, -1, 2, 0.5;
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs);
  CHECK(outputs(0, 0) == 0.0);
  CHECK(outputs(0, 1) == 0.0);
  CHECK(outputs(1, 1) == 0.0);
  CHECK(outputs(1, 0) == doctest::Approx(2.3).epsilon(1e-14));
  CHECK(outputs(2, 0) == doctest::Approx(0.8).epsilon(1e-14));
  CHECK(outputs(2, 1) == doctest::Approx(2.3).epsilon(1e-14));
}

TEST_CASE("backward matches finite differences of L = sum(R .* Y) for every activation") {
  // 4 inputs, 3 outputs, batch 5. R is a fixed random matrix so that every
  // output contributes to L with its own weight: dL/dY = R.
  constexpr int kIn = 4, kOut = 3, kBatch = 5;
  for (Activation activation : kAllActivations) {
    CAPTURE(std::string(latentlab::activation_name(activation)));
    const DenseLayer<double> layer(kIn, kOut, activation, kOffset);
    latentlab::Rng rng(42);
    Vector<double> params(kOffset + layer.parameter_count() + 2);
    for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1.0, 1.0);
    Matrix<double> inputs = random_matrix(rng, kIn, kBatch);
    const Matrix<double> weights_of_outputs = random_matrix(rng, kOut, kBatch);  // R

    // ReLU has a kink at 0: the check is only valid if no pre-activation is
    // within reach of the step (|dA| <= h * (|x| + 1) << 1e-4).
    const Matrix<double> pre =
        (layer.weights(params) * inputs).colwise() + Vector<double>(layer.bias(params));
    REQUIRE(pre.cwiseAbs().minCoeff() > 1e-4);

    auto loss = [&] {
      Matrix<double> outputs;
      layer.forward(params, inputs, outputs);
      return (weights_of_outputs.array() * outputs.array()).sum();
    };

    Matrix<double> outputs;
    layer.forward(params, inputs, outputs);
    Matrix<double> output_gradient = weights_of_outputs;
    // Garbage in grads: backward must overwrite the layer's part, not add to it,
    // and leave the rest of the buffer alone.
    Vector<double> grads = Vector<double>::Constant(params.size(), kSentinel);
    Matrix<double> input_gradient;
    layer.backward(params, inputs, outputs, output_gradient, grads, &input_gradient);

    for (std::size_t i = 0; i < kOffset; ++i) CHECK(grads(i) == kSentinel);
    CHECK(grads(params.size() - 1) == kSentinel);
    CHECK(grads(params.size() - 2) == kSentinel);

    // dW and db: every parameter of the layer.
    for (std::size_t i = 0; i < layer.parameter_count(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(loss, params(kOffset + i));
      CHECK(grads(kOffset + i) == latentlab_test::gradient_approx(numeric));
    }
    // dX: every input.
    REQUIRE(input_gradient.rows() == kIn);
    REQUIRE(input_gradient.cols() == kBatch);
    for (Eigen::Index i = 0; i < inputs.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(loss, inputs(i));
      CHECK(input_gradient(i) == latentlab_test::gradient_approx(numeric));
    }
  }
}

TEST_CASE("backward on a hand-worked identity case") {
  // 1 input, 1 output, batch 2: y = w x + b with w = 3, b = -1, x = (2, -4).
  // With dL/dY = (1, 0.5): dW = 1*2 + 0.5*(-4) = 0, db = 1.5, dX = w dL/dY = (3, 1.5).
  const DenseLayer<double> layer(1, 1, Activation::identity, 0);
  Vector<double> params(2);
  params << 3, -1;
  Matrix<double> inputs(1, 2);
  inputs << 2, -4;
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs);
  CHECK(outputs(0) == 5.0);
  CHECK(outputs(1) == -13.0);
  Matrix<double> output_gradient(1, 2);
  output_gradient << 1, 0.5;
  Vector<double> grads(2);
  Matrix<double> input_gradient;
  layer.backward(params, inputs, outputs, output_gradient, grads, &input_gradient);
  CHECK(grads(0) == 0.0);
  CHECK(grads(1) == 1.5);
  CHECK(input_gradient(0) == 3.0);
  CHECK(input_gradient(1) == 1.5);
}

TEST_CASE("backward without an input gradient gives the same parameter gradients") {
  const DenseLayer<double> layer(3, 2, Activation::tanh, 0);
  latentlab::Rng rng(7);
  Vector<double> params(layer.parameter_count());
  for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1.0, 1.0);
  const Matrix<double> inputs = random_matrix(rng, 3, 4);
  const Matrix<double> upstream = random_matrix(rng, 2, 4);
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs);

  Vector<double> with(params.size()), without(params.size());
  Matrix<double> gradient = upstream, input_gradient;
  layer.backward(params, inputs, outputs, gradient, with, &input_gradient);
  gradient = upstream;
  layer.backward(params, inputs, outputs, gradient, without, nullptr);
  CHECK(latentlab_test::count_differences(with, without) == 0);
}
