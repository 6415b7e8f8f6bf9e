// ActivationLayer: Y = f(X) element-wise, no parameters. A forward case
// worked out by hand for each activation, ReLU's exact zeros, and a
// finite-difference check of dL/dX for each kind (away from ReLU's kink).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "activation_layer.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::ActivationLayer;
using latentlab::Matrix;
using latentlab::RunMode;
using latentlab::Vector;

namespace {

const Activation kAllActivations[] = {Activation::identity, Activation::relu, Activation::sigmoid,
                                      Activation::tanh};

// The pre-activations of test_dense_layer.cpp's hand case (3 units, batch 2).
Matrix<double> hand_inputs() {
  Matrix<double> inputs(3, 2);
  inputs << -1.4, -0.9,  //
      2.3, -2.075,       //
      0.8, 2.3;
  return inputs;
}

// The activations written out independently of activation.h.
double activate(Activation activation, double a) {
  switch (activation) {
    case Activation::identity:
      return a;
    case Activation::relu:
      return a > 0 ? a : 0.0;
    case Activation::sigmoid:
      return 1.0 / (1.0 + std::exp(-a));
    case Activation::tanh:
      return std::tanh(a);
  }
  return a;
}

}  // namespace

TEST_CASE("an activation layer has no parameters and keeps its width") {
  for (Activation activation : kAllActivations) {
    const ActivationLayer<double> layer(7, activation);
    CHECK(layer.inputs() == 7);
    CHECK(layer.outputs() == 7);
    CHECK(layer.parameter_count() == 0);
    CHECK(layer.tensors().empty());
    CHECK(layer.activation() == activation);
  }
}

TEST_CASE("forward pass on a case worked out by hand, for each activation") {
  const Matrix<double> inputs = hand_inputs();
  const Vector<double> no_params;
  for (Activation activation : kAllActivations) {
    CAPTURE(std::string(latentlab::activation_name(activation)));
    const ActivationLayer<double> layer(3, activation);
    Matrix<double> outputs;
    layer.forward(no_params, inputs, outputs, RunMode{});
    REQUIRE(outputs.rows() == 3);
    REQUIRE(outputs.cols() == 2);
    for (Eigen::Index i = 0; i < inputs.size(); ++i) {
      CAPTURE(i);
      CHECK(outputs(i) == doctest::Approx(activate(activation, inputs(i))).epsilon(1e-14));
    }
  }
}

TEST_CASE("relu forward zeroes exactly the negative inputs") {
  // The hand case: entries -1.4, -0.9, -2.075 become 0, the others stay.
  const ActivationLayer<double> layer(3, Activation::relu);
  Matrix<double> outputs;
  layer.forward(Vector<double>(), hand_inputs(), outputs, RunMode{});
  CHECK(outputs(0, 0) == 0.0);
  CHECK(outputs(0, 1) == 0.0);
  CHECK(outputs(1, 1) == 0.0);
  CHECK(outputs(1, 0) == 2.3);
  CHECK(outputs(2, 0) == 0.8);
  CHECK(outputs(2, 1) == 2.3);
}

TEST_CASE("backward on a hand-worked sigmoid case: dL/dX = dL/dY y (1 - y)") {
  // x = 0: y = 1/2, slope 1/4; x = ln 3: y = 3/4, slope 3/16.
  const ActivationLayer<double> layer(1, Activation::sigmoid);
  Matrix<double> inputs(1, 2);
  inputs << 0, std::log(3.0);
  Matrix<double> outputs;
  Vector<double> no_params, no_grads;
  layer.forward(no_params, inputs, outputs, RunMode{});
  CHECK(outputs(0) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(outputs(1) == doctest::Approx(0.75).epsilon(1e-15));
  Matrix<double> output_gradient(1, 2);
  output_gradient << 2, 8;
  Matrix<double> input_gradient;
  layer.backward(no_params, inputs, outputs, output_gradient, no_grads, &input_gradient);
  CHECK(input_gradient(0) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(input_gradient(1) == doctest::Approx(1.5).epsilon(1e-15));
}

TEST_CASE("backward matches finite differences of L = sum(R .* Y) for each activation") {
  // 4 units, batch 5, inputs in [-2, 2] but at least 0.1 from ReLU's kink:
  // a step of 1e-6 cannot cross it.
  for (Activation activation : kAllActivations) {
    CAPTURE(std::string(latentlab::activation_name(activation)));
    const ActivationLayer<double> layer(4, activation);
    latentlab::Rng rng(42);
    Matrix<double> inputs = latentlab_test::random_matrix(rng, 4, 5, -2, 2);
    for (Eigen::Index i = 0; i < inputs.size(); ++i) {
      if (std::abs(inputs(i)) < 0.1) inputs(i) = inputs(i) < 0 ? -0.1 : 0.1;
    }
    REQUIRE((inputs.array() < 0).any());  // ReLU sees both sides
    REQUIRE((inputs.array() > 0).any());
    const Matrix<double> weights_of_outputs = latentlab_test::random_matrix(rng, 4, 5);
    Vector<double> no_params;
    latentlab_test::check_layer_gradients(layer, no_params, inputs, weights_of_outputs);
  }
}
