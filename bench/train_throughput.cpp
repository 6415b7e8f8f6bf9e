// Training throughput of a workload of bench/workload.mjs in the native
// build: its model configuration (JSON, read by the engine's schema as the
// API reads it), Adam 1e-3 and batch 128 (TrainOptions' defaults, as in
// workload.mjs), float32, one thread. A fresh model trains 20 mini-batches
// untimed, then the rest of the shuffled epoch is timed in wall time; the
// test MSE is measured after it.
// Usage: bench_train_native <config-json> <train-images-idx3-ubyte> <t10k-images-idx3-ubyte>
// Prints one JSON line: {"samplesPerSecond":...,"testMSE":...,...}
#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

#include "autoencoder.h"
#include "dataset.h"
#include "evaluation.h"
#include "idx.h"
#include "model_schema.h"
#include "seeds.h"
#include "trainer.h"

using namespace latentlab;

namespace {

constexpr long warm_up_batches = 20;

// CPU time of this thread, printed beside the wall time to show how much of it was ours.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// The images of an IDX file as features x n floats in [0, 1].
Matrix<float> read_images(const char* path) {
  std::ifstream file(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), {});
  const IdxArray images = parse_idx(bytes.data(), bytes.size());
  Matrix<float> data(images.shape[1] * images.shape[2], images.shape[0]);
  for (long i = 0; i < data.size(); ++i) data.data()[i] = images.values[i] / 255.0f;
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s <config-json> <train-images-idx3-ubyte> <t10k-images-idx3-ubyte>\n",
                 argv[0]);
    return 2;
  }
  const AutoencoderConfig config = read_model_config(nlohmann::json::parse(argv[1]));
  const Dataset training(read_images(argv[2]), "data");
  const Dataset test(read_images(argv[3]), "test data");
  Autoencoder<float> model(config);
  Trainer trainer(model, training_seed(config.seed));
  trainer.configure(TrainOptions{});
  trainer.train(training, warm_up_batches, nullptr);

  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  const TrainReport report = trainer.train(training, std::numeric_limits<long>::max(), nullptr);
  const double cpu = cpu_seconds() - cpu_start;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const Evaluation evaluation = evaluate(model, test, evaluation_seed(config.seed));
  std::printf(
      "{\"threads\":1,\"samples\":%ld,\"wallSeconds\":%.3f,\"cpuSeconds\":%.3f,"
      "\"samplesPerSecond\":%.1f,\"trainLoss\":%.6f,\"testMSE\":%.6f}\n",
      report.samples, wall, cpu, report.samples / wall, report.epoch_terms.total(),
      evaluation.terms.reconstruction);
  return report.epoch_finished ? 0 : 1;
}
