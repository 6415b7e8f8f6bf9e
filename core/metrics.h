// Quality measures that tests, benchmarks and pages share.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "errors.h"
#include "matrix.h"

namespace latentlab {

// Peak signal-to-noise ratio of a mean squared error for signals in [0, 1]:
//   PSNR = 10 log10(1 / MSE) dB.
inline double psnr(double mean_squared_error) { return -10.0 * std::log10(mean_squared_error); }

// Area under the ROC curve of `scores` for telling positives (label true)
// from negatives: the probability that a random positive scores higher than a
// random negative, ties counting one half (the Mann-Whitney U statistic).
inline double roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) {
    throw std::invalid_argument("scores and labels must have the same length");
  }
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;  // ranks from 1, ties given their mean rank
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k) {
      if (positive[order[k]]) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    i = j;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) {
    throw std::invalid_argument("ROC-AUC needs at least one positive and one negative label");
  }
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1) / 2) / (p * static_cast<double>(negatives));
}

// The ROC curve of flagging samples whose score is above a threshold, for
// every threshold: the points (false positive rate, true positive rate) from
// (0, 0) to (1, 1), one after each group of tied scores, taken in decreasing
// order of score. `auc` is the area under the whole curve by the trapezoid
// rule (a tie group is one diagonal step, so ties count one half, as in
// roc_auc); the points are then thinned to at most `max_points` by keeping
// every stride-th one, and always both ends.
struct RocCurve {
  std::vector<double> false_positive_rate;
  std::vector<double> true_positive_rate;
  double auc = 0;
};

inline RocCurve roc_curve(const std::vector<double>& scores, const std::vector<bool>& positive,
                          std::size_t max_points) {
  if (scores.size() != positive.size()) {
    throw OutOfRange("scores and labels must have the same length");
  }
  if (max_points < 2) throw OutOfRange("maxPoints must be at least 2");
  const std::size_t n = scores.size();
  const std::size_t positives =
      static_cast<std::size_t>(std::count(positive.begin(), positive.end(), true));
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) {
    throw OutOfRange("a ROC curve needs at least one positive and one negative label");
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  // One point per group of tied scores: (false positives, true positives) flagged so far.
  std::vector<std::pair<double, double>> points{{0.0, 0.0}};
  double false_positives = 0, true_positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    for (; j < n && scores[order[j]] == scores[order[i]]; ++j) {
      (positive[order[j]] ? true_positives : false_positives) += 1;
    }
    points.emplace_back(false_positives / static_cast<double>(negatives),
                        true_positives / static_cast<double>(positives));
    i = j;
  }
  RocCurve curve;
  for (std::size_t k = 1; k < points.size(); ++k) {
    curve.auc +=
        (points[k].first - points[k - 1].first) * (points[k].second + points[k - 1].second) / 2;
  }
  // points[0] is the origin; groups are points[1..groups].
  const std::size_t groups = points.size() - 1;
  const std::size_t stride = (groups + max_points - 2) / (max_points - 1);  // ceil
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (k == 0 || k == groups || k % stride == 0) {
      curve.false_positive_rate.push_back(points[k].first);
      curve.true_positive_rate.push_back(points[k].second);
    }
  }
  return curve;
}

// Mean over all values of (a - b)^2, accumulated in double.
template <typename Scalar>
double mean_squared_error(const Matrix<Scalar>& a, const Matrix<Scalar>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    throw OutOfRange("both arrays must have the same shape");
  }
  if (a.size() == 0) throw OutOfRange("mean_squared_error needs at least one value");
  return (a.template cast<double>() - b.template cast<double>()).squaredNorm() /
         static_cast<double>(a.size());
}

}  // namespace latentlab
