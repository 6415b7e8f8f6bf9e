// Results that are not finite are errors (finite.h): a model with finite
// weights scaled until they overflow float, or finite inputs that overflow
// it, makes every output entry point throw NotFinite naming the result and
// the value, and leaves the model as it was; an infinity inside the model
// that would come out finite (a sigmoid of it) is caught where it appears;
// PCA's fit, encode and decode do the same.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "autoencoder.h"
#include "dataset.h"
#include "evaluation.h"
#include "finite.h"
#include "pca.h"
#include "statistics.h"
#include "test_support.h"

using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::Dataset;
using latentlab::Matrix;
using latentlab::NotFinite;
using latentlab::Vector;
using latentlab_test::small_config;

namespace {

constexpr float kHuge = 1e30f;

Matrix<float> some_inputs(int samples = 4) {
  return latentlab_test::unit_interval_data<float>(6, samples, 7);
}

// The model of small_config with every parameter multiplied by `scale`.
Autoencoder<float> scaled_model(AutoencoderConfig config, float scale) {
  Autoencoder<float> model(config);
  model.parameters() *= scale;
  return model;
}

}  // namespace

TEST_CASE("require_finite names the first value that is not finite and its position") {
  Vector<float> values = Vector<float>::Ones(5);
  CHECK_NOTHROW(latentlab::require_finite(values, "the values", "why"));
  values(3) = std::numeric_limits<float>::infinity();
  values(4) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(latentlab::require_finite(values, "the values", "why"),
                       "the values are not finite (value 3 of 5 is Infinity): why", NotFinite);
}

TEST_CASE("every output of a model whose weights overflow float throws, and the model is kept") {
  const Autoencoder<float> model = scaled_model(small_config(), kHuge);
  const Vector<float> before = model.parameters();
  const Matrix<float> inputs = some_inputs();
  const Dataset data(inputs, "images");
  const auto overflow = doctest::Contains("are not finite (value ");
  const auto cause = doctest::Contains(latentlab::kModelOverflow);

  CHECK_THROWS_WITH_AS(model.encode(inputs), doctest::Contains("the codes"), NotFinite);
  CHECK_THROWS_WITH_AS(model.encode(inputs), overflow, NotFinite);
  CHECK_THROWS_WITH_AS(model.reconstruct(inputs), cause, NotFinite);
  CHECK_THROWS_WITH_AS(model.decode(Matrix<float>::Ones(3, 2)), doctest::Contains("the outputs"),
                       NotFinite);
  CHECK_THROWS_WITH_AS(model.interpolate(inputs.col(0), inputs.col(1), 5), overflow, NotFinite);
  CHECK_THROWS_WITH_AS(model.hidden_activations(inputs, 1),
                       doctest::Contains("the activations of encoder layer 1"), NotFinite);
  CHECK_THROWS_WITH_AS(model.anomaly_scores(inputs), overflow, NotFinite);
  CHECK_THROWS_AS(latentlab::encode(model, data), NotFinite);
  // Layer 0's sums of 1e30 x inputs in [0, 1] are finite; layer 1's are not.
  CHECK(latentlab::hidden_activations(model, data, 0).allFinite());
  CHECK_THROWS_AS(latentlab::hidden_activations(model, data, 1), NotFinite);
  CHECK_THROWS_AS(latentlab::anomaly_scores(model, data), NotFinite);
  CHECK_THROWS_WITH_AS(latentlab::evaluate(model, data, 0), overflow, NotFinite);
  CHECK(latentlab_test::count_differences(model.parameters(), before) == 0);
}

TEST_CASE("a variational model's samples that overflow throw") {
  AutoencoderConfig config = small_config();
  config.variational.enabled = true;
  const Autoencoder<float> model = scaled_model(config, kHuge);
  CHECK_THROWS_WITH_AS(model.sample(3, 1), doctest::Contains("the outputs"), NotFinite);
}

