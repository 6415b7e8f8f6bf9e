// The views' statistics (statistics.h) on cases worked out by hand: the
// activation statistics and their histogram range rule per activation, the
// one definition of an inactive unit (|h| < 0.01), column statistics with
// interpolated quantiles, and the normal quantile against known values.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "errors.h"
#include "evaluation.h"
#include "matrix.h"
#include "rng.h"
#include "statistics.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::activation_statistics;
using latentlab::column_statistics;
using latentlab::Matrix;
using latentlab::normal_quantile;
using latentlab::OutOfRange;

namespace {

// rows x cols from values listed column by column (one column per sample).
Matrix<float> columns(int rows, int cols, std::vector<float> values) {
  Matrix<float> m(rows, cols);
  for (int i = 0; i < rows * cols; ++i) m.data()[i] = values[static_cast<std::size_t>(i)];
  return m;
}

}  // namespace

TEST_CASE("activation statistics of a tanh layer: means, |h| < 0.01 inactive, data range") {
  // 2 units x 3 samples: unit 0 = (0.005, 0.5, -0.5), unit 1 = (1, 0, 0.2).
  const Matrix<float> h = columns(2, 3, {0.005f, 1.0f, 0.5f, 0.0f, -0.5f, 0.2f});
  const auto s = activation_statistics(h, Activation::tanh, 3);
  REQUIRE(s.unit_means.size() == 2);
  CHECK(s.unit_means[0] == doctest::Approx(0.005 / 3));
  CHECK(s.unit_means[1] == doctest::Approx(1.2 / 3));
  CHECK(s.mean == doctest::Approx(1.205 / 6));
  // 0.005 and 0 are near zero; -0.5 is not (h < 0.01 would have counted it).
  CHECK(s.fraction_inactive == doctest::Approx(2.0 / 6));
  // Range [-0.5, 1] in 3 bins of 0.5: {-0.5}, {0.005, 0, 0.2}, {0.5, 1 (the top edge)}.
  CHECK(s.histogram.low == doctest::Approx(-0.5));
  CHECK(s.histogram.high == doctest::Approx(1.0));
  CHECK(s.histogram.counts == std::vector<double>{1, 3, 2});
}

TEST_CASE("the histogram range: ReLU from 0, sigmoid [0, 1], an empty range widened") {
  // ReLU: [0, max] = [0, 2] in 4 bins of 0.5.
  const auto relu =
      activation_statistics(columns(1, 5, {0, 0.1f, 0.5f, 1, 2}), Activation::relu, 4);
  CHECK(relu.histogram.low == 0);
  CHECK(relu.histogram.high == 2);
  CHECK(relu.histogram.counts == std::vector<double>{2, 1, 1, 1});
  CHECK(relu.fraction_inactive == doctest::Approx(0.2));
  // Sigmoid: [0, 1] whatever the data.
  const auto sigmoid = activation_statistics(columns(1, 2, {0.2f, 0.3f}), Activation::sigmoid, 2);
  CHECK(sigmoid.histogram.low == 0);
  CHECK(sigmoid.histogram.high == 1);
  CHECK(sigmoid.histogram.counts == std::vector<double>{2, 0});
  // Identity with constant data: [3, 4].
  const auto flat = activation_statistics(columns(2, 1, {3, 3}), Activation::identity, 2);
  CHECK(flat.histogram.low == 3);
  CHECK(flat.histogram.high == 4);
  CHECK(flat.histogram.counts == std::vector<double>{2, 0});
  CHECK(flat.fraction_inactive == 0);
}

TEST_CASE("count_inactive is |h| < 0.01 on both sides of zero") {
  const Matrix<float> h = columns(1, 6, {-0.02f, -0.009f, 0, 0.009f, 0.01f, 0.5f});
  CHECK(latentlab::count_inactive(h) == 3);
}

TEST_CASE("activation statistics reject no values and bad bin counts") {
  CHECK_THROWS_AS(activation_statistics(Matrix<float>(2, 0), Activation::relu, 4), OutOfRange);
  CHECK_THROWS_WITH_AS(activation_statistics(columns(1, 1, {0}), Activation::relu, 0),
                       doctest::Contains("bins must be"), OutOfRange);
}

