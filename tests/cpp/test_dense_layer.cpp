// DenseLayer: Y = W X + b (no activation: that is a layer of its own). The
// layout of W and b inside the flat buffer and their tensors, a forward case
// worked out by hand, finite-difference checks of the backward pass (dW, db,
// dX) which ADDS to the gradient buffer, and the three initialisations.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "dense_layer.h"
#include "rng.h"
#include "test_support.h"

using latentlab::DenseLayer;
using latentlab::Matrix;
using latentlab::RunMode;
using latentlab::Vector;
using latentlab::WeightInit;
using latentlab_test::random_matrix;

namespace {

// The layer sits at this offset inside a larger buffer, whose other entries
// hold a sentinel: the layer must neither read nor write them.
constexpr std::size_t kOffset = 4;
constexpr double kSentinel = 99.0;

DenseLayer<double> layer_at(int inputs, int outputs, std::size_t offset) {
  DenseLayer<double> layer(inputs, outputs);
  layer.set_offset(offset);
  return layer;
}

// The hand case below: W (3 x 2) and b (3) at kOffset of a sentinel buffer.
//   W = [ 0.5  -1   ]   b = [ 0.1 ]
//       [ 2     0.25]       [-0.2 ]
//       [-1.5   1   ]       [ 0.3 ]
Vector<double> hand_case_parameters(const DenseLayer<double>& layer) {
  Vector<double> params = Vector<double>::Constant(kOffset + layer.parameter_count(), kSentinel);
  layer.weights(params) << 0.5, -1,  //
      2, 0.25,                       //
      -1.5, 1;
  layer.bias(params) << 0.1, -0.2, 0.3;
  return params;
}

}  // namespace

TEST_CASE("W and b are column-major views at the layer's offset") {
  const DenseLayer<double> layer = layer_at(2, 3, kOffset);
  CHECK(layer.inputs() == 2);
  CHECK(layer.outputs() == 3);
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

TEST_CASE("its tensors: weight [out, in] stored column-major, then bias [out]") {
  const DenseLayer<double> layer = layer_at(2, 3, kOffset);
  const std::vector<latentlab::TensorView> tensors = layer.tensors();
  REQUIRE(tensors.size() == 2);
  CHECK(tensors[0].name == "weight");
  CHECK(tensors[0].shape == std::vector<std::uint64_t>{3, 2});
  CHECK(tensors[0].offset == kOffset);
  CHECK(tensors[0].column_major);
  CHECK(tensors[0].count() == 6);
  CHECK(tensors[1].name == "bias");
  CHECK(tensors[1].shape == std::vector<std::uint64_t>{3});
  CHECK(tensors[1].offset == kOffset + 6);
  CHECK_FALSE(tensors[1].column_major);
  CHECK(tensors[1].count() == 3);
}

TEST_CASE("forward pass on a case worked out by hand: Y = W X + b, no activation") {
  // X = [ 1  -1   ]  (2 inputs, batch 2, one column per sample)
  //     [ 2   0.5 ]
  // Y = W X + b:
  //   sample 1: 0.5 - 2 + 0.1 = -1.4;    2 + 0.5 - 0.2 = 2.3;       -1.5 + 2 + 0.3 = 0.8
  //   sample 2: -0.5 - 0.5 + 0.1 = -0.9; -2 + 0.125 - 0.2 = -2.075; 1.5 + 0.5 + 0.3 = 2.3
  const DenseLayer<double> layer = layer_at(2, 3, kOffset);
  const Vector<double> params = hand_case_parameters(layer);
  Matrix<double> inputs(2, 2);
  inputs << 1, -1,  //
      2, 0.5;
  Matrix<double> expected(3, 2);
  expected << -1.4, -0.9,  //
      2.3, -2.075,         //
      0.8, 2.3;
  Matrix<double> outputs;
  // Neither the training flag nor a generator changes a dense layer.
  latentlab::Rng rng(1);
  for (const RunMode mode : {RunMode{}, RunMode{true, &rng}}) {
    layer.forward(params, inputs, outputs, mode);
    REQUIRE(outputs.rows() == 3);
    REQUIRE(outputs.cols() == 2);
    for (Eigen::Index i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(outputs(i) == doctest::Approx(expected(i)).epsilon(1e-14));
    }
  }
}

TEST_CASE("backward on a hand-worked case, adding to the gradient already there") {
  // 1 input, 1 output, batch 2: y = w x + b with w = 3, b = -1, x = (2, -4).
  // With dL/dY = (1, 0.5): dW = 1*2 + 0.5*(-4) = 0, db = 1.5, dX = w dL/dY = (3, 1.5).
  const DenseLayer<double> layer(1, 1);
  Vector<double> params(2);
  params << 3, -1;
  Matrix<double> inputs(1, 2);
  inputs << 2, -4;
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, RunMode{});
  CHECK(outputs(0) == 5.0);
  CHECK(outputs(1) == -13.0);
  Matrix<double> output_gradient(1, 2);
  output_gradient << 1, 0.5;
  Vector<double> grads(2);
  grads << 10, 20;  // what earlier layers' terms left there: added to, not replaced
  Matrix<double> input_gradient;
  layer.backward(params, inputs, outputs, output_gradient, grads, &input_gradient);
  CHECK(grads(0) == 10.0);
  CHECK(grads(1) == 21.5);
  CHECK(input_gradient(0) == 3.0);
  CHECK(input_gradient(1) == 1.5);
  // A second backward adds once more.
  output_gradient << 1, 0.5;
  layer.backward(params, inputs, outputs, output_gradient, grads, nullptr);
  CHECK(grads(0) == 10.0);
  CHECK(grads(1) == 23.0);
}