TEST_CASE("finite inputs that overflow a sound model throw: huge codes, huge images") {
  // 784 inputs of 3e38: the first layer's sums of them pass float's 3.4e38.
  AutoencoderConfig config = small_config();
  config.input_size = 784;
  config.encoder = {32};
  config.latent_size = 8;
  const Autoencoder<float> model(config);
  CHECK_THROWS_AS(model.reconstruct(Matrix<float>::Constant(784, 1, 3e38f)), NotFinite);
  CHECK_THROWS_AS(model.decode(Matrix<float>::Constant(8, 1, 3e38f)), NotFinite);
  // The same model is unharmed.
  CHECK(model.reconstruct(latentlab_test::unit_interval_data<float>(784, 2, 7)).allFinite());
}

TEST_CASE("an infinity inside the model is caught even when a sigmoid makes the output finite") {
  // Every parameter +1e20 on inputs in [0, 1]: the second layer's sums pass
  // 3.4e38 and stay +Infinity through ReLU and positive weights, and the
  // output sigmoid turns them into 1.
  Autoencoder<float> model(small_config());
  model.parameters().setConstant(1e20f);
  CHECK_THROWS_WITH_AS(model.reconstruct(some_inputs()),
                       doctest::Contains("the codes, from the model's layer "), NotFinite);
  CHECK_THROWS_WITH_AS(model.anomaly_scores(some_inputs()),
                       doctest::Contains("the outputs, from the model's layer "), NotFinite);
}

TEST_CASE("evaluate: a contractive term that overflows float throws") {
  // The first layer's weights 1e20 (the rest as initialised) on zero inputs:
  // every layer's outputs are its biases' work, finite, but the Jacobian's
  // squared row norms (6 x 1e40) overflow float.
  AutoencoderConfig config = small_config();
  config.contractive.enabled = true;
  config.contractive.weight = 0.1;
  Autoencoder<float> model(config);
  const latentlab::NamedTensor first = model.tensors().front();
  REQUIRE(first.name == "layers.0.weight");
  model.parameters().segment(first.view.offset, first.view.count()).setConstant(1e20f);
  const Dataset zeros(Matrix<float>::Zero(6, 3), "images");
  CHECK_NOTHROW(model.encode(Matrix<float>::Zero(6, 3)));
  CHECK_THROWS_WITH_AS(latentlab::evaluate(model, zeros, 0),
                       doctest::Contains("the evaluation's contractive term is not finite"),
                       NotFinite);
}

TEST_CASE("PCA: a covariance, codes or outputs that overflow float throw") {
  Matrix<float> data = latentlab_test::unit_interval_data<float>(5, 50, 3);
  latentlab::Pca pca(5, 5);
  Matrix<float> huge = data;
  huge.row(0) *= 1e30f;
  CHECK_THROWS_WITH_AS(pca.fit(Dataset(huge, "images")),
                       doctest::Contains("the data's covariance values are not finite"), NotFinite);
  CHECK_FALSE(pca.fitted());

  pca.fit(Dataset(data, "images"));
  // An input of +-3e38 along the signs of the first component: its code is
  // 3e38 times the component's L1 norm, more than 1 for any direction off
  // the axes, so it overflows.
  const Matrix<float> rows = pca.components_matrix();  // 5 x 5, orthonormal
  const auto signs_of = [](const Vector<float>& v) -> Matrix<float> {
    return v.unaryExpr([](float x) { return x < 0 ? -3e38f : 3e38f; });
  };
  REQUIRE(rows.row(0).cwiseAbs().sum() > 1.2f);
  const Matrix<float> along = signs_of(rows.row(0).transpose());
  CHECK_THROWS_WITH_AS(pca.encode(along), doctest::Contains("the codes are not finite"), NotFinite);
  CHECK_THROWS_AS(pca.reconstruct(along), NotFinite);
  CHECK_THROWS_AS(pca.anomaly_scores(along), NotFinite);
  // Codes of +-3e38 along the signs of the components' first entries: output
  // 0 is 3e38 times the L1 norm of P's first column.
  REQUIRE(rows.col(0).cwiseAbs().sum() > 1.2f);
  CHECK_THROWS_WITH_AS(pca.decode(signs_of(rows.col(0))),
                       doctest::Contains("the outputs are not finite (value 0 of 5"), NotFinite);
  CHECK(pca.reconstruct(data).allFinite());
}
