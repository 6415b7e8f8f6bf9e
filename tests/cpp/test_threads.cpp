// Training gives the same bits on any number of threads, in every family:
// each loop of a step that the threads share (gather, activations, loss,
// row sums, finiteness checks, the optimizer; natively Eigen does the matrix
// products) gives every output element to one thread and sums in a fixed order.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <limits>
#include <vector>

#include "autoencoder.h"
#include "dataset.h"
#include "family_configs.h"
#include "parallel.h"
#include "trainer.h"

namespace {

using namespace latentlab;

// Large enough that every shared loop is cut into parts: 784 x 64 values a
// batch, 520k parameters.
AutoencoderConfig base() {
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {300, 32};
  config.latent_size = 16;
  config.seed = 3;
  return config;
}

Dataset bytes(int features, int samples) {
  std::vector<std::uint8_t> values(static_cast<std::size_t>(features) * samples);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<std::uint8_t>((i * 7919) % 256);
  return Dataset(std::move(values), features, 1.0 / 255, "data");
}

struct Trained {
  Vector<float> parameters;
  double loss;  // the mean of the batches' losses
};

Trained train(const AutoencoderConfig& config, const Dataset& data, int threads) {
  set_thread_count(threads);
  Autoencoder<float> model(config);
  Trainer trainer(model, 7);
  TrainOptions options;
  options.batch_size = 64;
  trainer.configure(options);
  const TrainReport report = trainer.train(data, 3, nullptr);
  set_thread_count(1);
  return {model.parameters(), report.terms.total()};
}

}  // namespace

TEST_CASE("every family trains to the same bits on 1 and on 3 threads") {
  const Dataset data = bytes(784, 64 * 3);
  auto families = latentlab_test::every_family(base());
  // Convolutions: im2col, col2im and the planes' rearrangements and sums share the threads.
  for (auto& family : latentlab_test::every_family(latentlab_test::convolutional_base(28, 8))) {
    families.push_back({"convolutional " + family.first, family.second});
  }
  // Named, not a structured binding: clang 14 cannot capture one (CAPTURE).
  for (const auto& family : families) {
    const std::string& name = family.first;
    const auto& config = family.second;
    CAPTURE(name);
    const Trained one = train(config, data, 1), three = train(config, data, 3);
    REQUIRE(one.parameters.size() == three.parameters.size());
    CHECK(std::memcmp(one.parameters.data(), three.parameters.data(),
                      sizeof(float) * one.parameters.size()) == 0);
    CHECK(std::memcmp(&one.loss, &three.loss, sizeof one.loss) == 0);
  }
}

TEST_CASE("a loop inside a part runs on that part's thread") {
  set_thread_count(3);
  std::vector<int> seen(1000, 0);
  std::atomic<int> wrong_thread{0};
  parallel_for(10, 1, [&](long begin, long end, int thread) {
    for (long i = begin; i < end; ++i) {
      // Per-thread workspaces stay the outer part's own.
      parallel_for(100, 1, [&](long b, long e, int inner) {
        if (inner != thread) ++wrong_thread;
        for (long j = b; j < e; ++j) ++seen[static_cast<std::size_t>(i * 100 + j)];
      });
    }
  });
  set_thread_count(1);
  CHECK(wrong_thread == 0);
  for (int s : seen) CHECK(s == 1);
}

TEST_CASE_TEMPLATE("all_finite finds an infinity or a NaN anywhere, on any thread count", Scalar,
                   float, double) {
  using limits = std::numeric_limits<Scalar>;
  // Finite extremes must pass: the largest, the smallest normal and subnormal, zeros.
  std::vector<Scalar> values(100000, Scalar(1));
  values[1] = limits::max();
  values[2] = -limits::max();
  values[3] = limits::min();
  values[4] = limits::denorm_min();
  values[5] = Scalar(-0.0);
  for (int threads : {1, 3}) {
    CAPTURE(threads);
    set_thread_count(threads);
    CHECK(all_finite(values.data(), static_cast<long>(values.size())));
    for (Scalar bad : {limits::infinity(), -limits::infinity(), limits::quiet_NaN(),
                       -limits::quiet_NaN(), limits::signaling_NaN()}) {
      for (std::size_t at : {std::size_t{0}, std::size_t{54321}, values.size() - 1}) {
        CAPTURE(at);
        std::vector<Scalar> copy = values;
        copy[at] = bad;
        CHECK_FALSE(all_finite(copy.data(), static_cast<long>(copy.size())));
        CHECK_FALSE(finite_values(copy.data() + at, 1));
      }
    }
  }
  set_thread_count(1);
}
