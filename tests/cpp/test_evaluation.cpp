// A model on a whole Dataset (evaluation.h): every statistic of evaluate()
// against the same quantity computed directly on the whole data set, so that
// evaluating in chunks of 1,000 samples (2,500 samples here: two full chunks
// and a partial one) changes nothing; a variational model's negative ELBO
// (and none for other models); the model is left untouched; the per-sample
// results are the model's on each chunk, and bytes give exactly what the
// floats they stand for give; bad data are rejected.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "dataset.h"
#include "errors.h"
#include "evaluation.h"
#include "penalties.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::Dataset;
using latentlab::Evaluation;
using latentlab::LossTerms;
using latentlab::Matrix;
using latentlab::ReconstructionLoss;
using latentlab::SparsityKind;

namespace {

constexpr int kSamples = 2500;  // chunks of 1000, 1000 and 500

using latentlab_test::small_config;

Matrix<float> unit_interval_data(int samples, std::uint64_t seed) {
  return latentlab_test::unit_interval_data<float>(6, samples, seed);
}

// Float sums over 2,500 samples, in another order than chunk by chunk.
doctest::Approx close_to(double value) { return doctest::Approx(value).epsilon(1e-5); }

// evaluate() on a Dataset of `data`'s values.
Evaluation evaluate(const Autoencoder<float>& model, const Matrix<float>& data,
                    std::uint64_t seed) {
  return evaluate(model, Dataset(data, "data"), seed);
}

void check_terms(const LossTerms& actual, const LossTerms& expected) {
  CHECK(actual.reconstruction == close_to(expected.reconstruction));
  CHECK(actual.sparsity == close_to(expected.sparsity));
  CHECK(actual.contractive == close_to(expected.contractive));
  CHECK(actual.kl == close_to(expected.kl));
  CHECK(actual.beta == expected.beta);
}

}  // namespace

TEST_CASE("evaluate: terms equal loss_terms on the whole data (chunking changes nothing)") {
  const Matrix<float> data = unit_interval_data(kSamples, 1);
  struct Case {
    const char* name;
    AutoencoderConfig config;
  };
  AutoencoderConfig l1 = small_config();
  l1.sparsity = {SparsityKind::l1, 0.2, 0.05, 1};
  AutoencoderConfig contractive = small_config(Activation::sigmoid);
  contractive.contractive = {true, 0.3};
  for (const Case& c :
       {Case{"plain", small_config()}, Case{"l1", l1}, Case{"contractive", contractive}}) {
    CAPTURE(std::string(c.name));
    const Autoencoder<float> model(c.config);
    const Evaluation evaluation = evaluate(model, data, 0);
    const LossTerms whole = model.loss_terms(data, nullptr);
    check_terms(evaluation.terms, whole);
    CHECK(evaluation.terms.total() == close_to(model.loss(data)));
    // Without a Gaussian bottleneck there is no ELBO to report.
    CHECK_FALSE(evaluation.negative_elbo.has_value());
  }
}

// The KL sparsity penalty is a function of each unit's mean activation over
// the data: averaging the penalty of each 1,000-sample chunk's means would
// exceed it (KL is convex in the mean) whenever chunks differ. Here the first
// chunk holds darker samples than the rest.
TEST_CASE("evaluate: the KL sparsity term is that of the whole data's mean activations") {
  Matrix<float> data = unit_interval_data(kSamples, 2);
  data.leftCols(1000) *= 0.2f;
  AutoencoderConfig config = small_config(Activation::sigmoid);
  config.sparsity = {SparsityKind::kl, 0.5, 0.05, 0};
  const Autoencoder<float> model(config);
  const Evaluation evaluation = evaluate(model, data, 0);
  const LossTerms whole = model.loss_terms(data, nullptr);
  REQUIRE(whole.sparsity > 0);
  CHECK(evaluation.terms.sparsity == close_to(whole.sparsity));
}

TEST_CASE("evaluate: activation statistics of the sparsity layer, else the first") {
  const Matrix<float> data = unit_interval_data(kSamples, 3);
  for (int sparsity_layer : {-1, 1}) {  // -1: no sparsity part, statistics of layer 0
    CAPTURE(sparsity_layer);
    AutoencoderConfig config = small_config(Activation::relu);
    if (sparsity_layer >= 0) config.sparsity = {SparsityKind::l1, 0.1, 0.05, sparsity_layer};
    const Autoencoder<float> model(config);
    const Evaluation evaluation = evaluate(model, data, 0);

    const std::size_t layer = sparsity_layer >= 0 ? sparsity_layer : 0;
    const Matrix<float> h = model.hidden_activations(data, layer);
    const double mean = h.cast<double>().mean();
    const double inactive =
        static_cast<double>((h.array() < 0.01f).count()) / static_cast<double>(h.size());
    CHECK(evaluation.mean_activation == close_to(mean));
    CHECK(evaluation.fraction_inactive == doctest::Approx(inactive).epsilon(1e-12));
    CHECK(inactive > 0.05);  // ReLU: some units are off, the statistic is not vacuous
    CHECK(inactive < 0.95);
  }
}

