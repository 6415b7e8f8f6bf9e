// A training step allocates nothing once the first steps have sized its
// buffers: for every family, a few steps run with Eigen's allocations
// forbidden (counted, see eigen_allocation_check.h) and every operator new
// counted. Built as its own program: the checks must be compiled into the
// engine's code too.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>

#include "../cpp/family_configs.h"
#include "autoencoder.h"
#include "dataset.h"
#include "trainer.h"

namespace {
std::atomic<long> eigen_allocations{0};
std::atomic<long> new_calls{0};
std::atomic<bool> counting{false};
}  // namespace

void latentlab_test::count_eigen_assertion_failure() { ++eigen_allocations; }

void* operator new(std::size_t size) {
  if (counting) ++new_calls;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The cache-aligned buffers (cache_aligned.h) allocate through these.
void* operator new(std::size_t size, std::align_val_t alignment) {
  if (counting) ++new_calls;
  const auto bytes = static_cast<std::size_t>(alignment);
  if (void* p =
          std::aligned_alloc(bytes, (std::max<std::size_t>(size, 1) + bytes - 1) / bytes * bytes)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

using namespace latentlab;

Dataset pixels(int features, int samples) {
  Matrix<float> values(features, samples);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    values.data()[i] = static_cast<float>((i * 7919) % 256) / 255.0f;
  }
  return Dataset(std::move(values), "data");
}

struct Counts {
  long eigen;
  long news;
};

// Allocations made by `steps` mini-batches after three that size the buffers.
Counts allocations_per_steps(const AutoencoderConfig& config, long steps) {
  Autoencoder<float> model(config);
  Trainer trainer(model, 1);
  TrainOptions options;
  options.batch_size = 16;
  trainer.configure(options);
  const Dataset data = pixels(config.input_size, 16 * 20);
  trainer.train(data, 3, nullptr);
  eigen_allocations = 0;
  new_calls = 0;
  Eigen::internal::set_is_malloc_allowed(false);
  counting = true;
  trainer.train(data, steps, nullptr);
  counting = false;
  Eigen::internal::set_is_malloc_allowed(true);
  return {eigen_allocations.load(), new_calls.load()};
}

AutoencoderConfig base() {
  AutoencoderConfig config;
  config.input_size = 36;
  config.encoder = {20, 12};
  config.latent_size = 4;
  return config;
}

}  // namespace

TEST_CASE("a training step allocates nothing after the first ones, in every family") {
  auto families = latentlab_test::every_family(base());
  for (auto& family : latentlab_test::every_family(latentlab_test::convolutional_base(12, 4))) {
    families.push_back({"convolutional " + family.first, family.second});
  }
  for (const auto& [name, config] : families) {
    CAPTURE(name);
    const Counts counts = allocations_per_steps(config, 5);
    CHECK(counts.eigen == 0);
    CHECK(counts.news == 0);
  }
}
