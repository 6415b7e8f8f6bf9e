// Training throughput of the reference workload in the native build:
// MLP 784-256-64-32, mirrored decoder, ReLU hidden, sigmoid output, MSE,
// Adam 1e-3, batch 128, float32, one thread; one warm-up epoch on a slice of
// MNIST, then one timed epoch over the 60,000 training images, in CPU time.
// Usage: bench_train_native <train-images-idx3-ubyte>
// Prints one JSON line: {"build":"native","samplesPerSecond":...,...}
#include <time.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

#include "autoencoder.h"
#include "dataset.h"
#include "idx.h"
#include "trainer.h"

using namespace latentlab;

namespace {

// CPU time of this thread: the machine is shared, wall time is not ours alone.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <train-images-idx3-ubyte>\n", argv[0]);
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), {});
  const IdxArray images = parse_idx(bytes.data(), bytes.size());
  const long count = images.shape[0];
  const int features = static_cast<int>(images.shape[1] * images.shape[2]);
  Matrix<float> data(features, count);
  for (long i = 0; i < data.size(); ++i) data.data()[i] = images.values[i] / 255.0f;

  AutoencoderConfig config;
  config.input_size = features;
  config.encoder = {256, 64};
  config.latent_size = 32;
  Autoencoder<float> model(config);
  Trainer trainer(model, 1);
  trainer.configure(TrainOptions{});

  const Dataset warm_up(data.leftCols(10000), "warm-up data");
  trainer.train(warm_up, std::numeric_limits<long>::max(), nullptr);

  const Dataset training(std::move(data), "data");
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  const TrainReport report = trainer.train(training, std::numeric_limits<long>::max(), nullptr);
  const double cpu = cpu_seconds() - cpu_start;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf(
      "{\"build\":\"native\",\"samples\":%ld,\"cpuSeconds\":%.3f,\"wallSeconds\":%.3f,"
      "\"samplesPerSecond\":%.1f,\"loss\":%.5f}\n",
      report.samples, cpu, wall, report.samples / cpu, report.terms.total());
  return 0;
}