TEST_CASE("evaluate: mean_jacobian_norm is that of the first layer on the whole data") {
  const Matrix<float> data = unit_interval_data(kSamples, 4);
  for (Activation hidden : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
    CAPTURE(std::string(latentlab::activation_name(hidden)));
    const Autoencoder<float> model(small_config(hidden));
    const Evaluation evaluation = evaluate(model, data, 0);
    // The first dense layer's W is the tensor layers.0.weight; the activation
    // is the config's.
    const latentlab::TensorView w = model.tensors()[0].view;
    REQUIRE(model.tensors()[0].name == "layers.0.weight");
    const Eigen::Map<const Matrix<float>> weights(model.parameters().data() + w.offset, 5, 6);
    const latentlab::Vector<float> row_norms = weights.rowwise().squaredNorm();
    const double expected =
        latentlab::mean_jacobian_norm(model.hidden_activations(data, 0), hidden, row_norms.data());
    CHECK(expected > 0);
    CHECK(evaluation.mean_jacobian_norm.value() == close_to(expected));
  }
}

TEST_CASE("evaluate a variational model: negative ELBO = reconstruction + KL, seeded") {
  const Matrix<float> data = unit_interval_data(kSamples, 5);
  for (ReconstructionLoss loss : {ReconstructionLoss::mse, ReconstructionLoss::bce}) {
    CAPTURE(std::string(latentlab::loss_name(loss)));
    AutoencoderConfig config = small_config(Activation::tanh);
    config.loss = loss;
    config.variational = {true, 0.5};
    const Autoencoder<float> model(config);

    const Evaluation evaluation = evaluate(model, data, 7);
    // The ELBO weighs KL by 1 whatever beta the objective uses.
    REQUIRE(evaluation.negative_elbo.has_value());
    CHECK(*evaluation.negative_elbo ==
          doctest::Approx(evaluation.terms.reconstruction + evaluation.terms.kl).epsilon(1e-15));
    CHECK(evaluation.terms.beta == 0.5);
    // The KL does not depend on z: it is the whole data's mean KL.
    CHECK(evaluation.terms.kl == close_to(model.loss_terms(data, nullptr).kl));
    // The reconstruction draws z from the seed: repeatable, and another seed differs.
    const Evaluation again = evaluate(model, data, 7);
    CHECK(again.terms.reconstruction == evaluation.terms.reconstruction);
    CHECK(evaluate(model, data, 8).terms.reconstruction != evaluation.terms.reconstruction);

    // Within one chunk the terms are loss_terms with a generator of that seed.
    const Matrix<float> few = data.leftCols(300);
    latentlab::Rng rng(7);
    check_terms(evaluate(model, few, 7).terms, model.loss_terms(few, &rng));
  }
}

TEST_CASE("evaluate a variational model without hidden encoder layers: ||W_mu||_F") {
  // The first layer is the code layer; its mean rows are linear in x, so the
  // Jacobian of the mean is W's top L rows for every sample.
  AutoencoderConfig config = small_config();
  config.encoder = {};
  config.variational = {true, 1.0};
  const Autoencoder<float> model(config);
  const Evaluation evaluation = evaluate(model, unit_interval_data(kSamples, 6), 0);
  const Matrix<float> w = model.first_dense()->weights(model.parameters());
  REQUIRE(model.first_dense()->offset() == model.tensors()[0].view.offset);
  REQUIRE(w.rows() == 6);
  CHECK(evaluation.mean_jacobian_norm == close_to(w.topRows(3).cast<double>().norm()));
}

TEST_CASE("evaluate leaves the model's parameters and gradients as they were") {
  AutoencoderConfig config = small_config(Activation::sigmoid);
  config.variational = {true, 1.0};
  config.sparsity = {SparsityKind::kl, 0.1, 0.05, 0};
  Autoencoder<float> model(config);
  const Matrix<float> data = unit_interval_data(kSamples, 7);
  latentlab::Rng rng(0);
  model.compute_gradients(data.leftCols(10), rng);  // gradients now nonzero
  const latentlab::Vector<float> parameters = model.parameters();
  const latentlab::Vector<float> gradients = model.gradients();
  evaluate(model, data, 0);
  CHECK(latentlab_test::count_differences(model.parameters(), parameters) == 0);
  CHECK(latentlab_test::count_differences(model.gradients(), gradients) == 0);
}

