// ActivationStatistics (core/statistics.h) as a plain JS object.
#pragma once

#include <emscripten/val.h>

#include <vector>

#include "boundary.h"
#include "statistics.h"

namespace latentlab::bindings {

inline emscripten::val activation_statistics_to_js(const ActivationStatistics& s) {
  using emscripten::val;
  val histogram = val::object();
  histogram.set("low", s.histogram.low);
  histogram.set("high", s.histogram.high);
  histogram.set("counts", float64_array_from(s.histogram.counts.data(), s.histogram.counts.size()));
  val result = val::object();
  const std::vector<float> unit_means(s.unit_means.begin(), s.unit_means.end());
  result.set("unitMeans", float32_array_from(unit_means.data(), unit_means.size()));
  result.set("mean", s.mean);
  result.set("fractionInactive", s.fraction_inactive);
  result.set("histogram", histogram);
  return result;
}

}  // namespace latentlab::bindings
