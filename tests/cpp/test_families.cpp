// Model families as layers of one Autoencoder: whole-model finite-difference
// gradient checks in double of compute_gradients for sparse (L1, KL),
// contractive, variational, denoising and combined models (the model
// corrupts the batch itself and reconstructs the clean one); validation
// messages of each part; the variational model's shapes and mean code;
// anomaly scores and hidden activations against hand computations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "errors.h"
#include "noise.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::LossTerms;
using latentlab::Matrix;
using latentlab::NoiseKind;
using latentlab::ReconstructionLoss;
using latentlab::SparsityKind;
using latentlab::Vector;

namespace {

using latentlab_test::small_config;

AutoencoderConfig variational_config(Activation hidden, ReconstructionLoss loss, double beta) {
  AutoencoderConfig config = small_config(hidden, loss);
  config.variational.enabled = true;
  config.variational.beta = beta;
  return config;
}

Matrix<double> unit_interval_data(int features, int samples, std::uint64_t seed) {
  return latentlab_test::unit_interval_data<double>(features, samples, seed);
}

// The activations of every encoder block, computed from the model's named
// tensors ("layers.k.weight", "layers.k.bias": the k-th dense layer) and the
// config's activations, without the layer sequence: h_k = s_k(W_k h_{k-1} + b_k).
// A variational model's code block gives the heads [mu; logvar] (2L x B).
std::vector<Matrix<double>> encoder_by_hand(const Autoencoder<double>& model,
                                            const Matrix<double>& inputs) {
  const AutoencoderConfig& config = model.config();
  std::vector<Matrix<double>> blocks;
  Matrix<double> current = inputs;
  const std::vector<latentlab::NamedTensor> tensors = model.tensors();
  for (std::size_t k = 0; k <= config.encoder.size(); ++k) {
    const latentlab::TensorView& w = tensors[2 * k].view;
    const latentlab::TensorView& b = tensors[2 * k + 1].view;
    REQUIRE(tensors[2 * k].name == "layers." + std::to_string(k) + ".weight");
    REQUIRE(w.column_major);
    const Eigen::Map<const Matrix<double>> weights(model.parameters().data() + w.offset,
                                                   static_cast<Eigen::Index>(w.shape[0]),
                                                   static_cast<Eigen::Index>(w.shape[1]));
    const Eigen::Map<const Vector<double>> bias(model.parameters().data() + b.offset,
                                                static_cast<Eigen::Index>(b.shape[0]));
    Matrix<double> next = (weights * current).colwise() + Vector<double>(bias);
    const bool heads = config.variational.enabled && k == config.encoder.size();
    if (!heads) latentlab::apply_activation(config.encoder_activation(k), next);
    blocks.push_back(next);
    current = next;
  }
  return blocks;
}

// The objective of a training pass: the model's own corruption and eps drawn
// from a fresh generator of `seed`, the clean inputs as targets.
double training_objective(const Autoencoder<double>& model, const Matrix<double>& inputs,
                          std::uint64_t seed) {
  latentlab::Rng rng(seed);
  latentlab::ForwardPass<double> pass;
  model.forward(inputs, latentlab::RunMode{true, &rng}, pass);
  return model.terms_of(pass, inputs).total();
}

// compute_gradients(inputs, Rng(seed)) against central differences of the
// objective of a training pass with a fresh generator of the same seed each
// time, so that a denoising model corrupts alike and a variational model
// draws the same eps in every evaluation. Returns the terms and leaves the
// gradients in the model.
LossTerms check_gradients(Autoencoder<double>& model, const Matrix<double>& inputs,
                          std::uint64_t seed = 0) {
  auto objective = [&] { return training_objective(model, inputs, seed); };
  latentlab::Rng rng(seed);
  const LossTerms terms = model.compute_gradients(inputs, rng);
  CHECK(terms.total() == doctest::Approx(objective()).epsilon(1e-14));
  if (model.config().noise.kind == NoiseKind::none) {
    // Without corruption a training pass is loss_terms with that generator.
    latentlab::Rng same(seed);
    CHECK(terms.total() == model.loss_terms(inputs, &same).total());
  }
  const Vector<double> analytic = model.gradients();
  REQUIRE(analytic.allFinite());
  CHECK(analytic.cwiseAbs().maxCoeff() > 1e-3);  // nontrivial

  Vector<double>& params = model.parameters();
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    CAPTURE(i);
    const double numeric = latentlab_test::central_difference(objective, params(i));
    CHECK(analytic(i) == latentlab_test::gradient_approx(numeric));
  }
  return terms;
}