TEST_CASE("per-sample results on a Dataset are the model's on each chunk") {
  const Matrix<float> data = unit_interval_data(kSamples, 8);
  AutoencoderConfig config = small_config(Activation::sigmoid);
  config.variational = {true, 1.0};
  const Autoencoder<float> model(config);
  const Dataset dataset(data, "data");
  const Matrix<float> codes = latentlab::encode(model, dataset);
  const Matrix<float> hidden = latentlab::hidden_activations(model, dataset, 0);
  const latentlab::Vector<double> scores = latentlab::anomaly_scores(model, dataset);
  REQUIRE(codes.cols() == kSamples);
  REQUIRE(hidden.cols() == kSamples);
  REQUIRE(scores.size() == kSamples);
  for (Eigen::Index first : {0, 1000, 2000}) {
    CAPTURE(first);
    const Eigen::Index count = first == 2000 ? 500 : 1000;
    const Matrix<float> chunk = data.middleCols(first, count);
    CHECK(latentlab_test::count_differences(codes.middleCols(first, count), model.encode(chunk)) ==
          0);
    CHECK(latentlab_test::count_differences(hidden.middleCols(first, count),
                                            model.hidden_activations(chunk, 0)) == 0);
    CHECK(latentlab_test::count_differences(scores.segment(first, count),
                                            model.anomaly_scores(chunk)) == 0);
  }
}

TEST_CASE("bytes give exactly the results of the floats they stand for") {
  // 6 features x 2,500 samples of bytes covering every value 0-255, and the
  // floats b / 255 (what imagesFromIdx gives).
  std::vector<std::uint8_t> bytes(6 * kSamples);
  Matrix<float> floats(6, kSamples);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>((i * 7919) % 256);
    floats(static_cast<Eigen::Index>(i)) = static_cast<float>(bytes[i] / 255.0);
  }
  const Dataset from_bytes(bytes, 6, 1.0 / 255, "data"), from_floats(floats, "data");
  AutoencoderConfig config = small_config(Activation::relu);
  config.loss = ReconstructionLoss::bce;
  const Autoencoder<float> model(config);
  const Evaluation a = latentlab::evaluate(model, from_bytes, 3);
  const Evaluation b = latentlab::evaluate(model, from_floats, 3);
  CHECK(a.terms.total() == b.terms.total());
  CHECK(a.mean_activation == b.mean_activation);
  CHECK(a.mean_jacobian_norm == b.mean_jacobian_norm);
  CHECK(latentlab_test::count_differences(latentlab::encode(model, from_bytes),
                                          latentlab::encode(model, from_floats)) == 0);
  CHECK(latentlab_test::count_differences(latentlab::anomaly_scores(model, from_bytes),
                                          latentlab::anomaly_scores(model, from_floats)) == 0);
}

TEST_CASE(
    "a model on a whole Dataset rejects a wrong feature count and, for bce, data outside [0, 1]") {
  const Autoencoder<float> model(small_config());
  const Dataset narrow(Matrix<float>::Zero(5, 10), "data");
  const char* words = "5 features per sample, the model expects 6";
  CHECK_THROWS_WITH_AS(latentlab::evaluate(model, narrow, 0), doctest::Contains(words),
                       latentlab::OutOfRange);
  CHECK_THROWS_WITH_AS(latentlab::encode(model, narrow), doctest::Contains(words),
                       latentlab::OutOfRange);
  CHECK_THROWS_WITH_AS(latentlab::hidden_activations(model, narrow, 0), doctest::Contains(words),
                       latentlab::OutOfRange);
  CHECK_THROWS_WITH_AS(latentlab::anomaly_scores(model, narrow), doctest::Contains(words),
                       latentlab::OutOfRange);

  AutoencoderConfig config = small_config();
  config.loss = ReconstructionLoss::bce;
  const Autoencoder<float> bce(config);
  // Out of range in the first chunk and in the last: the whole data's range is named.
  Matrix<float> data = unit_interval_data(kSamples, 9);
  data(0, 0) = -1.0f;
  data(3, kSamples - 1) = 2.0f;
  const Dataset outside(data, "data");
  const char* range = "images must lie in [0, 1] for loss 'bce', got values in [-1, 2]";
  CHECK_THROWS_WITH_AS(latentlab::evaluate(bce, outside, 0), doctest::Contains(range),
                       latentlab::OutOfRange);
  CHECK_THROWS_WITH_AS(latentlab::anomaly_scores(bce, outside), doctest::Contains(range),
                       latentlab::OutOfRange);
}