TEST_CASE("backward matches finite differences of L = sum(R .* Y) (dW, db, dX)") {
  // 4 inputs, 3 outputs, batch 5, at kOffset inside a buffer with 2 more
  // entries after the layer. R is a fixed random matrix: dL/dY = R.
  // check_layer_gradients starts the gradient buffer non-zero and compares
  // (grads after - grads before) with the differences: backward adds.
  constexpr int kIn = 4, kOut = 3, kBatch = 5;
  const DenseLayer<double> layer = layer_at(kIn, kOut, kOffset);
  latentlab::Rng rng(42);
  Vector<double> params(kOffset + layer.parameter_count() + 2);
  for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1.0, 1.0);
  Matrix<double> inputs = random_matrix(rng, kIn, kBatch);
  const Matrix<double> weights_of_outputs = random_matrix(rng, kOut, kBatch);  // R
  latentlab_test::check_layer_gradients(layer, params, inputs, weights_of_outputs);
}

TEST_CASE("backward without an input gradient gives the same parameter gradients") {
  const DenseLayer<double> layer(3, 2);
  latentlab::Rng rng(7);
  Vector<double> params(layer.parameter_count());
  for (Eigen::Index i = 0; i < params.size(); ++i) params(i) = rng.uniform(-1.0, 1.0);
  const Matrix<double> inputs = random_matrix(rng, 3, 4);
  const Matrix<double> upstream = random_matrix(rng, 2, 4);
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, RunMode{});

  Vector<double> with = Vector<double>::Zero(params.size());
  Vector<double> without = Vector<double>::Zero(params.size());
  Matrix<double> gradient = upstream, input_gradient;
  layer.backward(params, inputs, outputs, gradient, with, &input_gradient);
  gradient = upstream;
  layer.backward(params, inputs, outputs, gradient, without, nullptr);
  CHECK(latentlab_test::count_differences(with, without) == 0);
}

// ---------------------------------------------------------------------------
// Initialisation

TEST_CASE("initialize draws W column-major and then b, from U(+-bound)") {
  // pytorch: W and b ~ U(+-1/sqrt(fan_in)), drawn in buffer order; glorot and
  // he draw only W (the same values: the bound scales the same uniforms) and
  // set b to 0. Written out with a generator of the same seed.
  const DenseLayer<double> layer = layer_at(3, 2, kOffset);
  struct Case {
    WeightInit init;
    double bound;
  };
  for (const Case& c :
       {Case{WeightInit::pytorch, 1 / std::sqrt(3.0)}, Case{WeightInit::glorot, std::sqrt(6.0 / 5)},
        Case{WeightInit::he, std::sqrt(6.0 / 3)}}) {
    CAPTURE(std::string(latentlab::weight_init_name(c.init)));
    Vector<double> params = Vector<double>::Constant(kOffset + 8 + 1, kSentinel);
    latentlab::Rng rng(11), reference(11);
    layer.initialize(params, c.init, rng);
    for (std::size_t i = 0; i < kOffset; ++i) CHECK(params(i) == kSentinel);
    CHECK(params(kOffset + 8) == kSentinel);
    for (int i = 0; i < 6; ++i) {
      CAPTURE(i);
      CHECK(params(kOffset + i) == reference.uniform(-c.bound, c.bound));
    }
    for (int i = 6; i < 8; ++i) {
      CAPTURE(i);
      const double expected =
          c.init == WeightInit::pytorch ? reference.uniform(-c.bound, c.bound) : 0.0;
      CHECK(params(kOffset + i) == expected);
    }
  }
}

TEST_CASE("a large layer's W fills its range: |w| <= bound, variance bound^2 / 3") {
  // 300 x 200 = 60,000 weights of U(-c, c): variance c^2 / 3, estimated to a
  // relative standard error of sqrt(0.8 / 60000) ~ 0.4 %; tolerance 2 %.
  constexpr int kIn = 200, kOut = 300;
  const DenseLayer<double> layer(kIn, kOut);
  for (WeightInit init : {WeightInit::pytorch, WeightInit::glorot, WeightInit::he}) {
    CAPTURE(std::string(latentlab::weight_init_name(init)));
    const double bound = init == WeightInit::pytorch  ? 1 / std::sqrt(double(kIn))
                         : init == WeightInit::glorot ? std::sqrt(6.0 / (kIn + kOut))
                                                      : std::sqrt(6.0 / kIn);
    Vector<double> params(layer.parameter_count());
    latentlab::Rng rng(3);
    layer.initialize(params, init, rng);
    const Matrix<double> w = layer.weights(params);
    const Vector<double> b = layer.bias(params);
    CHECK(w.cwiseAbs().maxCoeff() <= bound);
    CHECK(w.cwiseAbs().maxCoeff() > 0.99 * bound);
    CHECK(std::abs(w.mean()) < 0.02 * bound);
    const double variance = (w.array() - w.mean()).square().mean();
    CHECK(variance == doctest::Approx(bound * bound / 3).epsilon(0.02));
    if (init == WeightInit::pytorch) {
      CHECK(b.cwiseAbs().maxCoeff() <= bound);
      CHECK(b.cwiseAbs().maxCoeff() > 0.9 * bound);
    } else {
      CHECK(b.isZero(0));
    }
  }
}
