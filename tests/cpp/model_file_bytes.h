// Model files taken apart in the native tests: a safetensors file is an
// 8-byte little-endian header length, a JSON header and the tensors' bytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "autoencoder.h"
#include "model_file.h"

namespace latentlab_test {

using Bytes = std::vector<std::uint8_t>;

inline latentlab::Autoencoder<float> load(const Bytes& bytes) {
  return latentlab::load_model_file(bytes.data(), bytes.size());
}

// The length field of the file's JSON header.
inline std::uint64_t header_length(const Bytes& file) {
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | file[i];
  return length;
}

inline nlohmann::ordered_json header_of(const Bytes& file) {
  return nlohmann::ordered_json::parse(file.begin() + 8,
                                       file.begin() + 8 + static_cast<long>(header_length(file)));
}

}  // namespace latentlab_test
