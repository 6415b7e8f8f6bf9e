// Descriptive statistics that the views show beside a model: of a layer's
// activations (unit means, the fraction near zero, a histogram), of the
// columns of a table of values (codes: mean, spread, quantiles), and the
// standard normal quantile function. One definition each, used by
// model.evaluate() and by the page alike.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "activation.h"
#include "errors.h"
#include "matrix.h"

namespace latentlab {

// An activation counts as inactive when it is near zero: |h| < 0.01. For ReLU
// and sigmoid units (h >= 0) that is h < 0.01; for tanh it means "off" on
// either side of zero.
constexpr double inactive_threshold = 0.01;

template <typename Scalar>
double count_inactive(const Matrix<Scalar>& activations) {
  return static_cast<double>(
      (activations.array().abs() < static_cast<Scalar>(inactive_threshold)).count());
}

struct Histogram {
  double low = 0, high = 1;    // the range, split into counts.size() equal bins
  std::vector<double> counts;  // values in [low + i w, low + (i + 1) w), w = (high - low) / bins;
                               // values outside the range go to the first or last bin
};

struct ActivationStatistics {
  std::vector<double> unit_means;  // per unit, over the samples
  double mean = 0;                 // over units and samples
  double fraction_inactive = 0;    // of the values with |h| < inactive_threshold
  Histogram histogram;
};

// The histogram's range for a layer of `kind`: sigmoid units live in [0, 1]
// and ReLU units start at 0 (fixed ends, so that runs compare); otherwise the
// data's range. An empty range becomes [low, low + 1].
inline std::pair<double, double> histogram_range(Activation kind, double min, double max) {
  double low = min, high = max;
  if (kind == Activation::sigmoid) {
    low = 0;
    high = 1;
  } else if (kind == Activation::relu) {
    low = 0;
  }
  if (!(high > low)) high = low + 1;
  return {low, high};
}

// activations: units x n (one column per sample), n >= 1; bins >= 1.
template <typename Scalar>
ActivationStatistics activation_statistics(const Matrix<Scalar>& activations, Activation kind,
                                           int bins) {
  if (activations.size() == 0) throw OutOfRange("activations must hold at least one value");
  if (bins < 1 || bins > 10000)
    throw OutOfRange("bins must be an integer in [1, 10000], got " + std::to_string(bins));
  const Matrix<double> values = activations.template cast<double>();
  ActivationStatistics result;
  const Vector<double> means = values.rowwise().mean();
  result.unit_means.assign(means.data(), means.data() + means.size());
  result.mean = values.mean();
  result.fraction_inactive = count_inactive(activations) / static_cast<double>(values.size());

  const auto [low, high] = histogram_range(kind, values.minCoeff(), values.maxCoeff());
  Histogram& histogram = result.histogram;
  histogram.low = low;
  histogram.high = high;
  histogram.counts.assign(static_cast<std::size_t>(bins), 0.0);
  const double scale = bins / (high - low);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double bin = std::floor((values.data()[i] - low) * scale);
    histogram.counts[static_cast<std::size_t>(std::clamp(bin, 0.0, bins - 1.0))] += 1;
  }
  return result;
}

struct ColumnStatistics {
  std::vector<double> mean;                    // per column
  std::vector<double> std;                     // per column, population (divided by n)
  std::vector<std::vector<double>> quantiles;  // quantiles[q][column]
};

// The q-quantile of sorted values, interpolated linearly between the order
// statistics at positions floor and ceil of q (n - 1) (NumPy's default).
inline double sorted_quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// values: width x n (a column of the JS row-per-sample table is a row here),
// n >= 1; each quantile in [0, 1].
template <typename Scalar>
ColumnStatistics column_statistics(const Matrix<Scalar>& values,
                                   const std::vector<double>& quantiles) {
  if (values.cols() < 1) throw OutOfRange("values must hold at least one row");
  for (double q : quantiles) {
    if (!(q >= 0 && q <= 1))
      throw OutOfRange("quantiles must lie in [0, 1], got " + std::to_string(q));
  }
  const Eigen::Index width = values.rows();
  const Matrix<double> table = values.template cast<double>();
  ColumnStatistics result;
  result.quantiles.assign(quantiles.size(), std::vector<double>(static_cast<std::size_t>(width)));
  std::vector<double> column(static_cast<std::size_t>(values.cols()));
  for (Eigen::Index j = 0; j < width; ++j) {
    const double mean = table.row(j).mean();
    result.mean.push_back(mean);
    result.std.push_back(std::sqrt((table.row(j).array() - mean).square().mean()));
    for (Eigen::Index i = 0; i < values.cols(); ++i)
      column[static_cast<std::size_t>(i)] = table(j, i);
    std::sort(column.begin(), column.end());
    for (std::size_t q = 0; q < quantiles.size(); ++q)
      result.quantiles[q][static_cast<std::size_t>(j)] = sorted_quantile(column, quantiles[q]);
  }
  return result;
}

// The standard normal's inverse CDF: x with P(Z <= x) = p, p in (0, 1).
// Acklam's rational approximation (relative error < 1.2e-9), then one step
// of Halley's method on Phi(x) - p, which brings it to double precision:
//   e = Phi(x) - p,  u = e sqrt(2 pi) exp(x^2 / 2),  x <- x - u / (1 + x u / 2)
// Above 1/2 it uses the symmetry x(p) = -x(1 - p); 1 - p is exact there.
inline double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw OutOfRange("p must lie in (0, 1), got " + std::to_string(p));
  if (p > 0.5) return -normal_quantile(1 - p);
  static constexpr double a[] = {-39.69683028665376, 220.9460984245205,  -275.9285104469687,
                                 138.357751867269,   -30.66479806614716, 2.506628277459239};
  static constexpr double b[] = {-54.47609879822406, 161.5858368580409, -155.6989798598866,
                                 66.80131188771972, -13.28068155288572};
  static constexpr double c[] = {-0.007784894002430293, -0.3223964580411365, -2.400758277161838,
                                 -2.549732539343734,    4.374664141464968,   2.938163982698783};
  static constexpr double d[] = {0.007784695709041462, 0.3224671290700398, 2.445134137142996,
                                 3.754408661907416};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  constexpr double sqrt_2pi = 2.5066282746310002;
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * sqrt_2pi * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace latentlab
