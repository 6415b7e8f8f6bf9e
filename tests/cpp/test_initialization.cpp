// A model's initial parameters: seeded, the same in float and double; for
// each scheme (pytorch, glorot, he) every weight within the scheme's bound,
// the range filled, biases as the scheme says; and the pytorch scheme giving
// exactly the parameters the engine gave before the layer reshape (values
// recorded from that build, commit 30cf0c5, as hexadecimal floats).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "test_support.h"

using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::DenseLayer;
using latentlab::Matrix;
using latentlab::Vector;
using latentlab::WeightInit;

namespace {

using latentlab_test::small_config;

const WeightInit kAllInits[] = {WeightInit::pytorch, WeightInit::glorot, WeightInit::he};

AutoencoderConfig mnist_config(WeightInit init, std::uint64_t seed) {
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {256};
  config.latent_size = 32;
  config.seed = seed;
  config.init = init;
  return config;
}

double bound_of(WeightInit init, int fan_in, int fan_out) {
  switch (init) {
    case WeightInit::glorot:
      return std::sqrt(6.0 / (fan_in + fan_out));
    case WeightInit::he:
      return std::sqrt(6.0 / fan_in);
    case WeightInit::pytorch:
      break;
  }
  return 1 / std::sqrt(static_cast<double>(fan_in));
}

std::vector<const DenseLayer<float>*> dense_layers(const Autoencoder<float>& model) {
  std::vector<const DenseLayer<float>*> dense;
  for (const auto& layer : model.layers()) {
    if (const auto* d = dynamic_cast<const DenseLayer<float>*>(layer.get())) dense.push_back(d);
  }
  return dense;
}

}  // namespace

TEST_CASE("initialisation is seeded, and the same in float and double") {
  for (WeightInit init : kAllInits) {
    CAPTURE(std::string(latentlab::weight_init_name(init)));
    AutoencoderConfig config = small_config();
    config.init = init;
    config.seed = 5;
    const Autoencoder<float> a(config), b(config);
    CHECK(latentlab_test::count_differences(a.parameters(), b.parameters()) == 0);
    config.seed = 6;
    const Autoencoder<float> c(config);
    CHECK(latentlab_test::count_differences(a.parameters(), c.parameters()) > 0);
    // Float and double models of one seed hold the same values: the double
    // gradient checks describe the float model that trains.
    config.seed = 5;
    const Autoencoder<double> d(config);
    CHECK(latentlab_test::count_differences(a.parameters(), d.parameters().cast<float>()) == 0);
  }
}

TEST_CASE("every scheme keeps W within its bound and fills the range; biases as stated") {
  //   pytorch: W, b ~ U(+-1/sqrt(fan_in))
  //   glorot:  W ~ U(+-sqrt(6 / (fan_in + fan_out))), b = 0
  //   he:      W ~ U(+-sqrt(6 / fan_in)), b = 0
  for (WeightInit init : kAllInits) {
    CAPTURE(std::string(latentlab::weight_init_name(init)));
    const Autoencoder<float> model(mnist_config(init, 9));
    const auto dense = dense_layers(model);
    REQUIRE(dense.size() == 4);
    for (const DenseLayer<float>* layer : dense) {
      CAPTURE(layer->inputs());
      CAPTURE(layer->outputs());
      const double bound = bound_of(init, layer->inputs(), layer->outputs());
      const Matrix<double> w = layer->weights(model.parameters()).cast<double>();
      const Vector<double> b = layer->bias(model.parameters()).cast<double>();
      CHECK(w.cwiseAbs().maxCoeff() <= bound);
      // The whole range is used: |w| reaches near the bound and averages bound/2.
      CHECK(w.cwiseAbs().maxCoeff() > 0.95 * bound);
      CHECK(w.cwiseAbs().mean() == doctest::Approx(bound / 2).epsilon(0.05));
      CHECK(std::abs(w.mean()) < 0.05 * bound);
      if (init == WeightInit::pytorch) {
        CHECK(b.cwiseAbs().maxCoeff() <= bound);
        CHECK(b.cwiseAbs().maxCoeff() > 0.5 * bound);  // 32 biases at the least
      } else {
        CHECK(b.isZero(0));
      }
    }
  }
}

