// libFuzzer target: the model-file reader (safetensors header length, JSON
// header, configuration, tensors) on any bytes. A file either loads, and
// then saves and loads again to the same parameters, or throws one of the
// engine's exceptions; anything else (a crash, a sanitizer report, a leak,
// another exception type) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const latentlab::Autoencoder<float> model = latentlab::load_model_file(data, size);
    const std::vector<std::uint8_t> saved = latentlab::save_model_file(model);
    const latentlab::Autoencoder<float> again =
        latentlab::load_model_file(saved.data(), saved.size());
    if (again.parameters() != model.parameters()) std::abort();  // the round trip must hold
  } catch (const std::exception&) {
    // Rejected with a message: what a bad file must get.
  }
  return 0;
}
