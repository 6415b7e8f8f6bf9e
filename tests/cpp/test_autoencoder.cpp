// Autoencoder: configuration errors, the layer stack built from a config,
// seeded initialisation, a whole-model finite-difference gradient check in
// double, and the BCE output path (logits inside, probabilities outside).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::Matrix;
using latentlab::ReconstructionLoss;

namespace {

const Activation kAllActivations[] = {Activation::identity, Activation::relu, Activation::sigmoid,
                                      Activation::tanh};

using latentlab_test::small_config;

// n samples of `features` values uniform in [0, 1], one column per sample.
template <typename Scalar>
Matrix<Scalar> unit_interval_data(int features, int samples, std::uint64_t seed) {
  latentlab::Rng rng(seed);
  Matrix<Scalar> data(features, samples);
  for (Eigen::Index i = 0; i < data.size(); ++i) data(i) = static_cast<Scalar>(rng.uniform());
  return data;
}

}  // namespace

TEST_CASE("config validation names the option that is wrong") {
  auto expect_error = [](const AutoencoderConfig& config, const std::string& option) {
    CAPTURE(option);
    CHECK_THROWS_WITH_AS(config.validate(), doctest::Contains(option.c_str()),
                         std::invalid_argument);
    // The constructor validates too.
    CHECK_THROWS_WITH_AS(Autoencoder<float>{config}, doctest::Contains(option.c_str()),
                         std::invalid_argument);
  };
  CHECK_NOTHROW(small_config().validate());

  AutoencoderConfig config = small_config();
  config.input_size = 0;
  expect_error(config, "inputSize");
  config.input_size = 65537;  // above the width cap
  expect_error(config, "inputSize");

  config = small_config();
  config.latent_size = -1;
  expect_error(config, "latentSize");

  config = small_config();
  config.encoder = {5, 0};
  expect_error(config, "encoder[1]");

  config = small_config();
  config.decoder = std::vector<int>{4, -2};
  expect_error(config, "decoder[1]");

  config = small_config();
  config.decoder = std::vector<int>{0};
  expect_error(config, "decoder[0]");

  config = small_config();
  config.loss = ReconstructionLoss::bce;
  config.output_activation = Activation::tanh;
  expect_error(config, "outputActivation");
  expect_error(config, "bce");
  config.output_activation = Activation::sigmoid;
  CHECK_NOTHROW(config.validate());

  // The largest allowed width is accepted.
  config = small_config();
  config.latent_size = 65536;
  CHECK_NOTHROW(config.validate());
}

TEST_CASE("a 784-256-32 encoder gets a mirrored decoder") {
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {256};
  config.latent_size = 32;
  const Autoencoder<float> model(config);
  const auto& layers = model.layers();
  REQUIRE(layers.size() == 4);
  CHECK(model.encoder_layer_count() == 2);

  const int inputs[] = {784, 256, 32, 256};
  const int outputs[] = {256, 32, 256, 784};
  const Activation activations[] = {Activation::relu, Activation::identity, Activation::relu,
                                    Activation::sigmoid};
  std::size_t offset = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    CAPTURE(i);
    CHECK(layers[i].inputs() == inputs[i]);
    CHECK(layers[i].outputs() == outputs[i]);
    CHECK(layers[i].activation() == activations[i]);
    // Layers are packed one after the other in the flat buffer.
    CHECK(layers[i].offset() == offset);
    offset += layers[i].parameter_count();
  }
  CHECK(offset == 784u * 256 + 256 + 256 * 32 + 32 + 32 * 256 + 256 + 256 * 784 + 784);
  CHECK(static_cast<std::size_t>(model.parameters().size()) == offset);
  CHECK(static_cast<std::size_t>(model.gradients().size()) == offset);
}

