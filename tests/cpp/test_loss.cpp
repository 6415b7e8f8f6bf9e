// Reconstruction losses: hand-computed values, stability of the logit form of
// binary cross-entropy at huge logits, its four-lane float form, and
// finite-difference gradients.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "loss.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Matrix;

namespace {

// The textbook BCE of probability p = sigmoid(z): an independent reference,
// usable only where log(p) and log(1 - p) stay accurate (moderate |z|).
double naive_bce(double z, double x) {
  const double p = 1.0 / (1.0 + std::exp(-z));
  return -(x * std::log(p) + (1.0 - x) * std::log(1.0 - p));
}

}  // namespace

TEST_CASE("mean_squared_error on hand-computed values") {
  // Differences y - x: 1, 0, -2, 3; squares sum to 14; mean over 4 entries = 3.5.
  Matrix<double> outputs(2, 2), targets(2, 2);
  outputs << 1, 2,  //
      3, 4;
  targets << 0, 2,  //
      5, 1;
  Matrix<double> gradient;  // empty: the loss sizes it
  CHECK(latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::mse, outputs, targets,
                                            &gradient) == 3.5);
  // dL/dy = 2 (y - x) / 4
  REQUIRE(gradient.rows() == 2);
  REQUIRE(gradient.cols() == 2);
  CHECK(gradient(0, 0) == 0.5);
  CHECK(gradient(0, 1) == 0.0);
  CHECK(gradient(1, 0) == -1.0);
  CHECK(gradient(1, 1) == 1.5);
  // Without a gradient pointer only the loss is computed.
  CHECK(latentlab::mean_reconstruction_loss<double>(latentlab::ReconstructionLoss::mse, outputs,
                                                    targets, nullptr) == 3.5);
}

TEST_CASE("mean_squared_error is zero for a perfect reconstruction") {
  Matrix<float> values(3, 2);
  values << 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f;
  Matrix<float> gradient;
  CHECK(latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::mse, values, values,
                                            &gradient) == 0.0);
  CHECK(gradient.isZero(0.0f));
}

TEST_CASE("binary_cross_entropy_with_logits on hand-computed values") {
  Matrix<double> logits(1, 1), targets(1, 1), gradient;
  // z = 0: p = 1/2, so the loss is ln 2 for either target.
  logits(0) = 0.0;
  targets(0) = 1.0;
  CHECK(latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce, logits, targets,
                                            &gradient) ==
        doctest::Approx(0.6931471805599453).epsilon(1e-15));
  CHECK(gradient(0) == -0.5);  // sigmoid(0) - 1
  targets(0) = 0.0;
  CHECK(latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce, logits, targets,
                                            &gradient) ==
        doctest::Approx(0.6931471805599453).epsilon(1e-15));
  CHECK(gradient(0) == 0.5);
  // z = 2, x = 1: log(1 + e^-2).
  logits(0) = 2.0;
  targets(0) = 1.0;
  CHECK(latentlab::mean_reconstruction_loss<double>(latentlab::ReconstructionLoss::bce, logits,
                                                    targets, nullptr) ==
        doctest::Approx(0.1269280110429725).epsilon(1e-14));
}

TEST_CASE("binary_cross_entropy_with_logits matches the textbook formula for moderate logits") {
  // Soft targets too: the loss is averaged over all 6 entries.
  Matrix<double> logits(2, 3), targets(2, 3);
  logits << -3, -0.5, 0.25,  //
      1.5, 4, -1;
  targets << 0.25, 0, 1,  //
      0.9, 0.5, 0.1;
  double expected = 0;
  for (Eigen::Index i = 0; i < logits.size(); ++i) expected += naive_bce(logits(i), targets(i));
  expected /= 6;
  Matrix<double> gradient;
  CHECK(latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce, logits, targets,
                                            &gradient) == doctest::Approx(expected).epsilon(1e-13));
  // dL/dz = (sigmoid(z) - x) / 6
  for (Eigen::Index i = 0; i < logits.size(); ++i) {
    CAPTURE(i);
    const double p = 1.0 / (1.0 + std::exp(-logits(i)));
    CHECK(gradient(i) == doctest::Approx((p - targets(i)) / 6).epsilon(1e-13));
  }
}

