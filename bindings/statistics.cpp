// The embind surface of the engine's statistics, metrics and randomness that
// the views show (core/statistics.h, core/metrics.h, core/rng.h): free
// functions over plain arrays. The TypeScript layer (src/statistics.ts)
// checks the arguments first; this file converts.
#include "statistics.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <string>
#include <vector>

#include "boundary.h"
#include "metrics.h"
#include "rng.h"

using emscripten::val;
using namespace latentlab;
using namespace latentlab::bindings;

namespace {

val float64_array_of(const std::vector<double>& values) {
  return float64_array_from(values.data(), values.size());
}

// values: n x width (row per sample); quantiles: numbers in [0, 1].
val column_statistics_of(const val& values, int width, const val& quantiles) {
  return guarded([&] {
    const ColumnStatistics s =
        column_statistics(matrix_from_js(values, width, "values"),
                          emscripten::convertJSArrayToNumberVector<double>(quantiles));
    val per_quantile = val::array();
    for (const std::vector<double>& row : s.quantiles)
      per_quantile.call<void>("push", float64_array_of(row));
    val result = val::object();
    result.set("mean", float64_array_of(s.mean));
    result.set("std", float64_array_of(s.std));
    result.set("quantiles", per_quantile);
    return result;
  });
}

double normal_quantile_of(double p) {
  return guarded([&] { return normal_quantile(p); });
}

val random_normal(double count, double seed) {
  return guarded([&] {
    return float64_array_of(
        normal_draws(static_cast<std::size_t>(count), static_cast<std::uint64_t>(seed)));
  });
}

val roc_curve_of(const val& scores, const val& labels, double max_points) {
  return guarded([&] {
    const std::vector<double> values = emscripten::convertJSArrayToNumberVector<double>(scores);
    const std::vector<double> flags = emscripten::convertJSArrayToNumberVector<double>(labels);
    std::vector<bool> positive(flags.size());
    for (std::size_t i = 0; i < flags.size(); ++i) positive[i] = flags[i] != 0;
    const RocCurve curve = roc_curve(values, positive, static_cast<std::size_t>(max_points));
    val result = val::object();
    result.set("falsePositiveRate", float64_array_of(curve.false_positive_rate));
    result.set("truePositiveRate", float64_array_of(curve.true_positive_rate));
    result.set("auc", curve.auc);
    return result;
  });
}

double mean_squared_error_of(const val& a, const val& b) {
  return guarded([&] {
    // Both as 1 x length rows: the lengths must agree.
    return mean_squared_error(matrix_from_js(a, 1, "a"), matrix_from_js(b, 1, "b"));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(latentlab_statistics) {
  using emscripten::function;
  function("columnStatistics", &column_statistics_of);
  function("normalQuantile", &normal_quantile_of);
  function("randomNormal", &random_normal);
  function("rocCurve", &roc_curve_of);
  function("meanSquaredError", &mean_squared_error_of);
}
