// The Gaussian bottleneck (variational.h): the KL divergence by hand, the
// reparameterisation drawing eps from the given generator with the
// log-variance clamped, and variational_backward against central differences
// of beta * mean KL + <R, z> with eps held fixed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "matrix.h"
#include "rng.h"
#include "test_support.h"
#include "variational.h"

using latentlab::Matrix;
using latentlab::Vector;

namespace {

Matrix<double> random_matrix(latentlab::Rng& rng, Eigen::Index rows, Eigen::Index cols, double low,
                             double high) {
  Matrix<double> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = rng.uniform(low, high);
  return m;
}

double clamp_log_variance(double v) {
  return std::clamp(v, latentlab::min_log_variance, latentlab::max_log_variance);
}

// The objective whose gradient variational_backward returns, written out
// independently: heads = [mu; logvar] (2L x B), eps (L x B) held fixed,
//   L = beta * (1/B) sum_b KL_b + sum_jb R_jb z_jb,   z = mu + exp(logvar / 2) eps
double objective(const Matrix<double>& heads, const Matrix<double>& noise,
                 const Matrix<double>& code_weights, double beta) {
  const Eigen::Index latent = heads.rows() / 2, batch = heads.cols();
  double kl = 0, linear = 0;
  for (Eigen::Index b = 0; b < batch; ++b) {
    for (Eigen::Index j = 0; j < latent; ++j) {
      const double mu = heads(j, b), log_variance = clamp_log_variance(heads(latent + j, b));
      kl += -0.5 * (1 + log_variance - mu * mu - std::exp(log_variance));
      linear += code_weights(j, b) * (mu + std::exp(log_variance / 2) * noise(j, b));
    }
  }
  return beta * kl / static_cast<double>(batch) + linear;
}

}  // namespace

