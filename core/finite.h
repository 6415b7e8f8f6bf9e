// Results that are not finite never leave the engine silently. Inputs and
// weights are checked finite where they arrive (dataset.h, model_file.h), so
// a NaN or an infinity in a result means that finite numbers overflowed
// float on the way (weights of 1e30 on ordinary inputs, or inputs of 1e30):
// the call throws NotFinite, which says where and which value, and changes
// nothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "parallel.h"

namespace latentlab {

struct NotFinite : std::range_error {
  using std::range_error::range_error;
};

// Why a model's results overflow, for the end of its messages.
inline constexpr const char* kModelOverflow =
    "the model's weights are finite but its computation overflows float on these inputs";

// Throws NotFinite unless values[0, count) are all finite:
//   "<what> are not finite (value i of count is NaN): <cause>"
// i counts as a row-per-sample array in JS does (a features x n matrix's memory).
template <typename Scalar>
void require_finite(const Scalar* values, long count, const std::string& what,
                    const std::string& cause) {
  if (all_finite(values, count)) return;
  const Scalar* bad =
      std::find_if(values, values + count, [](Scalar v) { return !std::isfinite(v); });
  throw NotFinite(what + " are not finite (value " + std::to_string(bad - values) + " of " +
                  std::to_string(count) + " is " + number_text(static_cast<double>(*bad)) +
                  "): " + cause);
}

template <typename Derived>
void require_finite(const Eigen::DenseBase<Derived>& values, const std::string& what,
                    const std::string& cause) {
  require_finite(values.derived().data(), static_cast<long>(values.size()), what, cause);
}

}  // namespace latentlab