// How much a part of the configuration changes the gradients: the largest
// difference from the model without it (same seed, hence same parameters).
// A part whose gradient barely matters would make the checks above vacuous.
double gradient_effect(const AutoencoderConfig& with, const AutoencoderConfig& without,
                       const Matrix<double>& inputs) {
  Autoencoder<double> a(with), b(without);
  REQUIRE(a.parameters().size() == b.parameters().size());
  latentlab::Rng rng_a(0), rng_b(0);
  a.compute_gradients(inputs, rng_a);
  b.compute_gradients(inputs, rng_b);
  return (a.gradients() - b.gradients()).cwiseAbs().maxCoeff();
}

}  // namespace

// ---------------------------------------------------------------------------
// Whole-model gradients

TEST_CASE("L1-sparse model gradients match finite differences") {
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  // ReLU layers 0 and 1, and the identity code layer 2. |h| has a kink at 0:
  // ReLU outputs there are locally constant (their pre-activation is negative),
  // other activations must stay away from 0.
  for (int layer : {0, 1, 2}) {
    for (Activation hidden : {Activation::relu, Activation::tanh}) {
      CAPTURE(layer);
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      AutoencoderConfig config = small_config(hidden);
      config.sparsity.kind = SparsityKind::l1;
      config.sparsity.weight = 0.5;
      config.sparsity.layer = layer;
      Autoencoder<double> model(config);
      REQUIRE(latentlab_test::smallest_relu_preactivation(model, inputs) > 1e-4);
      const Matrix<double> h = encoder_by_hand(model, inputs)[layer];
      if (config.encoder_activation(layer) != Activation::relu) {
        REQUIRE(h.cwiseAbs().minCoeff() > 1e-4);
      }
      const LossTerms terms = check_gradients(model, inputs);
      // The term is the penalty on that layer's activations.
      CHECK(terms.sparsity == doctest::Approx(0.5 * h.cwiseAbs().sum() / 4).epsilon(1e-14));
      CHECK(gradient_effect(config, small_config(hidden), inputs) > 1e-3);
    }
  }
}

TEST_CASE("KL-sparse model gradients match finite differences") {
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  for (int layer : {0, 1, 2}) {
    for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
      CAPTURE(layer);
      CAPTURE(std::string(latentlab::loss_name(loss)));
      AutoencoderConfig config = small_config(Activation::sigmoid, loss);
      config.latent_activation = Activation::sigmoid;  // so that the code layer may be chosen
      config.sparsity.kind = SparsityKind::kl;
      config.sparsity.weight = 0.3;
      config.sparsity.target = 0.1;
      config.sparsity.layer = layer;
      Autoencoder<double> model(config);
      const LossTerms terms = check_gradients(model, inputs);
      CHECK(terms.sparsity > 0);
      AutoencoderConfig plain = config;
      plain.sparsity = {};
      CHECK(gradient_effect(config, plain, inputs) > 1e-3);
    }
  }
}

TEST_CASE("contractive model gradients match finite differences (through h and W)") {
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  for (Activation hidden : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
    for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      CAPTURE(std::string(latentlab::loss_name(loss)));
      AutoencoderConfig config = small_config(hidden, loss);
      config.contractive.enabled = true;
      config.contractive.weight = 0.5;
      Autoencoder<double> model(config);
      REQUIRE(latentlab_test::smallest_relu_preactivation(model, inputs) > 1e-4);
      const LossTerms terms = check_gradients(model, inputs);
      CHECK(terms.contractive > 0);
      CHECK(gradient_effect(config, small_config(hidden, loss), inputs) > 1e-3);
    }
  }
}

TEST_CASE("contractive penalty on a model without hidden encoder layers") {
  // Layer 0 is then the code layer itself (tanh bottleneck).
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  AutoencoderConfig config = small_config(Activation::tanh);
  config.encoder = {};
  config.latent_activation = Activation::tanh;
  config.contractive.enabled = true;
  config.contractive.weight = 0.5;
  Autoencoder<double> model(config);
  CHECK(check_gradients(model, inputs).contractive > 0);
}

