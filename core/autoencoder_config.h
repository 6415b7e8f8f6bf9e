// The architecture of an MLP autoencoder as the engine holds it. Model
// families are configurations of this one description; model_schema.h says
// what each option means, its default and its bounds, and reads and writes
// it.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "activation.h"
#include "layer.h"
#include "loss.h"
#include "noise.h"

namespace latentlab {

enum class SparsityKind { none, l1, kl };

// An activity penalty on one hidden layer (see penalties.h).
struct SparsityConfig {
  SparsityKind kind = SparsityKind::none;
  double weight = 0;
  double target = 0.05;  // kl: the target mean activation rho
  int layer = 0;         // index among the encoder's layers, 0 = the first
};

// A Gaussian bottleneck (see variational.h); loss = reconstruction + beta * KL.
struct VariationalConfig {
  bool enabled = false;
  double beta = 1;
};

// The squared Frobenius norm of the first encoder layer's Jacobian, weighted.
struct ContractiveConfig {
  bool enabled = false;
  double weight = 0;
};

struct AutoencoderConfig {
  int input_size = 784;
  std::vector<int> encoder;  // hidden layer sizes, input side first
  int latent_size = 32;
  std::optional<std::vector<int>> decoder;   // hidden sizes, latent side first; mirrored if absent
  Activation activation = Activation::relu;  // the encoder's hidden layers
  std::optional<Activation> decoder_activation;         // the decoder's; `activation` if absent
  Activation latent_activation = Activation::identity;  // the bottleneck layer
  Activation output_activation = Activation::sigmoid;
  ReconstructionLoss loss = ReconstructionLoss::mse;
  std::uint64_t seed = 0;
  WeightInit init = WeightInit::pytorch;
  SparsityConfig sparsity;
  NoiseConfig noise;  // denoising: corrupts training inputs only
  VariationalConfig variational;
  ContractiveConfig contractive;

  Activation decoder_hidden_activation() const { return decoder_activation.value_or(activation); }

  // The activation of encoder layer `index` (the last one is the code layer).
  Activation encoder_activation(std::size_t index) const {
    return index == encoder.size() ? latent_activation : activation;
  }

  std::vector<int> decoder_sizes() const {
    if (decoder) return *decoder;
    return std::vector<int>(encoder.rbegin(), encoder.rend());
  }
};

// Throws InvalidKind or OutOfRange naming the first option that is wrong: the
// configuration is checked against the schema (core/model_schema.cpp) as
// every configuration is, from whatever entry point it comes.
void check_model_config(const AutoencoderConfig& config);

}  // namespace latentlab
