// The model file: a safetensors file (https://github.com/huggingface/safetensors)
//   8 bytes     N, the header length, little-endian u64 (N is a multiple of 8)
//   N bytes     JSON header, padded with spaces:
//                 "__metadata__": {"format": "latentlab", "version": "2",
//                                  "config": "<the resolved configuration as JSON>"}
//                 "layers.{i}.weight": {"dtype": "F32", "shape": [out, in], "data_offsets": [b, e]}
//                 "layers.{i}.bias":   {"dtype": "F32", "shape": [out],     "data_offsets": [b, e]}
//   the tensors' bytes, little-endian, offsets relative to the end of the header
// Each tensor has its own dtype: "F32" (float32, 4 bytes a value: what
// save_model_file writes unless told otherwise) or "F16" (IEEE binary16, 2
// bytes a value, float16.h). The reader takes both, in any mix; an F16 value
// becomes the float it stands for exactly.
// The tensors are those of the model's layers with parameters, numbered in
// order (Autoencoder::tensors), in PyTorch's shapes and layout: a dense weight
// is [out, in] row-major as nn.Linear holds it, so the file loads into
// PyTorch unchanged (python/latentlab_torch.py).
// The config is write_model_config's (model_schema.h): every option written
// out. Version 1 files (written before "init" existed) are read too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "autoencoder_config.h"

namespace latentlab {

// The element type of a file's tensors, safetensors' "dtype".
enum class TensorType { f32, f16 };

// "F32" or "F16"; the type a dtype names (none for any other name).
const char* tensor_type_name(TensorType type);
std::optional<TensorType> tensor_type_named(const std::string& dtype);

// The file's bytes, every tensor of `type`. The same model always gives the
// same bytes. F16 rounds each weight to the nearest half, ties to even,
// subnormal halves included. A weight beyond the half range (65520 or more in
// magnitude, which would round to Infinity: the largest half is 65504) or not
// finite is refused with std::invalid_argument naming the tensor, the index
// and the value: saturating it to ±65504 would silently change the model, and
// the reader refuses Infinity.
std::vector<std::uint8_t> save_model_file(const Autoencoder<float>& model,
                                          TensorType type = TensorType::f32);

// Reads a model file strictly: every size is checked against the bytes present
// before anything is allocated. Throws std::invalid_argument ("model file: ...")
// saying what is wrong; a configuration error is the one createModel gives.
Autoencoder<float> load_model_file(const std::uint8_t* bytes, std::uint64_t size);

// The config as the compact JSON stored in the file's metadata.
std::string model_config_json(const AutoencoderConfig& config);

}  // namespace latentlab
