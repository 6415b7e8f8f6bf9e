// The layers of a configuration with their shapes, worked out in one place:
// what flows between every two layers (a flat vector or an image), the
// mirrored decoder when none is given, and every way the layers can fail to
// fit together, each with a message that names the layer. plan_layers builds
// the sequence from it, the schema's rules check it, and the resolved
// configuration writes its decoder.
//
// The sequence: the encoder's entries, the code layer (dense, to latentSize;
// 2 x latentSize for a variational model), the decoder's entries, then a
// dense output layer of inputSize unless the decoder ends in an image layer,
// which is then the output layer. A dense layer flattens an image; an image
// layer needs an image: inputShape, or a reshape entry before it.
//
// Mirroring walks the encoder back: dense n -> dense of its input's size,
// conv -> deconv with the output padding that restores its input's size,
// deconv -> conv, pool -> upsample, upsample -> pool, reshape -> reshape, and
// the code layer -> dense of the code layer's input size (reshaped to the
// encoder's last image, if it ends in one).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "autoencoder_config.h"

namespace latentlab {

// The most values a layer may output per sample: 2^24.
inline constexpr std::uint64_t kMaxLayerValues = std::uint64_t(1) << 24;

// What flows between two layers, per sample.
struct Values {
  long size = 0;
  std::optional<Shape> image;  // when it is an image (of `size` values)
};

struct LayerStep {
  enum class Role { encoder, code, decoder, output };
  LayerSpec spec;  // the code layer and a dense output layer are dense specs
  Role role;
  std::string name;  // "encoder[1]", "the code layer", "decoder[0]", "the output layer"
  Values in;
  Values out;
};

struct Architecture {
  // The encoder's entries, the code layer, the decoder's entries, and a
  // dense output layer unless the decoder's last entry is the output.
  std::vector<LayerStep> steps;
  std::size_t code = 0;  // the index of the code layer in steps
  // The decoder as the resolved configuration writes it (mirrored if absent).
  std::vector<LayerSpec> decoder;
};

// Throws OutOfRange naming the first layer that does not fit.
Architecture resolve_architecture(const AutoencoderConfig& config);

// An entry as a message shows it, e.g. "conv 16, kernel 3, stride 2, padding 1".
std::string layer_text(const LayerSpec& spec);

}  // namespace latentlab