TEST_CASE("a large layer's weights have variance bound^2 / 3 under every scheme") {
  // The 784 x 256 first layer: 200,704 weights of U(-c, c), whose variance
  // c^2 / 3 is estimated to a relative standard error of ~0.2 %; tolerance 1 %.
  for (WeightInit init : kAllInits) {
    CAPTURE(std::string(latentlab::weight_init_name(init)));
    const Autoencoder<float> model(mnist_config(init, 4));
    const DenseLayer<float>& first = *model.first_dense();
    const Matrix<double> w = first.weights(model.parameters()).cast<double>();
    REQUIRE(w.size() == 784 * 256);
    const double bound = bound_of(init, 784, 256);
    const double variance = (w.array() - w.mean()).square().mean();
    CHECK(variance == doctest::Approx(bound * bound / 3).epsilon(0.01));
  }
}

TEST_CASE("the pytorch scheme gives exactly the parameters of the engine before the reshape") {
  SUBCASE("a 3-2-3 model, every value, seeds 0 and 1") {
    // [W0 (2 x 3, column-major) | b0 (2) | W1 (3 x 2) | b1 (3)]
    const std::vector<std::vector<float>> expected = {
        {0x1.dc1726p-4f, 0x1.80c08p-3f, 0x1.14f77p-1f, 0x1.47c21p-3f, 0x1.019bfp-1f,
         -0x1.faea48p-2f, 0x1.5b003cp-2f, 0x1.42bb1cp-3f, 0x1.63d54p-3f, 0x1.422b6ap-1f,
         -0x1.09f392p-1f, -0x1.6a032ap-1f, -0x1.464fd4p-1f, -0x1.f522bcp-5f, -0x1.21959ep-1f,
         -0x1.e0263ap-2f, 0x1.df8508p-2f},
        {0x1.821c22p-3f, 0x1.87c9d4p-3f, -0x1.02d4bp-3f, 0x1.b7ac3ep-4f, 0x1.18d654p-3f,
         0x1.8da2p-4f, -0x1.83cce4p-2f, 0x1.299776p-4f, 0x1.de9f4ap-4f, -0x1.40540ep-5f,
         -0x1.2662d2p-2f, -0x1.9d80c2p-2f, 0x1.66a79cp-3f, -0x1.3503bap-1f, -0x1.337a94p-1f,
         0x1.b6c90ap-3f, 0x1.d5df42p-3f}};
    for (std::uint64_t seed : {0u, 1u}) {
      CAPTURE(seed);
      AutoencoderConfig config;
      config.input_size = 3;
      config.latent_size = 2;
      config.seed = seed;
      const Autoencoder<float> model(config);
      REQUIRE(model.parameters().size() == 17);
      for (Eigen::Index i = 0; i < 17; ++i) {
        CAPTURE(i);
        CHECK(model.parameters()(i) == expected[seed][i]);
      }
    }
  }
  SUBCASE("the 784-256-32 model of seed 9") {
    const Autoencoder<float> model(mnist_config(WeightInit::pytorch, 9));
    const Vector<float>& p = model.parameters();
    REQUIRE(p.size() == 419120);
    CHECK(p(0) == 0x1.3f507cp-6f);
    CHECK(p(209560) == 0x1.c8b864p-4f);
    CHECK(p(419119) == -0x1.bc671p-5f);
    CHECK(latentlab_test::float_bits_fingerprint(p) == 0x66a25531c081970bull);
  }
  SUBCASE("a variational 16-8-2 model of seed 1 (the code layer has 2 x 2 outputs)") {
    AutoencoderConfig config;
    config.input_size = 16;
    config.encoder = {8};
    config.latent_size = 2;
    config.seed = 1;
    config.variational = {true, 0.5};
    const Autoencoder<float> model(config);
    const Vector<float>& p = model.parameters();
    REQUIRE(p.size() == 340);
    CHECK(p(0) == 0x1.4e6188p-4f);
    CHECK(p(170) == -0x1.1e10eep-7f);
    CHECK(p(339) == -0x1.0805cp-2f);
    CHECK(latentlab_test::float_bits_fingerprint(p) == 0xe9f4a34d560f89d2ull);
  }
}

TEST_CASE("glorot and he draw W from the same uniforms as pytorch would, scaled") {
  // The first layer is drawn first: its W is the same uniforms u in [0, 1)
  // under every scheme, W = bound (2u - 1), so W / bound agrees to rounding.
  const Autoencoder<float> pytorch(mnist_config(WeightInit::pytorch, 2));
  for (WeightInit init : {WeightInit::glorot, WeightInit::he}) {
    CAPTURE(std::string(latentlab::weight_init_name(init)));
    const Autoencoder<float> other(mnist_config(init, 2));
    const Matrix<double> a = pytorch.first_dense()->weights(pytorch.parameters()).cast<double>() /
                             bound_of(WeightInit::pytorch, 784, 256);
    const Matrix<double> b =
        other.first_dense()->weights(other.parameters()).cast<double>() / bound_of(init, 784, 256);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-6);
  }
}
