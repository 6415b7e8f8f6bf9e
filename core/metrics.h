// Quality measures that tests, benchmarks and pages share.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

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

}  // namespace latentlab
