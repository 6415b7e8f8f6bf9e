// Reconstruction losses, averaged over the batch and the features (as
// PyTorch's default reduction='mean'). Each returns the loss and, when asked,
// writes its gradient with respect to the network's last layer output.
// Sums are accumulated in double so that a float loss stays accurate.
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "activation.h"
#include "matrix.h"

namespace latentlab {

enum class ReconstructionLoss { mse, bce };

inline ReconstructionLoss parse_loss(const std::string& name) {
  if (name == "mse") return ReconstructionLoss::mse;
  if (name == "bce") return ReconstructionLoss::bce;
  throw std::invalid_argument("loss must be 'mse' or 'bce', got '" + name + "'");
}

inline const char* loss_name(ReconstructionLoss loss) {
  return loss == ReconstructionLoss::mse ? "mse" : "bce";
}

// L = 1/(B D) sum (y - x)^2          dL/dy = 2 (y - x) / (B D)
template <typename Scalar>
double mean_squared_error(const Matrix<Scalar>& outputs, const Matrix<Scalar>& targets,
                          Matrix<Scalar>* gradient) {
  const double count = static_cast<double>(outputs.size());
  double sum = 0;
  const Scalar* y = outputs.data();
  const Scalar* x = targets.data();
  for (Eigen::Index i = 0; i < outputs.size(); ++i) {
    const double difference = static_cast<double>(y[i]) - x[i];
    sum += difference * difference;
  }
  if (gradient != nullptr) *gradient = (outputs - targets) * Scalar(2.0 / count);
  return sum / count;
}

// Binary cross-entropy of sigmoid(z) against targets x in [0, 1], computed from
// the logits z so that it never takes log(0):
//   l(z, x) = max(z, 0) - z x + log(1 + e^-|z|)
//   L = 1/(B D) sum l                  dL/dz = (sigmoid(z) - x) / (B D)
template <typename Scalar>
double binary_cross_entropy_with_logits(const Matrix<Scalar>& logits,
                                        const Matrix<Scalar>& targets, Matrix<Scalar>* gradient) {
  const double count = static_cast<double>(logits.size());
  double sum = 0;
  const Scalar* z = logits.data();
  const Scalar* x = targets.data();
  for (Eigen::Index i = 0; i < logits.size(); ++i) {
    const double zi = z[i];
    sum += std::max(zi, 0.0) - zi * x[i] + std::log1p(std::exp(-std::abs(zi)));
  }
  if (gradient != nullptr) {
    gradient->resize(logits.rows(), logits.cols());
    Scalar* g = gradient->data();
    const Scalar scale = Scalar(1.0 / count);
    for (Eigen::Index i = 0; i < logits.size(); ++i) {
      g[i] = (logistic(z[i]) - x[i]) * scale;
    }
  }
  return sum / count;
}

}  // namespace latentlab