TEST_CASE("binary_cross_entropy_with_logits stays finite at |z| = 1000") {
  // A naive log(sigmoid(z)) gives log(0) = -inf here.
  Matrix<double> logits(1, 4), targets(1, 4), gradient;
  logits << 1000, -1000, 1000, -1000;
  targets << 1, 0, 0, 1;
  // Per entry: 0, 0, 1000, 1000 -> mean 500.
  const double loss = latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce,
                                                          logits, targets, &gradient);
  CHECK(std::isfinite(loss));
  CHECK(loss == doctest::Approx(500.0).epsilon(1e-15));
  CHECK(gradient.allFinite());
  CHECK(gradient(0) == 0.0);
  CHECK(gradient(1) == 0.0);
  CHECK(gradient(2) == 0.25);
  CHECK(gradient(3) == -0.25);

  // The same in float, the training precision.
  Matrix<float> logits_f = logits.cast<float>(), targets_f = targets.cast<float>(), gradient_f;
  const double loss_f = latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce,
                                                            logits_f, targets_f, &gradient_f);
  CHECK(std::isfinite(loss_f));
  CHECK(loss_f == doctest::Approx(500.0).epsilon(1e-7));
  CHECK(gradient_f.allFinite());
}

TEST_CASE("loss gradients match central finite differences") {
  latentlab::Rng rng(11);
  Matrix<double> outputs(3, 4), targets(3, 4);
  for (Eigen::Index i = 0; i < outputs.size(); ++i) {
    outputs(i) = rng.uniform(-3.0, 3.0);  // values for MSE, logits for BCE
    targets(i) = rng.uniform();           // in [0, 1]
  }

  SUBCASE("mean_squared_error") {
    Matrix<double> gradient;
    latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::mse, outputs, targets,
                                        &gradient);
    auto loss = [&] {
      return latentlab::mean_reconstruction_loss<double>(latentlab::ReconstructionLoss::mse,
                                                         outputs, targets, nullptr);
    };
    for (Eigen::Index i = 0; i < outputs.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(loss, outputs(i));
      CHECK(gradient(i) == latentlab_test::gradient_approx(numeric));
    }
  }
  SUBCASE("binary_cross_entropy_with_logits") {
    Matrix<double> gradient;
    latentlab::mean_reconstruction_loss(latentlab::ReconstructionLoss::bce, outputs, targets,
                                        &gradient);
    auto loss = [&] {
      return latentlab::mean_reconstruction_loss<double>(latentlab::ReconstructionLoss::bce,
                                                         outputs, targets, nullptr);
    };
    for (Eigen::Index i = 0; i < outputs.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(loss, outputs(i));
      CHECK(gradient(i) == latentlab_test::gradient_approx(numeric));
    }
  }
}

TEST_CASE("float BCE (four lanes at a time) is the double one to float rounding, tails included") {
  latentlab::Rng rng(12);
  // 37 features: nine groups of four and a tail of one.
  Matrix<double> logits(37, 5), targets(37, 5);
  for (Eigen::Index i = 0; i < logits.size(); ++i) {
    logits(i) = rng.uniform(-20.0, 20.0);
    targets(i) = rng.uniform();
  }
  const Matrix<float> logits_f = logits.cast<float>(), targets_f = targets.cast<float>();
  for (Eigen::Index b = 0; b < logits.cols(); ++b) {
    CAPTURE(b);
    // The reference from the float inputs, so that only the arithmetic differs.
    double exact = 0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
      exact += latentlab::binary_cross_entropy_with_logit(logits_f(i, b), targets_f(i, b));
    }
    const double lanes =
        latentlab::sample_loss(latentlab::ReconstructionLoss::bce, logits_f, targets_f, b);
    CHECK(lanes == doctest::Approx(exact).epsilon(1e-6));
  }
}