TEST_CASE("gaussian_kl_per_sample by hand") {
  // One latent dimension, one column per case, heads = [mu; logvar]:
  //   KL = -1/2 (1 + logvar - mu^2 - exp(logvar))
  //   (0, 0): 0     (1, 0): 1/2     (0, ln 2): (1 - ln 2) / 2     (2, -1): (4 + e^-1) / 2
  Matrix<double> heads(2, 4);
  heads << 0, 1, 0, 2,  //
      0, 0, std::log(2.0), -1;
  const Vector<double> kl = latentlab::gaussian_kl_per_sample(heads);
  REQUIRE(kl.size() == 4);
  CHECK(kl(0) == 0.0);
  CHECK(kl(1) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(kl(2) == doctest::Approx((1 - std::log(2.0)) / 2).epsilon(1e-14));
  CHECK(kl(3) == doctest::Approx((4 + std::exp(-1.0)) / 2).epsilon(1e-14));

  // Two latent dimensions: the per-dimension terms add up within a sample.
  //   sample 0: mu = (1, -1), logvar = (0, 0): 1/2 + 1/2 = 1
  //   sample 1: mu = (0, 3),  logvar = (ln 2, 0): (1 - ln 2) / 2 + 9/2
  Matrix<double> two(4, 2);
  two << 1, 0,           //
      -1, 3,             //
      0, std::log(2.0),  //
      0, 0;
  const Vector<double> kl2 = latentlab::gaussian_kl_per_sample(two);
  REQUIRE(kl2.size() == 2);
  CHECK(kl2(0) == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(kl2(1) == doctest::Approx((1 - std::log(2.0)) / 2 + 4.5).epsilon(1e-14));

  // Works in float too, accumulating in double.
  const Vector<double> kl_float =
      latentlab::gaussian_kl_per_sample(Matrix<float>(heads.cast<float>()));
  CHECK(kl_float(1) == doctest::Approx(0.5).epsilon(1e-7));
}

TEST_CASE("gaussian_kl_per_sample clamps the log-variance, so it stays finite") {
  // logvar 50 counts as 10 and -100 as -20.
  Matrix<double> heads(2, 2);
  heads << 0, 0,  //
      50, -100;
  const Vector<double> kl = latentlab::gaussian_kl_per_sample(heads);
  REQUIRE(kl.allFinite());
  CHECK(kl(0) == doctest::Approx(-0.5 * (1 + 10 - std::exp(10.0))).epsilon(1e-14));
  CHECK(kl(1) == doctest::Approx(-0.5 * (1 - 20 - std::exp(-20.0))).epsilon(1e-14));
}

TEST_CASE("reparameterize draws eps from the generator and clamps the log-variance") {
  // L = 2, B = 3. The last column's log-variances lie outside [-20, 10].
  Matrix<double> heads(4, 3);
  heads << 0.5, -1, 2,  //
      0, 0.25, -3,      //
      0, 1, 40,         //
      -0.5, 2, -60;
  latentlab::Rng rng(7);
  Matrix<double> noise;  // sized by reparameterize
  Matrix<double> z;
  latentlab::reparameterize(heads, rng, noise, z);
  REQUIRE(z.rows() == 2);
  REQUIRE(z.cols() == 3);
  REQUIRE(noise.rows() == 2);
  REQUIRE(noise.cols() == 3);

  // A second generator of the same seed reproduces eps, in column-major order.
  latentlab::Rng twin(7);
  for (Eigen::Index b = 0; b < 3; ++b) {
    for (Eigen::Index j = 0; j < 2; ++j) {
      CAPTURE(j);
      CAPTURE(b);
      const double eps = twin.normal();
      CHECK(noise(j, b) == eps);
      const double sigma = std::exp(clamp_log_variance(heads(2 + j, b)) / 2);
      CHECK(z(j, b) == doctest::Approx(heads(j, b) + sigma * eps).epsilon(1e-15));
    }
  }
  // Exactly L * B normals were drawn: both generators are at the same place.
  CHECK(rng.uniform() == twin.uniform());
  // The clamp is really active: sigma = e^5 and e^-10, not e^20 and e^-30.
  CHECK(std::abs(z(0, 2) - 2) == doctest::Approx(std::exp(5.0) * std::abs(noise(0, 2))));
  CHECK(std::abs(z(1, 2) + 3) == doctest::Approx(std::exp(-10.0) * std::abs(noise(1, 2))));
}

TEST_CASE("variational_backward matches central differences with eps held fixed") {
  latentlab::Rng rng(23);
  const Eigen::Index latent = 3, batch = 4;
  for (double beta : {1.0, 0.5, 0.0}) {
    CAPTURE(beta);
    Matrix<double> heads = random_matrix(rng, 2 * latent, batch, -1.5, 1.5);
    const Matrix<double> noise = random_matrix(rng, latent, batch, -2, 2);
    const Matrix<double> code_weights = random_matrix(rng, latent, batch, -1, 1);  // R = dL/dz

    Matrix<double> gradient;  // sized by variational_backward
    latentlab::variational_backward(heads, noise, code_weights, beta, gradient);
    REQUIRE(gradient.rows() == 2 * latent);
    REQUIRE(gradient.cols() == batch);
    for (Eigen::Index i = 0; i < heads.size(); ++i) {
      CAPTURE(i);
      const double numeric = latentlab_test::central_difference(
          [&] { return objective(heads, noise, code_weights, beta); }, heads(i));
      CHECK(gradient(i) == latentlab_test::gradient_approx(numeric));
    }
  }
}

TEST_CASE("variational_backward gives a clamped log-variance zero gradient") {
  // Column 0 in range, column 1 above the clamp, column 2 below it.
  Matrix<double> heads(2, 3);
  heads << 0.3, 0.3, 0.3,  //
      0.5, 15, -25;
  Matrix<double> noise(1, 3), code_weights(1, 3);
  noise << 1.2, 1.2, 1.2;
  code_weights << 0.7, 0.7, 0.7;
  Matrix<double> gradient;
  latentlab::variational_backward(heads, noise, code_weights, 1.0, gradient);
  REQUIRE(gradient.allFinite());
  // In range: 0.7 * 1.2 * e^0.25 / 2 + (1/3) (e^0.5 - 1) / 2.
  CHECK(gradient(1, 0) ==
        doctest::Approx(0.7 * 1.2 * std::exp(0.25) / 2 + (std::exp(0.5) - 1) / 6).epsilon(1e-14));
  CHECK(gradient(1, 1) == 0.0);
  CHECK(gradient(1, 2) == 0.0);
  // The mean's gradient does not care: R + beta / B * mu in every column.
  for (Eigen::Index b = 0; b < 3; ++b) {
    CHECK(gradient(0, b) == doctest::Approx(0.7 + 0.3 / 3).epsilon(1e-15));
  }
  // And the objective really is flat there.
  for (Eigen::Index b = 1; b < 3; ++b) {
    CHECK(latentlab_test::central_difference(
              [&] { return objective(heads, noise, code_weights, 1.0); }, heads(1, b)) == 0.0);
  }
}
