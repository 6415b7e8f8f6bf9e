// Autoencoder: configuration errors, a whole-model finite-difference gradient
// check in double, the BCE output path (logits inside, probabilities
// outside), sampling and interpolation. The layers a config builds are in
// test_layer_plan.cpp, the initialisation in test_initialization.cpp, the
// model families in test_families.cpp.
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

using latentlab_test::unit_interval_data;

// The network's outputs (logits for BCE) by running every layer by hand.
Matrix<double> run_every_layer(const Autoencoder<double>& model, const Matrix<double>& inputs) {
  Matrix<double> current = inputs;
  for (const auto& layer : model.layers()) {
    Matrix<double> next;
    layer->forward(model.parameters(), current, next, latentlab::RunMode{});
    current = next;
  }
  return current;
}

}  // namespace

TEST_CASE("config validation names the option that is wrong") {
  auto expect_error = [](const AutoencoderConfig& config, const std::string& option) {
    CAPTURE(option);
    CHECK_THROWS_WITH_AS(latentlab::check_model_config(config), doctest::Contains(option.c_str()),
                         std::invalid_argument);
    // The constructor validates too.
    CHECK_THROWS_WITH_AS(Autoencoder<float>{config}, doctest::Contains(option.c_str()),
                         std::invalid_argument);
  };
  CHECK_NOTHROW(latentlab::check_model_config(small_config()));

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
  config.decoder = std::vector<latentlab::LayerSpec>{4, -2};
  expect_error(config, "decoder[1]");

  config = small_config();
  config.decoder = std::vector<latentlab::LayerSpec>{0};
  expect_error(config, "decoder[0]");

  config = small_config();
  config.loss = ReconstructionLoss::bce;
  config.output_activation = Activation::tanh;
  expect_error(config, "outputActivation");
  expect_error(config, "bce");
  config.output_activation = Activation::sigmoid;
  CHECK_NOTHROW(latentlab::check_model_config(config));

  // The largest allowed width is accepted.
  config = small_config();
  config.latent_size = 65536;
  CHECK_NOTHROW(latentlab::check_model_config(config));
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
      const double loss_value = model.compute_gradients(inputs, rng).total();
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
  const double loss_f = model_f.compute_gradients(inputs, rng_f).total();
  const Matrix<double> inputs_d = inputs.cast<double>();
  const double loss_d = model_d.compute_gradients(inputs_d, rng_d).total();
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
  const Matrix<double> current = run_every_layer(model, inputs);
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
  CHECK(latentlab_test::count_differences(reconstructions, run_every_layer(model, inputs)) == 0);
  // MSE of the reconstructions is the model's loss.
  CHECK(model.loss(inputs) ==
        doctest::Approx((reconstructions - inputs).squaredNorm() / 18).epsilon(1e-14));
}

TEST_CASE("sample decodes codes drawn from N(0, I) by a generator of the seed given") {
  AutoencoderConfig config = small_config(Activation::tanh, ReconstructionLoss::bce);
  CHECK_THROWS_WITH_AS(Autoencoder<double>(config).sample(4, 1), doctest::Contains("variational"),
                       std::invalid_argument);
  config.variational = {true, 1.0};
  const Autoencoder<double> model(config);
  const Matrix<double> samples = model.sample(4, 9);
  REQUIRE(samples.rows() == 6);
  REQUIRE(samples.cols() == 4);
  // The codes: L x count normals in column-major order.
  latentlab::Rng rng(9);
  Matrix<double> codes(3, 4);
  for (Eigen::Index i = 0; i < codes.size(); ++i) codes(i) = rng.normal();
  CHECK(latentlab_test::count_differences(samples, model.decode(codes)) == 0);
  CHECK(latentlab_test::count_differences(model.sample(4, 9), samples) == 0);
  CHECK(latentlab_test::count_differences(model.sample(4, 10), samples) > 0);
}

TEST_CASE("interpolate decodes evenly spaced codes between two inputs' codes") {
  const Autoencoder<double> model(small_config(Activation::tanh));
  const Matrix<double> a = unit_interval_data<double>(6, 1, 30);
  const Matrix<double> b = unit_interval_data<double>(6, 1, 31);
  const Matrix<double> path = model.interpolate(a, b, 5);
  REQUIRE(path.rows() == 6);
  REQUIRE(path.cols() == 5);
  // Both ends are the inputs' reconstructions; the middle decodes the mean code.
  CHECK((path.col(0) - model.reconstruct(a)).cwiseAbs().maxCoeff() < 1e-15);
  CHECK((path.col(4) - model.reconstruct(b)).cwiseAbs().maxCoeff() < 1e-15);
  const Matrix<double> middle = model.decode((model.encode(a) + model.encode(b)) / 2);
  CHECK((path.col(2) - middle).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("sizes from the configuration are checked in 64 bits before anything is allocated") {
  latentlab::AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {60000, 60000};
  config.latent_size = 2;
  // 784-60000-60000-2-60000-60000-784: 7.3e9 weights and biases, past 2^32.
  const std::uint64_t count = 784ull * 60000 + 60000 + 60000ull * 60000 + 60000 + 60000 * 2 + 2 +
                              2 * 60000 + 60000 + 60000ull * 60000 + 60000 + 60000 * 784 + 784;
  const std::string message = "the model would hold " + std::to_string(count) +
                              " parameters (29.2 GB as float32); a model can hold at most 67108864";
  CHECK_THROWS_WITH_AS(latentlab::Autoencoder<float>{config}, doctest::Contains(message.c_str()),
                       latentlab::OutOfRange);
  config.input_size = 65536;
  config.encoder = {65536};
  CHECK_THROWS_AS(latentlab::Autoencoder<float>{config}, latentlab::OutOfRange);

  // A batch whose activations would not fit is refused before the step.
  config.input_size = 4;
  config.encoder = {65536};
  latentlab::Autoencoder<float> wide(config);
  CHECK_THROWS_WITH_AS(wide.check_batch_size(1 << 20),
                       doctest::Contains("a batch of 1048576 samples would take"),
                       latentlab::OutOfRange);
  CHECK_NOTHROW(wide.check_batch_size(128));
}
