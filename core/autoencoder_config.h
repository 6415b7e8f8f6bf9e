// The architecture of an MLP autoencoder. Model families are configurations
// of this one description. Error messages use the names of the public
// JavaScript API so that a user reads the option they actually wrote.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "activation.h"
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

  // Throws std::invalid_argument naming the first option that is wrong.
  void validate() const {
    // Layer widths are capped so that every weight count fits comfortably in
    // 32-bit wasm memory; no autoencoder of interest comes near the cap.
    constexpr int max_width = 1 << 16;
    auto check_size = [](int size, const std::string& name) {
      if (size <= 0 || size > max_width) {
        throw std::invalid_argument(name + " must be an integer in [1, 65536], got " +
                                    std::to_string(size));
      }
    };
    check_size(input_size, "inputSize");
    check_size(latent_size, "latentSize");
    for (std::size_t i = 0; i < encoder.size(); ++i) {
      check_size(encoder[i], "encoder[" + std::to_string(i) + "]");
    }
    const std::vector<int> decoder_layers = decoder_sizes();
    for (std::size_t i = 0; i < decoder_layers.size(); ++i) {
      check_size(decoder_layers[i], "decoder[" + std::to_string(i) + "]");
    }
    if (loss == ReconstructionLoss::bce && output_activation != Activation::sigmoid) {
      throw std::invalid_argument(
          "loss 'bce' needs outputActivation 'sigmoid' (it is computed from the logits), got '" +
          std::string(activation_name(output_activation)) + "'");
    }
    validate_parts();
  }

 private:
  static void check_weight(double value, const std::string& name) {
    if (!(value >= 0) || !std::isfinite(value)) {
      throw std::invalid_argument(name + " must be a finite number >= 0");
    }
  }

  void validate_parts() const {
    const int encoder_layers = static_cast<int>(encoder.size()) + 1;
    if (sparsity.kind != SparsityKind::none) {
      check_weight(sparsity.weight, "sparsity.weight");
      if (sparsity.layer < 0 || sparsity.layer >= encoder_layers) {
        throw std::invalid_argument("sparsity.layer must be an encoder layer index in [0, " +
                                    std::to_string(encoder_layers - 1) + "]");
      }
      if (variational.enabled && sparsity.layer == encoder_layers - 1) {
        throw std::invalid_argument(
            "sparsity.layer cannot be the code layer of a variational model: its outputs are "
            "the mean and log-variance, not activations");
      }
      if (sparsity.kind == SparsityKind::kl) {
        if (!(sparsity.target > 0 && sparsity.target < 1)) {
          throw std::invalid_argument("sparsity.target must lie in (0, 1)");
        }
        const Activation layer_activation = encoder_activation(sparsity.layer);
        if (layer_activation != Activation::sigmoid) {
          throw std::invalid_argument(
              "sparsity 'kl' compares mean activations with a target in (0, 1), so encoder layer " +
              std::to_string(sparsity.layer) + " needs activation 'sigmoid', not '" +
              activation_name(layer_activation) + "'");
        }
      }
    }
    if (noise.kind == NoiseKind::gaussian && (!(noise.level >= 0) || !std::isfinite(noise.level))) {
      throw std::invalid_argument("noise.std must be a finite number >= 0");
    }
    if ((noise.kind == NoiseKind::mask || noise.kind == NoiseKind::salt_pepper) &&
        !(noise.level >= 0 && noise.level <= 1)) {
      throw std::invalid_argument("noise.rate must lie in [0, 1]");
    }
    if (variational.enabled) check_weight(variational.beta, "variational.beta");
    if (contractive.enabled) {
      check_weight(contractive.weight, "contractive.weight");
      if (variational.enabled && encoder.empty()) {
        throw std::invalid_argument(
            "contractive needs an encoder hidden layer in a variational model (encoder is empty)");
      }
    }
  }
};

}  // namespace latentlab
