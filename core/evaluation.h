// A model on a whole data set (a Dataset of floats or bytes), computed chunk
// by chunk (dataset.h) so that memory stays bounded and bytes become floats
// a chunk at a time; the model is not changed. evaluate() gives statistics
// of the data set; the rest give one result per sample. A variational
// model's reconstruction term samples z with a generator seeded by `seed`,
// so a call is repeatable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "autoencoder.h"
#include "dataset.h"

namespace latentlab {

struct Evaluation {
  LossTerms terms;  // the objective's terms, means over the samples
  std::optional<double>
      negative_elbo;             // variational only: reconstruction + KL per sample (nats for BCE)
  double mean_activation = 0;    // of the statistics layer (the sparsity layer, else the first)
  double fraction_inactive = 0;  // of that layer's activations near zero, |h| < 0.01 (statistics.h)
  // Mean over samples of ||dh/dx||_F of the first encoder layer, when it is dense.
  std::optional<double> mean_jacobian_norm;
};

// data: input_size features per sample.
Evaluation evaluate(const Autoencoder<float>& model, const Dataset& data, std::uint64_t seed);

// Codes, latent_size x n (a variational model's: the means).
Matrix<float> encode(const Autoencoder<float>& model, const Dataset& data);

// The activations of encoder block `layer`, units x n (the last block gives the codes).
Matrix<float> hidden_activations(const Autoencoder<float>& model, const Dataset& data,
                                 std::size_t layer);

// Autoencoder::anomaly_scores of every sample: n.
Vector<double> anomaly_scores(const Autoencoder<float>& model, const Dataset& data);

}  // namespace latentlab
