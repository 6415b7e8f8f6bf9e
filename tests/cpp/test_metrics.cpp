// Quality measures (metrics.h): ROC-AUC on cases worked out by hand and
// against a brute-force count over all positive-negative pairs, its errors,
// the ROC curve (by hand, thinned, and its area against roc_auc), the mean
// squared error, and PSNR in decibels.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "metrics.h"
#include "rng.h"

using latentlab::psnr;
using latentlab::roc_auc;
using latentlab::roc_curve;

namespace {

// The definition: the fraction of (positive, negative) pairs in which the
// positive scores higher, ties counting one half.
double pairwise_auc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    for (std::size_t j = 0; j < scores.size(); ++j) {
      if (!positive[i] || positive[j]) continue;
      pairs += 1;
      wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
    }
  }
  return wins / pairs;
}

}  // namespace

TEST_CASE("roc_auc on hand cases") {
  // Every positive above every negative, and the reverse.
  CHECK(roc_auc({0.1, 0.2, 0.8, 0.9}, {false, false, true, true}) == 1.0);
  CHECK(roc_auc({0.8, 0.9, 0.1, 0.2}, {false, false, true, true}) == 0.0);
  // All scores equal: every pair is a tie.
  CHECK(roc_auc({0.5, 0.5, 0.5, 0.5, 0.5}, {true, false, false, true, false}) == 0.5);
  // Positives 0.35 and 0.8, negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8
  // beats both: 3 of 4 pairs.
  CHECK(roc_auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}) == doctest::Approx(0.75));
  // A tie across the classes: positives 0.5 and 0.9, negatives 0.5 and 0.2:
  // (0.5 + 1) + (1 + 1) = 3.5 of 4 pairs.
  CHECK(roc_auc({0.5, 0.5, 0.2, 0.9}, {true, false, false, true}) == doctest::Approx(0.875));
  // One positive among three negatives, ranked second: beats 1 of 3.
  CHECK(roc_auc({3, 1, 2, 4}, {false, false, true, false}) == doctest::Approx(1.0 / 3));
}

TEST_CASE("roc_auc equals the pairwise count on random scores with ties") {
  latentlab::Rng rng(4);
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const std::size_t n = 5 + rng.below(60);
    std::vector<double> scores(n);
    std::vector<bool> positive(n);
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = std::round(rng.uniform() * 10) / 10;  // 11 values: many ties
      positive[i] = rng.uniform() < 0.4;
    }
    positive[0] = true;  // both classes present
    positive[1] = false;
    CHECK(roc_auc(scores, positive) == doctest::Approx(pairwise_auc(scores, positive)));
  }
}

