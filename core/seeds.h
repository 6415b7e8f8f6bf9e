// The generators one model seed s starts, each its own stream so that none
// disturbs another: the weights (s), training (s + 1: shuffling, corruption
// noise, the variational eps) and evaluation (s + 2: the eps with which
// evaluation estimates a variational model's ELBO, the same on every call).
#pragma once

#include <cstdint>

namespace latentlab {

inline std::uint64_t weights_seed(std::uint64_t seed) { return seed; }
inline std::uint64_t training_seed(std::uint64_t seed) { return seed + 1; }
inline std::uint64_t evaluation_seed(std::uint64_t seed) { return seed + 2; }

}  // namespace latentlab
