// The architecture of an MLP autoencoder. Model families are configurations
// of this one description. Error messages use the names of the public
// JavaScript API so that a user reads the option they actually wrote.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "activation.h"
#include "loss.h"

namespace latentlab {

struct AutoencoderConfig {
  int input_size = 784;
  std::vector<int> encoder;                // hidden layer sizes, input side first
  int latent_size = 32;
  std::optional<std::vector<int>> decoder; // hidden sizes, latent side first; mirrored if empty
  Activation activation = Activation::relu;             // hidden layers
  Activation latent_activation = Activation::identity;  // the bottleneck layer
  Activation output_activation = Activation::sigmoid;
  ReconstructionLoss loss = ReconstructionLoss::mse;
  std::uint64_t seed = 0;

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
  }
};

}  // namespace latentlab
