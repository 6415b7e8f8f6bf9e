// Extra loss terms that shape what a hidden layer learns. Each takes the
// layer's activations H (units x B, one column per sample), returns the
// penalty's value and, when asked, ADDS its gradient to dL/dH (and, for the
// contractive penalty, gives dP/d(the layer's Jacobian row norms)), so that
// several terms can share one pass.
#pragma once

#include <algorithm>
#include <cmath>

#include "activation.h"
#include "matrix.h"

namespace latentlab {

// L1 activity penalty:  P = weight * (1/B) sum_b sum_j |h_bj|
//   dP/dh_bj = weight/B * sign(h_bj)
template <typename Scalar>
double l1_activity_penalty(const Matrix<Scalar>& activations, double weight,
                           NonDeduced<Matrix<Scalar>>* activation_gradient) {
  const double batch = static_cast<double>(activations.cols());
  const double value = weight / batch * activations.template cast<double>().cwiseAbs().sum();
  if (activation_gradient != nullptr) {
    activation_gradient->array() += Scalar(weight / batch) * activations.array().sign();
  }
  return value;
}

// KL sparsity penalty with target activation rho:
//   rho_hat_j = (1/B) sum_b h_bj, clamped to [c, 1 - c] (c = 1e-6)
//   P = weight * sum_j [rho ln(rho / rho_hat_j) + (1 - rho) ln((1 - rho) / (1 - rho_hat_j))]
//   dP/dh_bj = weight/B * (-rho / rho_hat_j + (1 - rho) / (1 - rho_hat_j)), 0 where clamped
template <typename Scalar>
double kl_sparsity_penalty(const Matrix<Scalar>& activations, double target, double weight,
                           NonDeduced<Matrix<Scalar>>* activation_gradient) {
  constexpr double clamp = 1e-6;
  const double batch = static_cast<double>(activations.cols());
  double value = 0;
  // Unit by unit, so that a training step allocates nothing.
  for (Eigen::Index j = 0; j < activations.rows(); ++j) {
    const double mean = activations.row(j).template cast<double>().mean();
    const double rho_hat = std::clamp(mean, clamp, 1 - clamp);
    value +=
        target * std::log(target / rho_hat) + (1 - target) * std::log((1 - target) / (1 - rho_hat));
    if (activation_gradient == nullptr || rho_hat != mean) continue;  // clamped: no gradient
    activation_gradient->row(j).array() +=
        Scalar(weight / batch * (-target / rho_hat + (1 - target) / (1 - rho_hat)));
  }
  return weight * value;
}

// Contractive penalty of a layer h = s(a), a = A x + b affine in x (dense,
// A = W; or a convolution, affine_jacobian.h):
//   ||dh/dx||_F^2 = sum_j s'(a_j)^2 w_j,   w_j = sum_i A_ji^2 (`row_norms`)
//   P = weight * (1/B) sum_b sum_j d_bj^2 w_j,   d_bj = s'(a_bj), written in terms of h:
//     sigmoid d = h (1 - h), d' = 1 - 2h;  tanh d = 1 - h^2, d' = -2h;  relu/identity d' = 0
//   dP/dh_bj = weight/B * 2 d_bj d'(h_bj) w_j
//   dP/dw_j  = weight/B * sum_b d_bj^2      (written to `norm_gradient`; the
//              layer turns it into dP/dW)
template <typename Scalar>
double contractive_penalty(const Matrix<Scalar>& activations, Activation activation,
                           const NonDeduced<Scalar>* row_norms, double weight,
                           NonDeduced<Matrix<Scalar>>* activation_gradient,
                           NonDeduced<Scalar>* norm_gradient) {
  const double batch = static_cast<double>(activations.cols());
  const Scalar gradient_scale = Scalar(2 * weight / batch);
  double value = 0;
  // Unit by unit, so that a training step allocates nothing.
  for (Eigen::Index j = 0; j < activations.rows(); ++j) {
    const Scalar row_norm = row_norms[j];
    double squares = 0;  // sum_b d_bj^2
    for (Eigen::Index b = 0; b < activations.cols(); ++b) {
      const Scalar h = activations(j, b);
      const Scalar d = activation_slope(activation, h);
      squares += double(d) * double(d);
      if (activation_gradient != nullptr) {
        (*activation_gradient)(j, b) +=
            gradient_scale * d * activation_curvature(activation, h) * row_norm;
      }
    }
    value += double(row_norm) * squares;
    if (norm_gradient != nullptr) norm_gradient[j] = Scalar(weight / batch * squares);
  }
  return weight / batch * value;
}

// Mean Frobenius norm over the batch of dh/dx for a layer h = s(a) as above.
template <typename Scalar>
double mean_jacobian_norm(const Matrix<Scalar>& activations, Activation activation,
                          const NonDeduced<Scalar>* row_norms) {
  const Vector<double> norms =
      Eigen::Map<const Vector<Scalar>>(row_norms, activations.rows()).template cast<double>();
  const Matrix<double> squared =
      activation_slopes(activation, activations).template cast<double>().array().square();
  const Matrix<double> per_sample = norms.transpose() * squared;  // 1 x B
  return per_sample.array().sqrt().mean();
}

}  // namespace latentlab
