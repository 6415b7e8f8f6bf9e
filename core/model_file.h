// The model file: a safetensors file (https://github.com/huggingface/safetensors)
//   8 bytes     N, the header length, little-endian u64 (N is a multiple of 8)
//   N bytes     JSON header, padded with spaces:
//                 "__metadata__": {"format": "latentlab", "version": "2",
//                                  "config": "<the resolved configuration as JSON>"}
//                 "layers.{i}.weight": {"dtype": "F32", "shape": [out, in], "data_offsets": [b, e]}
//                 "layers.{i}.bias":   {"dtype": "F32", "shape": [out],     "data_offsets": [b, e]}
//   the tensors' bytes, little-endian float32, offsets relative to the end of the header
// The tensors are those of the model's layers with parameters, numbered in
// order (Autoencoder::tensors), in PyTorch's shapes and layout: a dense weight
// is [out, in] row-major as nn.Linear holds it, so the file loads into
// PyTorch unchanged (python/latentlab_torch.py).
// The config is write_model_config's (model_schema.h): every option written
// out. Version 1 files (written before "init" existed) are read too.
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
// saying what is wrong; a configuration error is the one createModel gives.
Autoencoder<float> load_model_file(const std::uint8_t* bytes, std::uint64_t size);

// The config as the compact JSON stored in the file's metadata.
std::string model_config_json(const AutoencoderConfig& config);

}  // namespace latentlab
