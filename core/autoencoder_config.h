// The architecture of an autoencoder as the engine holds it: dense and
// convolutional layers in sequence. Model families are configurations of
// this one description; model_schema.h says what each option means, its
// default and its bounds, and reads and writes it; architecture.h works out
// the shapes and the mirrored decoder.
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
#include "shape.h"

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

// One entry of the encoder or decoder lists: a dense layer (a number in the
// configuration) or one of the image layers.
enum class LayerKind { dense, conv, deconv, pool, upsample, reshape };

struct LayerSpec {
  LayerKind kind = LayerKind::dense;
  int size = 0;  // dense: units; conv, deconv: channels out; pool, upsample: the factor
  int kernel = 1;
  int stride = 1;
  int padding = 0;
  int output_padding = 0;  // deconv
  Shape shape;             // reshape: [C, H, W]

  LayerSpec() = default;
  // A number is a dense layer of that many units, as in the configuration.
  LayerSpec(int units) : size(units) {}  // NOLINT(google-explicit-constructor)

  // Whether it works on images ([C, H, W]) rather than on flat vectors.
  bool spatial() const { return kind != LayerKind::dense && kind != LayerKind::reshape; }
  bool has_parameters() const {
    return kind == LayerKind::dense || kind == LayerKind::conv || kind == LayerKind::deconv;
  }
  bool operator==(const LayerSpec& other) const {
    return kind == other.kind && size == other.size && kernel == other.kernel &&
           stride == other.stride && padding == other.padding &&
           output_padding == other.output_padding && shape == other.shape;
  }
};

struct AutoencoderConfig {
  int input_size = 784;
  std::optional<Shape> input_shape;  // images: [C, H, W], of input_size values
  std::vector<LayerSpec> encoder;    // hidden layers, input side first
  int latent_size = 32;
  // Layers after the code, latent side first; mirrored if absent. Ending in
  // an image layer, that layer is the output; otherwise a dense output layer
  // of input_size follows.
  std::optional<std::vector<LayerSpec>> decoder;
  Activation activation = Activation::relu;      // after the encoder's dense and convolution layers
  std::optional<Activation> decoder_activation;  // the decoder's; `activation` if absent
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

  // The activation of encoder block `index` (the last one is the code
  // layer); a block without parameters (pooling, upsampling, reshape) passes
  // on the values of the one before.
  Activation encoder_activation(std::size_t index) const {
    if (index == encoder.size()) return latent_activation;
    for (std::size_t i = index + 1; i-- > 0;) {
      if (encoder[i].has_parameters()) return activation;
    }
    return Activation::identity;
  }
};

// Throws InvalidKind or OutOfRange naming the first option that is wrong: the
// configuration is checked against the schema (core/model_schema.cpp) as
// every configuration is, from whatever entry point it comes.
void check_model_config(const AutoencoderConfig& config);

}  // namespace latentlab