TEST_CASE("column statistics: mean, population std and interpolated quantiles per column") {
  // Rows (4, 40), (1, 10), (3, 30), (2, 20): columns {1..4} and {10..40}, unsorted.
  const Matrix<float> values = columns(2, 4, {4, 40, 1, 10, 3, 30, 2, 20});
  const auto s = column_statistics(values, {0, 0.25, 0.5, 1});
  CHECK(s.mean == std::vector<double>{2.5, 25});
  // Deviations -1.5, -0.5, 0.5, 1.5: variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  CHECK(s.std[0] == doctest::Approx(std::sqrt(1.25)));
  CHECK(s.std[1] == doctest::Approx(10 * std::sqrt(1.25)));
  // Position q (n - 1) = 3q among 1, 2, 3, 4: 0 -> 1, 0.75 -> 1.75, 1.5 -> 2.5, 3 -> 4.
  CHECK(s.quantiles[0] == std::vector<double>{1, 10});
  CHECK(s.quantiles[1][0] == doctest::Approx(1.75));
  CHECK(s.quantiles[1][1] == doctest::Approx(17.5));
  CHECK(s.quantiles[2] == std::vector<double>{2.5, 25});
  CHECK(s.quantiles[3] == std::vector<double>{4, 40});
}

TEST_CASE("column statistics of one row, and bad quantiles") {
  const auto one = column_statistics(columns(3, 1, {1, 2, 3}), {0.3});
  CHECK(one.mean == std::vector<double>{1, 2, 3});
  CHECK(one.std == std::vector<double>{0, 0, 0});
  CHECK(one.quantiles[0] == std::vector<double>{1, 2, 3});
  CHECK_THROWS_WITH_AS(column_statistics(columns(1, 2, {1, 2}), {1.5}),
                       doctest::Contains("quantiles must lie in [0, 1]"), OutOfRange);
  CHECK_THROWS_AS(column_statistics(Matrix<float>(2, 0), {}), OutOfRange);
}

TEST_CASE("normal_quantile against known values (Python's statistics.NormalDist)") {
  CHECK(normal_quantile(0.5) == 0);
  CHECK(normal_quantile(0.975) == doctest::Approx(1.9599639845400536).epsilon(1e-14));
  CHECK(normal_quantile(0.025) == doctest::Approx(-1.9599639845400538).epsilon(1e-14));
  CHECK(normal_quantile(0.3) == doctest::Approx(-0.5244005127080407).epsilon(1e-14));
  CHECK(normal_quantile(0.001) == doctest::Approx(-3.090232306167813).epsilon(1e-14));
  CHECK(normal_quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-13));
  CHECK(normal_quantile(0.8413447460685429) == doctest::Approx(1.0).epsilon(1e-14));  // Phi(1)
  CHECK_THROWS_WITH_AS(normal_quantile(1), doctest::Contains("p must lie in (0, 1)"), OutOfRange);
  CHECK_THROWS_AS(normal_quantile(0), OutOfRange);
  CHECK_THROWS_AS(normal_quantile(-0.5), OutOfRange);
}

TEST_CASE("evaluate() and activation_statistics count inactive tanh units alike: |h| < 0.01") {
  // A tanh layer whose activations fall on both sides of zero, with enough
  // small ones that the count is not trivial.
  latentlab::AutoencoderConfig config = latentlab_test::small_config(Activation::tanh);
  config.encoder = {64};
  const latentlab::Autoencoder<float> model(config);
  latentlab::Rng rng(8);
  Matrix<float> data(6, 400);
  for (Eigen::Index i = 0; i < data.size(); ++i) data.data()[i] = static_cast<float>(rng.uniform());
  const Matrix<float> h = model.hidden_activations(data, 0);
  const double near_zero = static_cast<double>((h.array().abs() < 0.01f).count());
  const double below = static_cast<double>((h.array() < 0.01f).count());
  REQUIRE(near_zero > 0);
  REQUIRE(below > near_zero);  // "h < 0.01" would count the negative ones too
  const double expected = near_zero / static_cast<double>(h.size());
  CHECK(latentlab::evaluate(model, latentlab::Dataset(data, "data"), 0).fraction_inactive ==
        doctest::Approx(expected));
  CHECK(activation_statistics(h, Activation::tanh, 10).fraction_inactive ==
        doctest::Approx(expected));
}
