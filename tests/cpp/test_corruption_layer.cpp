// CorruptionLayer (corruption_layer.h): the identity outside training, even
// with a generator (which it then leaves untouched); while training, the
// corruption of noise.h drawn from the pass's generator, fresh every pass.
// The noise kinds' statistics are tested in test_noise.cpp.
#include <doctest/doctest.h>

#include <string>

#include "corruption_layer.h"
#include "noise.h"
#include "rng.h"
#include "test_support.h"

using latentlab::CorruptionLayer;
using latentlab::Matrix;
using latentlab::NoiseConfig;
using latentlab::NoiseKind;
using latentlab::RunMode;
using latentlab::Vector;

namespace {

const NoiseConfig kNoises[] = {
    {NoiseKind::gaussian, 0.3}, {NoiseKind::mask, 0.5}, {NoiseKind::salt_pepper, 0.5}};

}  // namespace

TEST_CASE("outside training the corruption layer is the identity and draws nothing") {
  const Matrix<double> inputs = latentlab_test::unit_interval_data(8, 6, 1);
  for (const NoiseConfig& noise : kNoises) {
    CAPTURE(std::string(latentlab::noise_kind_name(noise.kind)));
    const CorruptionLayer<double> layer(8, noise);
    CHECK(layer.inputs() == 8);
    CHECK(layer.outputs() == 8);
    CHECK(layer.parameter_count() == 0);
    latentlab::Rng rng(3), untouched(3);
    Matrix<double> outputs;
    for (const RunMode mode : {RunMode{}, RunMode{false, &rng}}) {
      layer.forward(Vector<double>(), inputs, outputs, mode);
      CHECK(latentlab_test::count_differences(outputs, inputs) == 0);
    }
    CHECK(rng.uniform() == untouched.uniform());
  }
}

TEST_CASE("while training it corrupts with the pass's generator, fresh noise every pass") {
  const Matrix<double> inputs = latentlab_test::unit_interval_data(8, 6, 2);
  for (const NoiseConfig& noise : kNoises) {
    CAPTURE(std::string(latentlab::noise_kind_name(noise.kind)));
    const CorruptionLayer<double> layer(8, noise);
    latentlab::Rng rng(4), reference(4);
    Matrix<double> outputs;
    layer.forward(Vector<double>(), inputs, outputs, RunMode{true, &rng});
    // What corrupt() makes of a copy with a generator of the same seed, and
    // the generator has advanced as far.
    Matrix<double> expected = inputs;
    latentlab::corrupt(expected, noise, reference);
    CHECK(latentlab_test::count_differences(outputs, expected) == 0);
    CHECK(latentlab_test::count_differences(outputs, inputs) > 0);
    // The next pass draws on: other noise.
    Matrix<double> again;
    layer.forward(Vector<double>(), inputs, again, RunMode{true, &rng});
    CHECK(latentlab_test::count_differences(again, outputs) > 0);
    expected = inputs;
    latentlab::corrupt(expected, noise, reference);
    CHECK(latentlab_test::count_differences(again, expected) == 0);
    CHECK(rng.uniform() == reference.uniform());
  }
}

TEST_CASE("the corruption layer's backward leaves the gradient buffer alone") {
  // As the first layer its input is the data: no gradient flows through it.
  const CorruptionLayer<double> layer(3, NoiseConfig{NoiseKind::mask, 0.5});
  const Matrix<double> inputs = latentlab_test::unit_interval_data(3, 2, 5);
  Matrix<double> outputs, output_gradient = Matrix<double>::Ones(3, 2), input_gradient;
  Vector<double> grads = Vector<double>::Constant(4, 7.0);
  layer.forward(Vector<double>(), inputs, outputs, RunMode{});
  layer.backward(Vector<double>(), inputs, outputs, output_gradient, grads, &input_gradient);
  CHECK(grads.isConstant(7.0, 0));
}
