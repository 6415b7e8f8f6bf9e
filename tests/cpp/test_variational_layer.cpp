// GaussianBottleneck (variational_layer.h): X = [mu; logvar] (2L x B) -> z
// (L x B). It draws z = mu + exp(logvar / 2) eps when the pass has a
// generator and passes mu on otherwise; its extra loss is beta times the mean
// KL. A forward case by hand in both modes, the KL term by hand, and
// finite-difference checks of dL/dX through mu and logvar with eps fixed by
// the seed, with and without the reconstruction's gradient. The formulas are
// tested in test_variational.cpp.
#include <doctest/doctest.h>

#include <cmath>

#include "rng.h"
#include "test_support.h"
#include "variational_layer.h"

using latentlab::GaussianBottleneck;
using latentlab::LossTerms;
using latentlab::Matrix;
using latentlab::RunMode;
using latentlab::Vector;
using latentlab_test::random_matrix;

namespace {

// L = 2, B = 2:  mu = [ 0.5  -1 ]   logvar = [ 0  ln 4 ]
//                     [ 0     2 ]            [ 1  -2   ]
Matrix<double> hand_heads() {
  Matrix<double> heads(4, 2);
  heads << 0.5, -1,      //
      0, 2,              //
      0, std::log(4.0),  //
      1, -2;
  return heads;
}

}  // namespace

TEST_CASE("the bottleneck halves the width and has no parameters") {
  const GaussianBottleneck<double> layer(3, 0.5);
  CHECK(layer.inputs() == 6);
  CHECK(layer.outputs() == 3);
  CHECK(layer.parameter_count() == 0);
  CHECK(layer.tensors().empty());
  CHECK(layer.beta() == 0.5);
}

TEST_CASE("without a generator the bottleneck passes the mean on, training or not") {
  const GaussianBottleneck<double> layer(2, 1.0);
  const Matrix<double> heads = hand_heads();
  Matrix<double> z;
  for (bool training : {false, true}) {
    CAPTURE(training);
    layer.forward(Vector<double>(), heads, z, RunMode{training, nullptr});
    CHECK(latentlab_test::count_differences(z, heads.topRows(2)) == 0);
  }
}

TEST_CASE("with a generator it draws z = mu + exp(logvar / 2) eps, eps from the pass's generator") {
  const GaussianBottleneck<double> layer(2, 1.0);
  const Matrix<double> heads = hand_heads();
  latentlab::Rng rng(7), twin(7);
  Matrix<double> z;
  layer.forward(Vector<double>(), heads, z, RunMode{false, &rng});
  REQUIRE(z.rows() == 2);
  REQUIRE(z.cols() == 2);
  // eps in column-major order of L x B; sigma = exp(logvar / 2):
  //   column 0: sigma = 1, e^0.5;   column 1: sigma = 2, e^-1
  const double sigma[2][2] = {{1, 2}, {std::exp(0.5), std::exp(-1.0)}};
  for (Eigen::Index b = 0; b < 2; ++b) {
    for (Eigen::Index j = 0; j < 2; ++j) {
      CAPTURE(j);
      CAPTURE(b);
      const double eps = twin.normal();
      CHECK(z(j, b) == doctest::Approx(heads(j, b) + sigma[j][b] * eps).epsilon(1e-15));
    }
  }
  // Exactly L * B normals were drawn.
  CHECK(rng.uniform() == twin.uniform());
}

TEST_CASE("the KL extra loss: the mean over samples, unweighted, with beta beside it") {
  // KL_b = -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)):
  //   sample 0: mu = (0.5, 0), logvar = (0, 1):
  //     -1/2 [(1 + 0 - 0.25 - 1) + (1 + 1 - 0 - e)] = -1/2 (1.75 - e)
  //   sample 1: mu = (-1, 2), logvar = (ln 4, -2):
  //     -1/2 [(1 + ln 4 - 1 - 4) + (1 - 2 - 4 - e^-2)] = -1/2 (ln 4 - 9 - e^-2)
  const GaussianBottleneck<double> layer(2, 0.25);
  const Matrix<double> heads = hand_heads();
  Matrix<double> z;
  layer.forward(Vector<double>(), heads, z, RunMode{});
  LossTerms terms;
  layer.add_extra_loss(Vector<double>(), heads, z, terms);
  const double kl0 = -0.5 * (1.75 - std::exp(1.0));
  const double kl1 = -0.5 * (std::log(4.0) - 9 - std::exp(-2.0));
  CHECK(terms.kl == doctest::Approx((kl0 + kl1) / 2).epsilon(1e-14));
  CHECK(terms.beta == 0.25);
  CHECK(terms.reconstruction == 0);
  CHECK(terms.total() == doctest::Approx(0.25 * (kl0 + kl1) / 2).epsilon(1e-14));
}

TEST_CASE("dL/dX through mu and logvar matches finite differences with eps fixed by the seed") {
  // L = 3, B = 4. L = sum(R .* z) + beta * KL; a fresh Rng(seed) per pass
  // draws the same eps every time. R = 0 checks the KL's gradient alone.
  latentlab::Rng rng(23);
  for (double beta : {1.0, 0.5, 0.0}) {
    for (bool reconstruction : {true, false}) {
      CAPTURE(beta);
      CAPTURE(reconstruction);
      const GaussianBottleneck<double> layer(3, beta);
      Matrix<double> heads = random_matrix(rng, 6, 4, -1.5, 1.5);
      const Matrix<double> code_weights =
          reconstruction ? random_matrix(rng, 3, 4) : Matrix<double>::Zero(3, 4);
      Vector<double> no_params;
      const std::uint64_t seed = 5;
      latentlab_test::check_layer_gradients(layer, no_params, heads, code_weights, &seed);
    }
  }
}

TEST_CASE("without a generator the gradient through logvar is the KL's alone") {
  // z = mu: the reconstruction's gradient reaches mu only.
  latentlab::Rng rng(31);
  const GaussianBottleneck<double> layer(3, 0.7);
  Matrix<double> heads = random_matrix(rng, 6, 4, -1.5, 1.5);
  Vector<double> no_params;
  latentlab_test::check_layer_gradients(layer, no_params, heads, random_matrix(rng, 3, 4));
}