TEST_CASE("variational model gradients match finite differences with eps fixed by the seed") {
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  for (Activation hidden : {Activation::tanh, Activation::sigmoid}) {
    for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
      for (double beta : {1.0, 0.5}) {
        CAPTURE(std::string(latentlab::activation_name(hidden)));
        CAPTURE(std::string(latentlab::loss_name(loss)));
        CAPTURE(beta);
        Autoencoder<double> model(variational_config(hidden, loss, beta));
        const LossTerms terms = check_gradients(model, inputs, 5);
        CHECK(terms.beta == beta);
        CHECK(terms.kl > 0);
        // The objective is that of the drawn z: another seed gives another value.
        latentlab::Rng other(6);
        CHECK(model.loss_terms(inputs, &other).reconstruction != terms.reconstruction);
      }
    }
  }
}

TEST_CASE("variational model without hidden encoder layers: gradients match") {
  // The code layer is layer 0 and the decoder reads z straight away.
  const Matrix<double> inputs = unit_interval_data(6, 4, 21);
  for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
    CAPTURE(std::string(latentlab::loss_name(loss)));
    AutoencoderConfig config = variational_config(Activation::tanh, loss, 1.0);
    config.encoder = {};
    Autoencoder<double> model(config);
    const std::vector<latentlab::NamedTensor> tensors = model.tensors();
    REQUIRE(tensors.size() == 4);  // two dense layers: the heads' and the output's
    CHECK(tensors[0].view.shape == std::vector<std::uint64_t>{6, 6});
    CHECK(tensors[2].view.shape == std::vector<std::uint64_t>{6, 3});
    check_gradients(model, inputs, 8);
  }
}

TEST_CASE("denoising model gradients match finite differences: it corrupts, the target is clean") {
  const Matrix<double> data = unit_interval_data(6, 4, 21);
  for (const latentlab::NoiseConfig noise : {latentlab::NoiseConfig{NoiseKind::gaussian, 0.2},
                                             latentlab::NoiseConfig{NoiseKind::mask, 0.3},
                                             latentlab::NoiseConfig{NoiseKind::salt_pepper, 0.3}}) {
    for (Activation hidden : {Activation::relu, Activation::tanh}) {
      CAPTURE(std::string(latentlab::noise_kind_name(noise.kind)));
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      AutoencoderConfig config = small_config(hidden);
      config.noise = noise;
      Autoencoder<double> model(config);
      latentlab::Rng rng(3);
      REQUIRE(latentlab_test::smallest_relu_preactivation(model, data,
                                                          latentlab::RunMode{true, &rng}) > 1e-4);
      const LossTerms terms = check_gradients(model, data, 3);
      // A clean pass (loss()) gives another value: the corruption took part.
      CHECK(terms.total() != model.loss(data));
    }
  }
}

TEST_CASE("combined families: gradients match; a denoising model corrupts the batch itself") {
  const Matrix<double> data = unit_interval_data(6, 4, 21);

  // Denoising + KL-sparse + variational (BCE, beta 0.5).
  AutoencoderConfig dsv = variational_config(Activation::sigmoid, ReconstructionLoss::bce, 0.5);
  dsv.noise = {NoiseKind::mask, 0.3};
  dsv.sparsity = {SparsityKind::kl, 0.4, 0.1, 0};
  // L1-sparse on layer 1 + contractive + variational (MSE, tanh).
  AutoencoderConfig scv = variational_config(Activation::tanh, ReconstructionLoss::mse, 1.0);
  scv.sparsity = {SparsityKind::l1, 0.2, 0.05, 1};
  scv.contractive = {true, 0.3};
  // KL-sparse and contractive both on layer 0 (their gradients meet there), denoising.
  AutoencoderConfig sc = small_config(Activation::sigmoid);
  sc.noise = {NoiseKind::gaussian, 0.2};
  sc.sparsity = {SparsityKind::kl, 0.4, 0.2, 0};
  sc.contractive = {true, 0.6};
  // Every part: salt-and-pepper denoising + L1 + contractive + variational.
  AutoencoderConfig all = scv;
  all.noise = {NoiseKind::salt_pepper, 0.3};

  struct Case {
    const char* name;
    AutoencoderConfig config;
  };
  for (const Case& c :
       {Case{"denoising+kl+variational", dsv}, Case{"l1+contractive+variational", scv},
        Case{"denoising+kl+contractive", sc}, Case{"denoising+l1+contractive+variational", all}}) {
    CAPTURE(std::string(c.name));
    Autoencoder<double> model(c.config);
    const LossTerms terms = check_gradients(model, data, 4);
    CHECK(terms.sparsity > 0);

    // The same model without its noise part: the same parameters.
    AutoencoderConfig clean_config = c.config;
    clean_config.noise = {};
    Autoencoder<double> twin(clean_config);
    REQUIRE(latentlab_test::count_differences(twin.parameters(), model.parameters()) == 0);
    if (c.config.noise.kind == NoiseKind::none) continue;
    const LossTerms clean = check_gradients(twin, data, 4);
    CHECK(terms.total() != clean.total());

    // What the denoising model does, written out on the twin: corrupt a copy
    // of the batch with the pass's generator, run the twin on it (its eps
    // drawn next from the same generator), score against the clean batch.
    // Its central differences are the denoising model's gradients.
    auto written_out = [&] {
      latentlab::Rng rng(4);
      Matrix<double> corrupted = data;
      latentlab::corrupt(corrupted, c.config.noise, rng);
      REQUIRE(latentlab_test::count_differences(corrupted, data) > 0);
      latentlab::ForwardPass<double> pass;
      twin.forward(corrupted, latentlab::RunMode{true, &rng}, pass);
      return twin.terms_of(pass, data).total();
    };
    CHECK(written_out() == terms.total());
    Vector<double>& params = twin.parameters();
    for (Eigen::Index i = 0; i < params.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(written_out, params(i));
      CHECK(model.gradients()(i) == latentlab_test::gradient_approx(numeric));
    }
  }
}

