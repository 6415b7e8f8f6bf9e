// Input corruption for denoising (noise.h): the statistics of each kind on
// large constant matrices, level 0 as a no-op, and training a denoising
// model: the model corrupts a copy of each batch, the clean batch is the
// target, the data stay as they were.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "dataset.h"
#include "noise.h"
#include "rng.h"
#include "test_support.h"
#include "trainer.h"

using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::Matrix;
using latentlab::NoiseConfig;
using latentlab::NoiseKind;
using latentlab::Trainer;
using latentlab::TrainOptions;

namespace {

// 100,000 values: a fraction p is estimated to within ~0.0016 (one standard
// error at p = 0.5); the tolerances below are about 4 standard errors.
constexpr int kRows = 200, kCols = 500;
constexpr double kCount = double(kRows) * kCols;

Matrix<float> constant(float value) { return Matrix<float>::Constant(kRows, kCols, value); }

Matrix<float> corrupted(Matrix<float> values, NoiseKind kind, double level, std::uint64_t seed) {
  latentlab::Rng rng(seed);
  latentlab::corrupt(values, NoiseConfig{kind, level}, rng);
  return values;
}

double fraction_equal(const Matrix<float>& values, float value) {
  return static_cast<double>((values.array() == value).count()) /
         static_cast<double>(values.size());
}

AutoencoderConfig denoising_config(NoiseKind kind, double level) {
  AutoencoderConfig config;
  config.input_size = 16;
  config.encoder = {8};
  config.latent_size = 2;
  config.seed = 1;
  config.noise = {kind, level};
  return config;
}

void train_epochs(Trainer& trainer, const latentlab::Dataset& data, int epochs) {
  TrainOptions options;
  options.batch_size = 20;
  options.optimizer.learning_rate = 1e-2;  // Adam
  trainer.configure(options);
  for (int e = 0; e < epochs; ++e) {
    const latentlab::TrainReport report =
        trainer.train(data, std::numeric_limits<long>::max(), nullptr);
    REQUIRE(report.epoch_finished);
  }
}

}  // namespace

TEST_CASE("gaussian noise: mean 0 and std = level on a 0.5-valued matrix") {
  const Matrix<float> noisy = corrupted(constant(0.5f), NoiseKind::gaussian, 0.1, 1);
  const Matrix<double> delta = noisy.cast<double>().array() - 0.5;
  const double mean = delta.mean();
  const double std = std::sqrt((delta.array() - mean).square().mean());
  CHECK(std::abs(mean) < 0.0015);  // 4 standard errors of 0.1 / sqrt(1e5)
  CHECK(std == doctest::Approx(0.1).epsilon(0.01));
  // 5 standard deviations from either bound: nothing is clamped.
  CHECK(noisy.minCoeff() > 0.0f);
  CHECK(noisy.maxCoeff() < 1.0f);
}

TEST_CASE("gaussian noise is clamped to [0, 1]") {
  // std 1 around 0.5: P(x + n < 0) = P(n < -0.5) = 0.3085, likewise above 1.
  const Matrix<float> noisy = corrupted(constant(0.5f), NoiseKind::gaussian, 1.0, 2);
  CHECK(noisy.minCoeff() == 0.0f);
  CHECK(noisy.maxCoeff() == 1.0f);
  CHECK(fraction_equal(noisy, 0.0f) == doctest::Approx(0.3085).epsilon(0.02));
  CHECK(fraction_equal(noisy, 1.0f) == doctest::Approx(0.3085).epsilon(0.02));
}

TEST_CASE("mask noise zeroes a fraction = rate and leaves the rest untouched") {
  for (double rate : {0.1, 0.5, 0.9}) {
    CAPTURE(rate);
    const Matrix<float> noisy = corrupted(constant(1.0f), NoiseKind::mask, rate, 3);
    const double zeroed = fraction_equal(noisy, 0.0f);
    CHECK(std::abs(zeroed - rate) < 0.007);
    CHECK(fraction_equal(noisy, 1.0f) == doctest::Approx(1 - zeroed).epsilon(1e-12));
  }
  // Rate 1 zeroes everything.
  CHECK(corrupted(constant(1.0f), NoiseKind::mask, 1.0, 3).isZero(0));
}

