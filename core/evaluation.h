// Statistics of a model on given data, computed in chunks so that memory stays
// bounded; the model is not changed. A variational model's reconstruction
// term samples z with a generator seeded by `seed`, so a call is repeatable.
#pragma once

#include <cstdint>
#include <optional>

#include "autoencoder.h"

namespace latentlab {

struct Evaluation {
  LossTerms terms;  // the objective's terms, means over the samples
  std::optional<double>
      negative_elbo;             // variational only: reconstruction + KL per sample (nats for BCE)
  double mean_activation = 0;    // of the statistics layer (the sparsity layer, else the first)
  double fraction_inactive = 0;  // of that layer's activations near zero, |h| < 0.01 (statistics.h)
  double mean_jacobian_norm = 0;  // mean over samples of ||dh/dx||_F of the first encoder layer
};

// data: input_size x n, n >= 1.
Evaluation evaluate(const Autoencoder<float>& model, const Matrix<float>& data, std::uint64_t seed);

}  // namespace latentlab