TEST_CASE("an explicit decoder replaces the mirror") {
  AutoencoderConfig config;
  config.input_size = 10;
  config.encoder = {8};
  config.latent_size = 2;
  config.decoder = std::vector<int>{4, 6};
  const Autoencoder<double> model(config);
  const auto& layers = model.layers();
  REQUIRE(layers.size() == 5);
  const int widths[] = {10, 8, 2, 4, 6, 10};
  for (std::size_t i = 0; i < layers.size(); ++i) {
    CAPTURE(i);
    CHECK(layers[i].inputs() == widths[i]);
    CHECK(layers[i].outputs() == widths[i + 1]);
  }
  // An explicit empty decoder means no hidden decoder layers (not a mirror).
  config.decoder = std::vector<int>{};
  const Autoencoder<double> shallow(config);
  REQUIRE(shallow.layers().size() == 3);
  CHECK(shallow.layers()[2].inputs() == 2);
  CHECK(shallow.layers()[2].outputs() == 10);
}

TEST_CASE("with BCE the last layer emits logits") {
  AutoencoderConfig config = small_config();
  config.loss = ReconstructionLoss::bce;
  const Autoencoder<double> model(config);
  CHECK(model.layers().back().activation() == Activation::identity);
}

TEST_CASE("initialisation is seeded") {
  AutoencoderConfig config = small_config();
  config.seed = 5;
  const Autoencoder<float> a(config), b(config);
  CHECK(latentlab_test::count_differences(a.parameters(), b.parameters()) == 0);
  config.seed = 6;
  const Autoencoder<float> c(config);
  CHECK(latentlab_test::count_differences(a.parameters(), c.parameters()) > 0);
  // Float and double models of one seed hold the same values: the double
  // gradient checks below describe the float model that trains.
  config.seed = 5;
  const Autoencoder<double> d(config);
  CHECK(latentlab_test::count_differences(a.parameters(), d.parameters().cast<float>()) == 0);
}

TEST_CASE("initial W and b are uniform within +-1/sqrt(fan_in)") {
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {256};
  config.latent_size = 32;
  config.seed = 9;
  const Autoencoder<float> model(config);
  for (const auto& layer : model.layers()) {
    CAPTURE(layer.inputs());
    CAPTURE(layer.outputs());
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer.inputs()));
    const auto w = layer.weights(model.parameters());
    const auto b = layer.bias(model.parameters());
    CHECK(w.cwiseAbs().maxCoeff() <= bound);
    CHECK(b.cwiseAbs().maxCoeff() <= bound);
    // The whole range is used: |w| reaches near the bound and averages bound/2.
    CHECK(w.cwiseAbs().maxCoeff() > 0.95 * bound);
    CHECK(w.cwiseAbs().mean() == doctest::Approx(bound / 2).epsilon(0.05));
    CHECK(std::abs(w.mean()) < 0.05 * bound);
  }
}

TEST_CASE("whole-model gradients match finite differences of loss()") {
  // Input 6, encoder {5, 4}, latent 3, mirrored decoder {4, 5}; inputs in [0, 1].
  const Matrix<double> inputs = unit_interval_data<double>(6, 4, 21);
  for (Activation hidden : kAllActivations) {
    for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      CAPTURE(std::string(latentlab::loss_name(loss)));
      AutoencoderConfig config = small_config();
      config.activation = hidden;
      config.loss = loss;
      config.output_activation = Activation::sigmoid;  // mse with sigmoid output; bce logits
      Autoencoder<double> model(config);
      // The check is meaningless if a step of h could cross a ReLU kink.
      REQUIRE(latentlab_test::smallest_relu_preactivation(model, inputs) > 1e-4);

      latentlab::Rng rng(0);
      const double loss_value = model.compute_gradients(inputs, inputs, rng).total();
      CHECK(loss_value == doctest::Approx(model.loss(inputs)).epsilon(1e-15));
      const latentlab::Vector<double> analytic = model.gradients();
      REQUIRE(analytic.allFinite());
      CHECK(analytic.cwiseAbs().maxCoeff() > 1e-3);  // nontrivial

      auto& params = model.parameters();
      for (Eigen::Index i = 0; i < params.size(); ++i) {
        CAPTURE(i);
        const double numeric =
            latentlab_test::central_difference([&] { return model.loss(inputs); }, params(i));
        CHECK(analytic(i) == latentlab_test::gradient_approx(numeric));
      }
    }
  }
}

