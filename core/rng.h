// The engine's only source of randomness: an explicitly seeded generator.
// std::mt19937's output sequence is fixed by the C++ standard, but the
// standard distributions are not (libstdc++ and libc++ differ), so the
// conversions to uniform reals and bounded integers are written here. That
// keeps a seed's results identical natively and in WebAssembly.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace latentlab {

class Rng {
 public:
  // std::seed_seq's mixing is specified by the standard too; both halves of
  // the seed count, so 1 and 2^32 give different streams.
  explicit Rng(std::uint64_t seed) : engine_(seed_sequence(seed)) {}

  // Uniform in [0, 1) with 24 random bits: exactly representable in float.
  double uniform() { return static_cast<double>(engine_() >> 8) * 0x1p-24; }

  // Uniform in [low, high).
  double uniform(double low, double high) { return low + (high - low) * uniform(); }

  // Uniform integer in [0, n), n > 0, without modulo bias (rejection sampling).
  std::uint32_t below(std::uint32_t n) {
    const std::uint32_t limit = static_cast<std::uint32_t>(0x100000000ull - 0x100000000ull % n);
    std::uint32_t x;
    do {
      x = engine_();
    } while (limit != 0 && x >= limit);
    return x % n;
  }

  // Standard normal by the Box-Muller transform.
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static std::mt19937 seed_sequence(std::uint64_t seed) {
    std::seed_seq sequence{static_cast<std::uint32_t>(seed),
                           static_cast<std::uint32_t>(seed >> 32)};
    return std::mt19937(sequence);
  }

  std::mt19937 engine_;
};

// `count` standard normal draws from a generator seeded by `seed`, in order:
// the same draws that Model.sample decodes for that seed.
inline std::vector<double> normal_draws(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> draws(count);
  for (double& draw : draws) draw = rng.normal();
  return draws;
}

}  // namespace latentlab
