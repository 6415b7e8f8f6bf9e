// Rng: the engine's only randomness. Its conversions are hand-written so that
// a seed gives the same numbers natively and in WebAssembly; these tests pin
// them to std::mt19937's standard-mandated output.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "rng.h"

using latentlab::Rng;

TEST_CASE("uniform() is mt19937's output with its top 24 bits, scaled to [0, 1)") {
  // std::seed_seq and std::mt19937 are both specified exactly by the standard:
  // the seed's low and high 32 bits feed the sequence.
  const std::uint64_t seed = 0x123456789ull;
  std::seed_seq sequence{0x23456789u, 0x1u};
  std::mt19937 reference(sequence);
  Rng rng(seed);
  for (int i = 0; i < 3; ++i) CHECK(rng.uniform() == (reference() >> 8) * 0x1p-24);
}

TEST_CASE("both halves of a 64-bit seed matter") {
  Rng low(1), high(1ull << 32 | 1);
  CHECK(low.uniform() != high.uniform());
}

TEST_CASE("uniform() stays in [0, 1) on a 2^-24 grid; uniform(low, high) in [low, high)") {
  Rng rng(1);
  // Count violations rather than assert 10000 times.
  int outside = 0, off_grid = 0, outside_interval = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.uniform();
    if (!(u >= 0.0 && u < 1.0)) ++outside;
    if (u * 0x1p24 != std::floor(u * 0x1p24)) ++off_grid;  // exactly representable in float
    const double v = rng.uniform(-0.5, 0.25);
    if (!(v >= -0.5 && v < 0.25)) ++outside_interval;
  }
  CHECK(outside == 0);
  CHECK(off_grid == 0);
  CHECK(outside_interval == 0);
}

TEST_CASE("the same seed repeats the sequence, another seed does not") {
  Rng a(123), b(123), c(124);
  std::vector<double> from_a, from_b, from_c;
  for (int i = 0; i < 16; ++i) {
    from_a.push_back(a.uniform());
    from_b.push_back(b.uniform());
    from_c.push_back(c.uniform());
  }
  CHECK(from_a == from_b);
  CHECK(from_a != from_c);
}

TEST_CASE("below(n) stays in [0, n) and reaches every value") {
  Rng rng(7);
  // n = 1, small n, a power of two (no rejection needed) and a large odd n.
  for (std::uint32_t n : {1u, 3u, 10u, 256u, 0x80000000u, 0xFFFFFFFFu}) {
    CAPTURE(n);
    std::vector<int> seen(n <= 256 ? n : 0, 0);
    int outside = 0;
    for (int i = 0; i < 4000; ++i) {
      const std::uint32_t x = rng.below(n);
      if (x >= n) {
        ++outside;
      } else if (!seen.empty()) {
        seen[x] = 1;
      }
    }
    CHECK(outside == 0);
    CHECK(std::count(seen.begin(), seen.end(), 0) == 0);
  }
}

TEST_CASE("below(n) is unbiased: each of 3 values near a third of the draws") {
  Rng rng(99);
  int counts[3] = {0, 0, 0};
  constexpr int kDraws = 30000;
  for (int i = 0; i < kDraws; ++i) ++counts[rng.below(3)];
  // Standard deviation of a count is sqrt(n p (1 - p)) ~ 82; allow 5 of them.
  for (int count : counts) CHECK(std::abs(count - kDraws / 3) < 410);
}

TEST_CASE("normal() has mean 0 and variance 1") {
  Rng rng(2024);
  constexpr int kDraws = 20000;
  double sum = 0, sum_of_squares = 0;
  int not_finite = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = rng.normal();
    if (!std::isfinite(z)) ++not_finite;
    sum += z;
    sum_of_squares += z * z;
  }
  CHECK(not_finite == 0);
  const double mean = sum / kDraws;
  const double variance = sum_of_squares / kDraws - mean * mean;
  // Standard errors: 1/sqrt(n) ~ 0.007 for the mean, sqrt(2/n) ~ 0.01 for the variance.
  CHECK(std::abs(mean) < 0.035);
  CHECK(variance == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("normal_draws are the seeded generator's normal() in order") {
  latentlab::Rng rng(9);
  const std::vector<double> draws = latentlab::normal_draws(5, 9);
  REQUIRE(draws.size() == 5);
  for (double draw : draws) CHECK(draw == rng.normal());
  CHECK(latentlab::normal_draws(0, 9).empty());
}
