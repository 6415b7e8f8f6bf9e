// Native side of the cross-build determinism test (tests/js/determinism.test.ts).
// Builds the 784-256-32 model from a seed, writes its float32 parameters,
// trains one epoch on a fixed synthetic dataset (batch 16, Adam 1e-3) and
// writes the parameters again. The same program is replayed through the
// wasm engine, which must start from identical weights.
// Usage: latentlab_fingerprint <seed> <initial.f32> <trained.f32>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "autoencoder.h"
#include "dataset.h"
#include "seeds.h"
#include "trainer.h"

using namespace latentlab;

namespace {

bool write_floats(const char* path, const Vector<float>& values) {
  std::FILE* file = std::fopen(path, "wb");
  if (file == nullptr) return false;
  const std::size_t written = std::fwrite(values.data(), sizeof(float), values.size(), file);
  return std::fclose(file) == 0 && written == static_cast<std::size_t>(values.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <seed> <initial.f32> <trained.f32>\n", argv[0]);
    return 2;
  }
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {256};
  config.latent_size = 32;
  config.seed = std::strtoull(argv[1], nullptr, 10);
  Autoencoder<float> model(config);
  if (!write_floats(argv[2], model.parameters())) return 1;

  // 64 samples, pixel (i, j) = ((i * 7 + j * 13) % 256) / 255: the JS test
  // builds the same values.
  Matrix<float> data(784, 64);
  for (Eigen::Index j = 0; j < data.cols(); ++j) {
    for (Eigen::Index i = 0; i < data.rows(); ++i) data(i, j) = ((i * 7 + j * 13) % 256) / 255.0f;
  }
  Trainer trainer(model, training_seed(config.seed));
  TrainOptions options;
  options.batch_size = 16;
  trainer.configure(options);
  trainer.train(Dataset(std::move(data), "data"), std::numeric_limits<long>::max(), nullptr);
  return write_floats(argv[3], model.parameters()) ? 0 : 1;
}
