// Optimizers over the model's whole flat parameter buffer. A training step
// calls step() once, so Adam's bias correction advances once per step no
// matter how many tensors the buffer holds.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "matrix.h"
#include "parallel.h"
#include "simd.h"

namespace latentlab {

enum class OptimizerKind { adam, sgd };

inline OptimizerKind parse_optimizer(const std::string& name) {
  if (name == "adam") return OptimizerKind::adam;
  if (name == "sgd") return OptimizerKind::sgd;
  throw std::invalid_argument("optimizer must be 'adam' or 'sgd', got '" + name + "'");
}

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::adam;
  double learning_rate = 1e-3;
  double momentum = 0.9;  // sgd
  double beta1 = 0.9;     // adam
  double beta2 = 0.999;   // adam
  double epsilon = 1e-8;  // adam
};

template <typename Scalar>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update of all parameters; `step` counts training steps from 1. The
  // parameters it starts from are saved to `previous` when given. Returns
  // whether every updated parameter is finite.
  virtual bool step(Vector<Scalar>& params, const Vector<Scalar>& grads, long step,
                    Vector<Scalar>* previous = nullptr) = 0;
  void set_options(const OptimizerOptions& options) { options_ = options; }
  const OptimizerOptions& options() const { return options_; }

 protected:
  explicit Optimizer(const OptimizerOptions& options) : options_(options) {}

  // Calls update(begin, n) over the buffer in chunks that stay in the cache,
  // on every thread, saving each chunk to `previous` first and checking it
  // after: one pass over the parameters instead of a copy, an update and a
  // check. Element by element, so the threads may split the buffer anywhere.
  template <typename Update>
  static bool update_elements(Vector<Scalar>& params, Vector<Scalar>* previous,
                              const Update& update) {
    constexpr long kChunk = 1024;
    if (previous != nullptr) previous->resize(params.size());
    return parallel_all(params.size(), kElementsPerPart, [&](long begin, long end) {
      bool finite = true;
      for (long first = begin; first < end; first += kChunk) {
        const long n = std::min(kChunk, end - first);
        if (previous != nullptr) previous->segment(first, n) = params.segment(first, n);
        update(first, n);
        finite = finite_values(params.data() + first, n) && finite;
      }
      return finite;
    });
  }

  OptimizerOptions options_;
};

// Adam (Kingma & Ba), as torch.optim.Adam without weight decay:
//   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
//   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
template <typename Scalar>
class Adam final : public Optimizer<Scalar> {
 public:
  Adam(const OptimizerOptions& options, Eigen::Index size)
      : Optimizer<Scalar>(options),
        first_moment_(Vector<Scalar>::Zero(size)),
        second_moment_(Vector<Scalar>::Zero(size)) {}

  bool step(Vector<Scalar>& params, const Vector<Scalar>& grads, long step,
            Vector<Scalar>* previous = nullptr) override {
    const OptimizerOptions& o = this->options_;
    const Scalar b1 = Scalar(o.beta1), b2 = Scalar(o.beta2);
    const Scalar first_correction = Scalar(1 - std::pow(o.beta1, double(step)));
    const Scalar second_correction = Scalar(1 - std::pow(o.beta2, double(step)));
    const Scalar step_size = Scalar(o.learning_rate) / first_correction;
    const Scalar root_correction = std::sqrt(second_correction);
    const Scalar epsilon = Scalar(o.epsilon);
    Scalar *p = params.data(), *m = first_moment_.data(), *v = second_moment_.data();
    const Scalar* g = grads.data();
    // Eigen's expression of this ran element by element, a third of a native
    // step. A plain loop over values captured by copy, which GCC vectorises;
    // clang does not for WebAssembly, so there it runs four lanes by hand, with
    // the same operations in the same order (no fused multiply-add in wasm).
    return this->update_elements(params, previous, [=](long begin, long n) {
      long i = begin;
#if defined(__wasm_simd128__)
      if constexpr (std::is_same_v<Scalar, float>) {
        using namespace simd;
        const f32x4 b1x = splat(b1), b2x = splat(b2), c1 = splat(1 - b1), c2 = splat(1 - b2);
        const f32x4 step_x = splat(step_size), root_x = splat(root_correction),
                    epsilon_x = splat(epsilon);
        for (; i + 4 <= begin + n; i += 4) {
          const f32x4 gi = load(g + i);
          const f32x4 mi = add(mul(b1x, load(m + i)), mul(c1, gi));
          const f32x4 vi = add(mul(b2x, load(v + i)), mul(c2, mul(gi, gi)));
          store(m + i, mi);
          store(v + i, vi);
          store(p + i,
                sub(load(p + i), div(mul(step_x, mi), add(div(sqrt(vi), root_x), epsilon_x))));
        }
      }
#endif
      for (; i < begin + n; ++i) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * (g[i] * g[i]);
        p[i] -= (step_size * m[i]) / (std::sqrt(v[i]) / root_correction + epsilon);
      }
    });
  }

 private:
  Vector<Scalar> first_moment_;   // m
  Vector<Scalar> second_moment_;  // v
};

// SGD with momentum, as torch.optim.SGD (no dampening, no Nesterov):
//   v = mu v + g   (v = g on the first step)        p -= lr v
template <typename Scalar>
class SgdMomentum final : public Optimizer<Scalar> {
 public:
  SgdMomentum(const OptimizerOptions& options, Eigen::Index size)
      : Optimizer<Scalar>(options), velocity_(Vector<Scalar>::Zero(size)) {}

  bool step(Vector<Scalar>& params, const Vector<Scalar>& grads, long /*step*/,
            Vector<Scalar>* previous = nullptr) override {
    const OptimizerOptions& o = this->options_;
    return this->update_elements(params, previous, [&](long begin, long n) {
      auto v = velocity_.segment(begin, n);
      v = Scalar(o.momentum) * v + grads.segment(begin, n);
      params.segment(begin, n) -= Scalar(o.learning_rate) * v;
    });
  }

 private:
  Vector<Scalar> velocity_;
};

template <typename Scalar>
std::unique_ptr<Optimizer<Scalar>> make_optimizer(const OptimizerOptions& options,
                                                  Eigen::Index size) {
  if (options.kind == OptimizerKind::adam) return std::make_unique<Adam<Scalar>>(options, size);
  return std::make_unique<SgdMomentum<Scalar>>(options, size);
}

}  // namespace latentlab