TEST_CASE("float gradients agree with the double gradients of the same model") {
  AutoencoderConfig config = small_config();
  config.activation = Activation::tanh;
  Autoencoder<float> model_f(config);
  Autoencoder<double> model_d(config);
  model_d.parameters() = model_f.parameters().cast<double>();
  const Matrix<float> inputs = unit_interval_data<float>(6, 8, 4);
  latentlab::Rng rng_f(0), rng_d(0);
  const double loss_f = model_f.compute_gradients(inputs, inputs, rng_f).total();
  const Matrix<double> inputs_d = inputs.cast<double>();
  const double loss_d = model_d.compute_gradients(inputs_d, inputs_d, rng_d).total();
  CHECK(loss_f == doctest::Approx(loss_d).epsilon(1e-5));
  for (Eigen::Index i = 0; i < model_d.gradients().size(); ++i) {
    CAPTURE(i);
    CHECK(model_f.gradients()(i) ==
          doctest::Approx(model_d.gradients()(i)).epsilon(1e-4).scale(1e-3));
  }
}

TEST_CASE("reconstruct in BCE mode applies the sigmoid to the logits") {
  AutoencoderConfig config = small_config();
  config.loss = ReconstructionLoss::bce;
  const Autoencoder<double> model(config);
  const Matrix<double> inputs = unit_interval_data<double>(6, 5, 8);

  const Matrix<double> codes = model.encode(inputs);
  CHECK(codes.rows() == 3);
  CHECK(codes.cols() == 5);
  const Matrix<double> reconstructions = model.reconstruct(inputs);
  REQUIRE(reconstructions.rows() == 6);
  REQUIRE(reconstructions.cols() == 5);
  CHECK(latentlab_test::count_differences(reconstructions, model.decode(codes)) == 0);
  CHECK(reconstructions.minCoeff() > 0.0);
  CHECK(reconstructions.maxCoeff() < 1.0);

  // The logits, by running the layers by hand; reconstruct = sigmoid(logits).
  Matrix<double> current = inputs;
  for (const auto& layer : model.layers()) {
    Matrix<double> next;
    layer.forward(model.parameters(), current, next);
    current = next;
  }
  for (Eigen::Index i = 0; i < current.size(); ++i) {
    CHECK(reconstructions(i) ==
          doctest::Approx(1.0 / (1.0 + std::exp(-current(i)))).epsilon(1e-14));
  }

  // loss() from the logits equals the textbook BCE of the reconstructions.
  double expected = 0;
  for (Eigen::Index i = 0; i < inputs.size(); ++i) {
    const double p = reconstructions(i), x = inputs(i);
    expected -= x * std::log(p) + (1 - x) * std::log(1 - p);
  }
  expected /= static_cast<double>(inputs.size());
  CHECK(model.loss(inputs) == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("reconstruct in MSE mode is the plain forward pass") {
  AutoencoderConfig config = small_config();
  config.output_activation = Activation::identity;
  const Autoencoder<double> model(config);
  const Matrix<double> inputs = unit_interval_data<double>(6, 3, 2);
  const Matrix<double> reconstructions = model.reconstruct(inputs);
  CHECK(latentlab_test::count_differences(reconstructions, model.decode(model.encode(inputs))) ==
        0);
  // MSE of the reconstructions is the model's loss.
  CHECK(model.loss(inputs) ==
        doctest::Approx((reconstructions - inputs).squaredNorm() / 18).epsilon(1e-14));
}
