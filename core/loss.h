// Reconstruction losses, averaged over the batch and the features (as
// PyTorch's default reduction='mean'). Each returns the loss and, when asked,
// writes its gradient with respect to the network's last layer output.
// Sums are accumulated in double so that a float loss stays accurate.
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "activation.h"
#include "errors.h"
#include "matrix.h"
#include "parallel.h"
#include "simd.h"
#include "vector_math.h"

namespace latentlab {

enum class ReconstructionLoss { mse, bce };

inline const char* loss_name(ReconstructionLoss loss) {
  return loss == ReconstructionLoss::mse ? "mse" : "bce";
}

// Binary cross-entropy compares outputs with targets that are probabilities:
// data outside [0, 1] (its smallest and largest values) is refused.
inline void check_loss_targets(ReconstructionLoss loss, double min, double max, const char* name) {
  if (loss != ReconstructionLoss::bce || (min >= 0 && max <= 1)) return;
  throw OutOfRange(std::string(name) + " must lie in [0, 1] for loss 'bce', got values in [" +
                   number_text(min) + ", " + number_text(max) + "]");
}

// Per element: squared error (y - x)^2, and binary cross-entropy of sigmoid(z)
// against a target x in [0, 1], written from the logit z so that it never
// takes log(0): l(z, x) = -x log sigmoid(z) - (1 - x) log(1 - sigmoid(z))
//                       = softplus(z) - z x = max(z, 0) - z x + log(1 + e^-|z|).
inline double squared_error(double y, double x) { return (y - x) * (y - x); }
inline double binary_cross_entropy_with_logit(double z, double x) {
  return std::max(z, 0.0) - z * x + std::log1p(std::exp(-std::abs(z)));
}

// BCE from logits four at a time: softplus(z) - z x, as above.
inline simd::f32x4 binary_cross_entropy_with_logit(simd::f32x4 z, simd::f32x4 x) {
  return simd::sub(vector_math::softplus(z), simd::mul(z, x));
}

// The loss of sample `b`, summed over its features in order. `outputs` are
// reconstructions for MSE and logits for BCE, whose floats go four lanes at a
// time (with libm's exp and log1p, one value at a time, a BCE model trained
// about 20% slower in wasm).
template <typename Scalar>
double sample_loss(ReconstructionLoss loss, const Matrix<Scalar>& outputs,
                   const Matrix<Scalar>& targets, Eigen::Index b) {
  const Scalar* y = outputs.col(b).data();
  const Scalar* x = targets.col(b).data();
  const long count = outputs.rows();
  double sum = 0;
  if (loss == ReconstructionLoss::mse) {
    for (long i = 0; i < count; ++i) sum += squared_error(y[i], x[i]);
  } else if constexpr (std::is_same_v<Scalar, float>) {
    float terms[4];
    long i = 0;
    for (; i + 4 <= count; i += 4) {
      simd::store(terms, binary_cross_entropy_with_logit(simd::load(y + i), simd::load(x + i)));
      for (const float term : terms) sum += term;
    }
    if (i < count) {
      float z[4] = {0, 0, 0, 0}, target[4] = {0, 0, 0, 0};
      std::copy(y + i, y + count, z);
      std::copy(x + i, x + count, target);
      simd::store(terms, binary_cross_entropy_with_logit(simd::load(z), simd::load(target)));
      for (long lane = 0; lane < count - i; ++lane) sum += terms[lane];
    }
  } else {
    for (long i = 0; i < count; ++i) sum += binary_cross_entropy_with_logit(y[i], x[i]);
  }
  return sum;
}

// The loss of each sample, summed over its features: a 1 x B row.
template <typename Scalar>
Vector<double> loss_per_sample(ReconstructionLoss loss, const Matrix<Scalar>& outputs,
                               const Matrix<Scalar>& targets) {
  Vector<double> sums(outputs.cols());
  for (Eigen::Index b = 0; b < outputs.cols(); ++b)
    sums[b] = sample_loss(loss, outputs, targets, b);
  return sums;
}

// The gradient of the mean loss for samples [first, last), written into the
// same columns of `gradient` (see mean_reconstruction_loss; scale = s / (B D)).
template <typename Scalar>
void write_loss_gradient(ReconstructionLoss loss, const Matrix<Scalar>& outputs,
                         const Matrix<Scalar>& targets, long first, long last, Scalar scale,
                         Matrix<Scalar>& gradient) {
  const long begin = first * outputs.rows(), end = last * outputs.rows();
  const Scalar* y = outputs.data();
  const Scalar* x = targets.data();
  Scalar* g = gradient.data();
  if (loss == ReconstructionLoss::mse) {
    const Scalar twice = Scalar(2) * scale;
    for (long i = begin; i < end; ++i) g[i] = (y[i] - x[i]) * twice;
  } else {
    std::copy(y + begin, y + end, g + begin);
    apply_activation(Activation::sigmoid, g + begin, end - begin);
    for (long i = begin; i < end; ++i) g[i] = (g[i] - x[i]) * scale;
  }
}

// The loss averaged over the batch and the features (PyTorch's reduction='mean'),
// and its gradient with respect to the outputs, scaled by `gradient_scale`:
//   MSE: L = 1/(B D) sum (y - x)^2     dL/dy = 2 (y - x) / (B D)
//   BCE: L = 1/(B D) sum l(z, x)       dL/dz = (sigmoid(z) - x) / (B D)
// The samples are cut into at most kLossBlocks blocks, fixed by B alone, that
// the threads share; the block sums are added in order, so the loss is the
// same on any number of threads.
inline constexpr long kLossBlocks = 64;

template <typename Scalar>
double mean_reconstruction_loss(ReconstructionLoss loss, const Matrix<Scalar>& outputs,
                                const Matrix<Scalar>& targets, NonDeduced<Matrix<Scalar>>* gradient,
                                double gradient_scale = 1) {
  const long features = outputs.rows(), samples = outputs.cols();
  const double count = static_cast<double>(outputs.size());
  const Scalar scale = Scalar(gradient_scale / count);
  if (gradient != nullptr) gradient->resize(outputs.rows(), outputs.cols());
  const long per_block = std::max(1L, (samples + kLossBlocks - 1) / kLossBlocks);
  const long blocks = (samples + per_block - 1) / per_block;
  double block_sums[kLossBlocks];
  parallel_for(blocks, std::max(1L, kElementsPerPart / std::max(1L, per_block * features)),
               [&](long first_block, long last_block, int) {
                 for (long block = first_block; block < last_block; ++block) {
                   const long first = block * per_block;
                   const long last = std::min(samples, first + per_block);
                   double sum = 0;
                   for (long b = first; b < last; ++b)
                     sum += sample_loss(loss, outputs, targets, b);
                   block_sums[block] = sum;
                   if (gradient != nullptr) {
                     write_loss_gradient(loss, outputs, targets, first, last, scale, *gradient);
                   }
                 }
               });
  double sum = 0;
  for (long block = 0; block < blocks; ++block) sum += block_sums[block];
  return sum / count;
}

}  // namespace latentlab
