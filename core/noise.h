// Input corruption for denoising autoencoders, applied to training batches
// only (the target stays the clean input). Values are pixels in [0, 1].
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>

#include "matrix.h"
#include "rng.h"

namespace latentlab {

enum class NoiseKind { none, gaussian, mask, salt_pepper };

struct NoiseConfig {
  NoiseKind kind = NoiseKind::none;
  double level = 0;  // gaussian: standard deviation; mask, salt-pepper: the rate of pixels hit
};

inline const char* noise_kind_name(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::gaussian:
      return "gaussian";
    case NoiseKind::mask:
      return "mask";
    case NoiseKind::salt_pepper:
      return "salt-pepper";
    case NoiseKind::none:
      break;
  }
  return "none";
}

//   gaussian:    x + std * N(0, 1), clamped to [0, 1]
//   mask:        each value set to 0 with probability rate
//   salt-pepper: each value set to 0 or 1 (even odds) with probability rate
template <typename Scalar>
void corrupt(Matrix<Scalar>& values, const NoiseConfig& noise, Rng& rng) {
  Scalar* x = values.data();
  const Eigen::Index size = values.size();
  switch (noise.kind) {
    case NoiseKind::none:
      break;
    case NoiseKind::gaussian:
      for (Eigen::Index i = 0; i < size; ++i) {
        x[i] = std::clamp(static_cast<Scalar>(x[i] + noise.level * rng.normal()), Scalar(0),
                          Scalar(1));
      }
      break;
    case NoiseKind::mask:
      for (Eigen::Index i = 0; i < size; ++i) {
        if (rng.uniform() < noise.level) x[i] = 0;
      }
      break;
    case NoiseKind::salt_pepper:
      for (Eigen::Index i = 0; i < size; ++i) {
        if (rng.uniform() < noise.level) x[i] = rng.uniform() < 0.5 ? Scalar(0) : Scalar(1);
      }
      break;
  }
}

}  // namespace latentlab
