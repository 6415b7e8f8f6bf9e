// The model file: a safetensors file (https://github.com/huggingface/safetensors)
//   8 bytes     N, the header length, little-endian u64 (N is a multiple of 8)
//   N bytes     JSON header, padded with spaces:
//                 "__metadata__": {"format": "latentlab", "version": "1",
//                                  "config": "<the AutoencoderConfig as JSON>"}
//                 "layers.{i}.weight": {"dtype": "F32", "shape": [out, in], "data_offsets": [b, e]}
//                 "layers.{i}.bias":   {"dtype": "F32", "shape": [out],     "data_offsets": [b, e]}
//   the tensors' bytes, little-endian float32, offsets relative to the end of the header
// Weights are stored row-major [out, in], as PyTorch's nn.Linear holds them, so
// the file loads into PyTorch unchanged (python/latentlab_torch.py).
// The config JSON uses the names of the JavaScript API (inputSize, encoder, ...);
// optional fields (decoder, decoderActivation, the model families' parts) are
// written only when present.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "autoencoder_config.h"

namespace latentlab {

// The file's bytes. The same model always gives the same bytes.
std::vector<std::uint8_t> save_model_file(const Autoencoder<float>& model);

// Reads a model file strictly: every size is checked against the bytes present
// before anything is allocated. Throws std::invalid_argument ("model file: ...")
// saying what is wrong.
Autoencoder<float> load_model_file(const std::uint8_t* bytes, std::uint64_t size);

// The config as the compact JSON stored in the file's metadata.
std::string model_config_json(const AutoencoderConfig& config);

}  // namespace latentlab
