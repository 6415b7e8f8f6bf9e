// libFuzzer target: the model-file reader (safetensors header length, JSON
// header, configuration, tensors in F32 or F16) on any bytes. A file either
// loads, and then saves and loads again to the same parameters, or throws one
// of the engine's exceptions; anything else (a crash, a sanitizer report, a
// leak, another exception type) is a finding. A file that loads is also saved
// as F16: that either refuses a weight beyond the half range, or gives a file
// that loads to the halves of the weights and saves to the same bytes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "float16.h"
#include "model_file.h"

namespace {

void check_f16_round_trip(const latentlab::Autoencoder<float>& model) {
  std::vector<std::uint8_t> saved;
  try {
    saved = latentlab::save_model_file(model, latentlab::TensorType::f16);
  } catch (const std::invalid_argument&) {
    return;  // a weight of 65520 or more: refused with a message
  }
  try {  // from here on nothing may throw: the file is the engine's own
    const latentlab::Autoencoder<float> halves =
        latentlab::load_model_file(saved.data(), saved.size());
    for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
      const float expected =
          latentlab::float_from_half(latentlab::half_from_float(model.parameters()(i)));
      if (halves.parameters()(i) != expected) std::abort();
    }
    if (latentlab::save_model_file(halves, latentlab::TensorType::f16) != saved) std::abort();
  } catch (...) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const latentlab::Autoencoder<float> model = latentlab::load_model_file(data, size);
    const std::vector<std::uint8_t> saved = latentlab::save_model_file(model);
    const latentlab::Autoencoder<float> again =
        latentlab::load_model_file(saved.data(), saved.size());
    if (again.parameters() != model.parameters()) std::abort();  // the round trip must hold
    check_f16_round_trip(model);
  } catch (const std::exception&) {
    // Rejected with a message: what a bad file must get.
  }
  return 0;
}
