// Optimizers over the model's whole flat parameter buffer. A training step
// calls step() once, so Adam's bias correction advances once per step no
// matter how many tensors the buffer holds.
#pragma once

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

#include "matrix.h"
#include "parallel.h"

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
  // One update of all parameters; `step` counts training steps from 1.
  virtual void step(Vector<Scalar>& params, const Vector<Scalar>& grads, long step) = 0;
  void set_options(const OptimizerOptions& options) { options_ = options; }
  const OptimizerOptions& options() const { return options_; }

 protected:
  explicit Optimizer(const OptimizerOptions& options) : options_(options) {}
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

  void step(Vector<Scalar>& params, const Vector<Scalar>& grads, long step) override {
    const OptimizerOptions& o = this->options_;
    const Scalar b1 = Scalar(o.beta1), b2 = Scalar(o.beta2);
    const Scalar first_correction = Scalar(1 - std::pow(o.beta1, double(step)));
    const Scalar second_correction = Scalar(1 - std::pow(o.beta2, double(step)));
    const Scalar step_size = Scalar(o.learning_rate) / first_correction;
    const Scalar root_correction = std::sqrt(second_correction);
    const Scalar epsilon = Scalar(o.epsilon);
    // Element by element, so the threads may split the buffer anywhere.
    parallel_elements(params.size(), [&](long begin, long end) {
      const Eigen::Index n = end - begin;
      auto m = first_moment_.segment(begin, n), v = second_moment_.segment(begin, n);
      const auto g = grads.segment(begin, n);
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g.cwiseAbs2();
      params.segment(begin, n).array() -=
          step_size * m.array() / (v.array().sqrt() / root_correction + epsilon);
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

  void step(Vector<Scalar>& params, const Vector<Scalar>& grads, long /*step*/) override {
    const OptimizerOptions& o = this->options_;
    parallel_elements(params.size(), [&](long begin, long end) {
      const Eigen::Index n = end - begin;
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