// ---------------------------------------------------------------------------
// Validation of the parts

TEST_CASE("config validation of the family parts names the option") {
  auto expect_error = [](const AutoencoderConfig& config, std::vector<std::string> fragments) {
    for (const std::string& fragment : fragments) {
      CAPTURE(fragment);
      CHECK_THROWS_WITH_AS(latentlab::check_model_config(config),
                           doctest::Contains(fragment.c_str()), std::invalid_argument);
      CHECK_THROWS_WITH_AS(Autoencoder<float>{config}, doctest::Contains(fragment.c_str()),
                           std::invalid_argument);
    }
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  SUBCASE("kl sparsity needs a sigmoid layer and names it") {
    AutoencoderConfig config = small_config(Activation::relu);
    config.sparsity = {SparsityKind::kl, 0.1, 0.05, 1};
    expect_error(config, {"encoder layer 1", "sigmoid", "'relu'"});
    // The code layer's activation is latentActivation.
    config = small_config(Activation::sigmoid);
    config.sparsity = {SparsityKind::kl, 0.1, 0.05, 2};
    expect_error(config, {"encoder layer 2", "sigmoid", "'identity'"});
    config.latent_activation = Activation::sigmoid;
    CHECK_NOTHROW(latentlab::check_model_config(config));
    // L1 has no such requirement.
    config = small_config(Activation::relu);
    config.sparsity = {SparsityKind::l1, 0.1, 0.05, 1};
    CHECK_NOTHROW(latentlab::check_model_config(config));
  }
  SUBCASE("kl target must lie in (0, 1)") {
    AutoencoderConfig config = small_config(Activation::sigmoid);
    for (double target : {0.0, 1.0, -0.1, nan}) {
      CAPTURE(target);
      config.sparsity = {SparsityKind::kl, 0.1, target, 0};
      expect_error(config, {"sparsity.target"});
    }
  }
  SUBCASE("sparsity.layer must be an encoder layer") {
    AutoencoderConfig config = small_config();
    for (int layer : {3, 100}) {
      CAPTURE(layer);
      config.sparsity = {SparsityKind::l1, 0.1, 0.05, layer};
      expect_error(config, {"sparsity.layer", "[0, 2]"});
    }
    // Below any layer index: the schema's own bound says so first.
    config.sparsity.layer = -1;
    expect_error(config, {"sparsity.layer must be an integer in [0, 65536], got -1"});
    config.sparsity.layer = 2;  // the code layer of a plain model is fine
    CHECK_NOTHROW(latentlab::check_model_config(config));
  }
  SUBCASE("sparsity cannot sit on a variational model's code layer") {
    AutoencoderConfig config = variational_config(Activation::sigmoid, ReconstructionLoss::mse, 1);
    config.sparsity = {SparsityKind::l1, 0.1, 0.05, 2};
    expect_error(config, {"sparsity.layer", "code layer of a variational model"});
    config.sparsity.layer = 1;
    CHECK_NOTHROW(latentlab::check_model_config(config));
  }
  SUBCASE("noise levels") {
    AutoencoderConfig config = small_config();
    for (NoiseKind kind : {NoiseKind::mask, NoiseKind::salt_pepper}) {
      for (double rate : {1.5, -0.1, nan}) {
        CAPTURE(rate);
        config.noise = {kind, rate};
        expect_error(config, {"noise.rate", "[0, 1]"});
      }
      config.noise = {kind, 1.0};
      CHECK_NOTHROW(latentlab::check_model_config(config));
    }
    for (double level : {-0.1, inf, nan}) {
      CAPTURE(level);
      config.noise = {NoiseKind::gaussian, level};
      expect_error(config, {"noise.std"});
    }
    config.noise = {NoiseKind::gaussian, 2.0};  // a std above 1 is allowed
    CHECK_NOTHROW(latentlab::check_model_config(config));
  }
  SUBCASE("weights and beta must be finite and >= 0") {
    for (double bad : {-0.5, inf, nan}) {
      CAPTURE(bad);
      AutoencoderConfig config = small_config();
      config.sparsity = {SparsityKind::l1, bad, 0.05, 0};
      expect_error(config, {"sparsity.weight"});
      config = small_config();
      config.contractive = {true, bad};
      expect_error(config, {"contractive.weight"});
      config = variational_config(Activation::relu, ReconstructionLoss::mse, bad);
      expect_error(config, {"variational.beta"});
    }
    AutoencoderConfig zero = variational_config(Activation::relu, ReconstructionLoss::mse, 0);
    zero.contractive = {true, 0};
    zero.sparsity = {SparsityKind::l1, 0, 0.05, 0};
    CHECK_NOTHROW(latentlab::check_model_config(zero));
  }
  SUBCASE("contractive on a variational model needs an encoder hidden layer") {
    AutoencoderConfig config = variational_config(Activation::relu, ReconstructionLoss::mse, 1);
    config.encoder = {};
    config.contractive = {true, 0.1};
    expect_error(config, {"contractive", "encoder"});
    // Without the Gaussian bottleneck the code layer may be contracted.
    config.variational.enabled = false;
    CHECK_NOTHROW(latentlab::check_model_config(config));
  }
}

// ---------------------------------------------------------------------------
// The variational model's surface

TEST_CASE("a variational model: 2L code outputs, encode() gives the mean") {
  AutoencoderConfig config = variational_config(Activation::tanh, ReconstructionLoss::bce, 1);
  config.latent_activation = Activation::sigmoid;  // ignored: the heads have no activation
  const Autoencoder<double> model(config);
  REQUIRE(model.variational());
  // The code dense layer (the third) emits [mu; logvar] straight into the
  // bottleneck, no activation between; the decoder reads z (or mu).
  const std::size_t bottleneck =
      latentlab_test::index_of_layer<latentlab::GaussianBottleneck>(model);
  REQUIRE(bottleneck == 5);
  const auto& heads_layer = *model.layers()[bottleneck - 1];
  REQUIRE(dynamic_cast<const latentlab::DenseLayer<double>*>(&heads_layer) != nullptr);
  CHECK(heads_layer.outputs() == 6);
  CHECK(model.tensors()[4].view.shape == std::vector<std::uint64_t>{6, 4});  // layers.2.weight
  CHECK(model.layers()[bottleneck + 1]->inputs() == 3);

  const Matrix<double> inputs = unit_interval_data(6, 5, 2);
  const Matrix<double> heads = encoder_by_hand(model, inputs)[2];
  latentlab::ForwardPass<double> pass;
  model.forward(inputs, latentlab::RunMode{}, pass);
  CHECK(latentlab_test::count_differences(pass.outputs[bottleneck - 1], heads) == 0);
  const Matrix<double> codes = model.encode(inputs);
  REQUIRE(codes.rows() == 3);
  REQUIRE(codes.cols() == 5);
  CHECK(latentlab_test::count_differences(codes, heads.topRows(3)) == 0);

  // decode takes latent-sized codes; reconstruct is decode of the mean.
  CHECK(latentlab_test::count_differences(model.reconstruct(inputs), model.decode(codes)) == 0);
  latentlab::Rng rng(1);
  Matrix<double> random_codes(3, 7);
  for (Eigen::Index i = 0; i < random_codes.size(); ++i) random_codes(i) = rng.normal();
  const Matrix<double> decoded = model.decode(random_codes);
  CHECK(decoded.rows() == 6);
  CHECK(decoded.cols() == 7);
  CHECK(decoded.minCoeff() > 0.0);  // BCE: probabilities
  CHECK(decoded.maxCoeff() < 1.0);

  // loss() is the objective with the mean code; a drawn z gives another value.
  const LossTerms mean_terms = model.loss_terms(inputs, nullptr);
  CHECK(model.loss(inputs) == mean_terms.total());
  latentlab::Rng draw(2);
  CHECK(model.loss_terms(inputs, &draw).reconstruction != mean_terms.reconstruction);
  // The KL term is unweighted, beta goes into total().
  CHECK(mean_terms.kl == doctest::Approx(latentlab::gaussian_kl_per_sample(heads).mean()));
  CHECK(mean_terms.total() == doctest::Approx(mean_terms.reconstruction + mean_terms.kl));
}

TEST_CASE("anomaly_scores equal per-sample losses computed from reconstruct (+ KL)") {
  const Matrix<double> inputs = unit_interval_data(6, 5, 12);
  for (bool variational : {false, true}) {
    for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
      CAPTURE(variational);
      CAPTURE(std::string(latentlab::loss_name(loss)));
      const AutoencoderConfig config = variational ? variational_config(Activation::tanh, loss, 0.5)
                                                   : small_config(Activation::tanh, loss);
      const Autoencoder<double> model(config);
      const Matrix<double> r = model.reconstruct(inputs);
      const Vector<double> scores = model.anomaly_scores(inputs);
      REQUIRE(scores.size() == 5);
      Vector<double> kl = Vector<double>::Zero(5);
      if (variational) {
        const Matrix<double> heads = encoder_by_hand(model, inputs)[2];
        for (Eigen::Index b = 0; b < 5; ++b) {
          for (Eigen::Index j = 0; j < 3; ++j) {
            const double mu = heads(j, b), v = heads(3 + j, b);
            kl(b) += -0.5 * (1 + v - mu * mu - std::exp(v));
          }
        }
      }
      for (Eigen::Index b = 0; b < 5; ++b) {
        CAPTURE(b);
        double expected = kl(b);
        for (Eigen::Index i = 0; i < 6; ++i) {
          const double x = inputs(i, b), y = r(i, b);
          expected += loss == ReconstructionLoss::mse
                          ? (y - x) * (y - x)
                          : -(x * std::log(y) + (1 - x) * std::log(1 - y));
        }
        CHECK(scores(b) == doctest::Approx(expected).epsilon(1e-12));
      }
      // Their mean is the objective's reconstruction (summed over features)
      // plus the unweighted KL.
      const LossTerms terms = model.loss_terms(inputs, nullptr);
      const double features = variational ? 1.0 : 6.0;  // a plain model averages over features
      CHECK(scores.mean() ==
            doctest::Approx(terms.reconstruction * features + terms.kl).epsilon(1e-13));
    }
  }
}

