// What the contractive penalty asks of the layer it differentiates. The
// layers whose output a = A x + b is affine in their input (dense and the
// convolutions; A is the weights arranged as one matrix) have a constant
// Jacobian da/dx = A, and ||dh/dx||_F^2 of h = s(a) only needs the squared
// norms of its rows,
//   w_j = sum_i A_ji^2         (one per output unit, in output order),
// and, for the gradient, d(sum_j g_j w_j)/dW for given g.
#pragma once

#include "matrix.h"

namespace latentlab {

template <typename Scalar>
class AffineJacobian {
 public:
  virtual ~AffineJacobian() = default;

  // Output units, the Jacobian's rows (Layer::outputs of the layer).
  virtual int outputs() const = 0;

  // norms: one value per output unit.
  virtual void jacobian_row_norms(const Vector<Scalar>& params, Scalar* norms) const = 0;

  // grads (at the layer's weights) += d(sum_j scales_j w_j)/dW; every w_j is
  // a sum of squared weights, so that is 2 (sum of scales_j over the w_j
  // holding W_i) W_i for each weight W_i.
  virtual void add_jacobian_row_norms_gradient(const Vector<Scalar>& params, const Scalar* scales,
                                               Vector<Scalar>& grads) const = 0;
};

}  // namespace latentlab