TEST_CASE("salt-and-pepper noise: a fraction = rate changed, half to 0 and half to 1") {
  const double rate = 0.4;
  const Matrix<float> noisy = corrupted(constant(0.5f), NoiseKind::salt_pepper, rate, 4);
  const double zeros = fraction_equal(noisy, 0.0f), ones = fraction_equal(noisy, 1.0f);
  CHECK(std::abs(zeros + ones - rate) < 0.007);
  CHECK(std::abs(zeros - rate / 2) < 0.006);
  CHECK(std::abs(ones - rate / 2) < 0.006);
  // Nothing else happens: every value is 0, 0.5 or 1.
  CHECK(fraction_equal(noisy, 0.5f) + zeros + ones == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("level 0 (or kind none) leaves the input unchanged") {
  // Values in [0, 1], including both bounds.
  Matrix<float> values(kRows, kCols);
  latentlab::Rng rng(5);
  for (Eigen::Index i = 0; i < values.size(); ++i) values(i) = static_cast<float>(rng.uniform());
  values(0) = 0.0f;
  values(1) = 1.0f;
  for (NoiseKind kind : {NoiseKind::gaussian, NoiseKind::mask, NoiseKind::salt_pepper}) {
    CAPTURE(std::string(latentlab::noise_kind_name(kind)));
    CHECK(latentlab_test::count_differences(corrupted(values, kind, 0.0, 6), values) == 0);
  }
  CHECK(latentlab_test::count_differences(corrupted(values, NoiseKind::none, 0.7, 6), values) == 0);
}

TEST_CASE("corruption is repeatable for a seed and differs between seeds") {
  const Matrix<float> a = corrupted(constant(0.5f), NoiseKind::salt_pepper, 0.3, 8);
  const Matrix<float> b = corrupted(constant(0.5f), NoiseKind::salt_pepper, 0.3, 8);
  const Matrix<float> c = corrupted(constant(0.5f), NoiseKind::salt_pepper, 0.3, 9);
  CHECK(latentlab_test::count_differences(a, b) == 0);
  CHECK(latentlab_test::count_differences(a, c) > 0);
}

TEST_CASE("a denoising model still trains, and the data are not corrupted in place") {
  const Matrix<float> data = latentlab_test::low_rank_data(200, 17);
  const Matrix<float> original = data;
  Autoencoder<float> model(denoising_config(NoiseKind::gaussian, 0.1));
  Trainer trainer(model, 5);
  const double initial = model.loss(data);
  const latentlab::Dataset dataset(data, "data");
  train_epochs(trainer, dataset, 30);
  CHECK(model.loss(data) < 0.2 * initial);
  // The model corrupts a copy of each batch, never the data it was given.
  Matrix<float> held;
  dataset.gather_range(0, dataset.count(), held);
  CHECK(latentlab_test::count_differences(held, original) == 0);
  CHECK(latentlab_test::count_differences(data, original) == 0);
}

TEST_CASE("with mask rate 1 the model learns the mean image: the target is the clean batch") {
  // Every input is all zeros, so the model can only output one image; the
  // best one against the clean targets is the data's mean (against the
  // corrupted inputs it would be black).
  const Matrix<float> data = latentlab_test::low_rank_data(200, 18);
  const latentlab::Vector<float> mean = data.rowwise().mean();
  REQUIRE(mean.minCoeff() > 0.1f);  // far from the all-zero image

  Autoencoder<float> model(denoising_config(NoiseKind::mask, 1.0));
  Trainer trainer(model, 6);
  const Matrix<float> zeros = Matrix<float>::Zero(16, 1);
  const double initial_distance = (model.reconstruct(zeros).col(0) - mean).cwiseAbs().maxCoeff();
  train_epochs(trainer, latentlab::Dataset(data, "data"), 40);
  const double distance = (model.reconstruct(zeros).col(0) - mean).cwiseAbs().maxCoeff();
  CAPTURE(initial_distance);
  CHECK(distance < 0.02);
  CHECK(distance < 0.2 * initial_distance);
  // Its loss against the clean data is then the mean per-feature variance.
  const Matrix<float> centred = data.colwise() - mean;
  const double variance = centred.cast<double>().squaredNorm() / static_cast<double>(data.size());
  // (A pass on all-zero inputs, scored against the clean data.)
  latentlab::ForwardPass<float> pass;
  model.forward(Matrix<float>::Zero(16, 200), latentlab::RunMode{}, pass);
  const double loss = model.terms_of(pass, data).total();
  CHECK(loss == doctest::Approx(variance).epsilon(0.02));
}