TEST_CASE("hidden_activations and block_activations: each block, the mean at the code, bad index") {
  const Matrix<double> inputs = unit_interval_data(6, 4, 3);
  for (bool variational : {false, true}) {
    CAPTURE(variational);
    const AutoencoderConfig config =
        variational ? variational_config(Activation::sigmoid, ReconstructionLoss::mse, 1)
                    : small_config(Activation::sigmoid);
    const Autoencoder<double> model(config);
    const std::vector<Matrix<double>> expected = encoder_by_hand(model, inputs);
    latentlab::ForwardPass<double> pass;
    model.forward(inputs, latentlab::RunMode{}, pass);
    const Eigen::Index rows[] = {5, 4, 3};
    for (std::size_t layer = 0; layer < 3; ++layer) {
      CAPTURE(layer);
      const Matrix<double> h = model.hidden_activations(inputs, layer);
      REQUIRE(h.rows() == rows[layer]);
      REQUIRE(h.cols() == 4);
      CHECK(latentlab_test::count_differences(h, expected[layer].topRows(rows[layer])) == 0);
      // The same from a pass already run.
      CHECK(latentlab_test::count_differences(model.block_activations(pass, layer), h) == 0);
    }
    CHECK_THROWS_WITH_AS(model.hidden_activations(inputs, 3), doctest::Contains("[0, 2], got 3"),
                         latentlab::OutOfRange);
  }
}