TEST_CASE("roc_auc rejects mismatched lengths and a single class") {
  CHECK_THROWS_WITH_AS(roc_auc({0.1, 0.2}, {true}), doctest::Contains("same length"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(roc_auc({0.1, 0.2}, {false, false}),
                       doctest::Contains("at least one positive and one negative"),
                       std::invalid_argument);
  CHECK_THROWS_AS(roc_auc({0.1, 0.2}, {true, true}), std::invalid_argument);
  CHECK_THROWS_AS(roc_auc({}, {}), std::invalid_argument);
}

TEST_CASE("psnr is 10 log10(1 / MSE) dB") {
  CHECK(psnr(0.01) == doctest::Approx(20.0).epsilon(1e-15));
  CHECK(psnr(1.0) == 0.0);
  CHECK(psnr(1e-4) == doctest::Approx(40.0).epsilon(1e-15));
  CHECK(psnr(0.5) == doctest::Approx(3.0103).epsilon(1e-5));  // halving the error: +3 dB
}

TEST_CASE("roc_curve by hand: one point per group of tied scores, in decreasing score") {
  // Descending: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-), 2 positives and 2 negatives.
  const auto curve = roc_curve({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}, 100);
  CHECK(curve.false_positive_rate == std::vector<double>{0, 0, 0.5, 0.5, 1});
  CHECK(curve.true_positive_rate == std::vector<double>{0, 0.5, 0.5, 1, 1});
  CHECK(curve.auc == 0.75);
  // 0.9 (+), then the tie 0.5 (+ and -) as one diagonal step, then 0.2 (-):
  // area 0 + 0.5 (0.5 + 1) / 2 + 0.5 = 0.875, the tie counting one half.
  const auto tied = roc_curve({0.5, 0.5, 0.2, 0.9}, {true, false, false, true}, 100);
  CHECK(tied.false_positive_rate == std::vector<double>{0, 0, 0.5, 1});
  CHECK(tied.true_positive_rate == std::vector<double>{0, 0.5, 1, 1});
  CHECK(tied.auc == 0.875);
}

TEST_CASE("roc_curve is thinned to maxPoints, keeping both ends; its area is the full curve's") {
  // 10 distinct scores, alternating labels: 11 points; at most 4 kept, every
  // ceil(10 / 3) = 4th after the origin, and the last.
  std::vector<double> scores;
  std::vector<bool> positive;
  for (int i = 0; i < 10; ++i) {
    scores.push_back(i);
    positive.push_back(i % 2 == 1);
  }
  const auto full = roc_curve(scores, positive, 100);
  const auto thin = roc_curve(scores, positive, 4);
  REQUIRE(full.false_positive_rate.size() == 11);
  REQUIRE(thin.false_positive_rate.size() == 4);
  for (std::size_t k : {0u, 1u, 2u}) {
    CHECK(thin.false_positive_rate[k] == full.false_positive_rate[4 * k]);
    CHECK(thin.true_positive_rate[k] == full.true_positive_rate[4 * k]);
  }
  CHECK(thin.false_positive_rate.back() == 1);
  CHECK(thin.true_positive_rate.back() == 1);
  CHECK(thin.auc == full.auc);
  // Descending 9 (+), 8 (-), 7 (+), ...: each positive beats the negatives below it: 15 of 25.
  CHECK(full.auc == doctest::Approx(0.6));
}

TEST_CASE("roc_curve's area equals roc_auc on random scores with ties") {
  latentlab::Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const std::size_t n = 5 + rng.below(200);
    std::vector<double> scores(n);
    std::vector<bool> positive(n);
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = std::round(rng.uniform() * 10) / 10;
      positive[i] = rng.uniform() < 0.3;
    }
    positive[0] = true;
    positive[1] = false;
    const auto curve = roc_curve(scores, positive, 2 + rng.below(50));
    CHECK(curve.auc == doctest::Approx(roc_auc(scores, positive)).epsilon(1e-12));
    CHECK(curve.false_positive_rate.front() == 0);
    CHECK(curve.true_positive_rate.back() == 1);
  }
}

TEST_CASE("roc_curve rejects mismatched lengths, a single class and maxPoints below 2") {
  CHECK_THROWS_WITH_AS(roc_curve({0.1, 0.2}, {true}, 10), doctest::Contains("same length"),
                       latentlab::OutOfRange);
  CHECK_THROWS_AS(roc_curve({0.1, 0.2}, {true, true}, 10), latentlab::OutOfRange);
  CHECK_THROWS_WITH_AS(roc_curve({0.1, 0.2}, {true, false}, 1), doctest::Contains("maxPoints"),
                       latentlab::OutOfRange);
}

TEST_CASE("mean_squared_error is the mean of (a - b)^2 over every value") {
  latentlab::Matrix<float> a(1, 3), b(1, 3);
  a << 1, 2, 3;
  b << 1, 0, 0;
  CHECK(latentlab::mean_squared_error(a, b) == doctest::Approx(13.0 / 3));
  CHECK(latentlab::mean_squared_error(a, a) == 0);
  CHECK_THROWS_AS(latentlab::mean_squared_error(a, latentlab::Matrix<float>(1, 2)),
                  std::invalid_argument);
}
