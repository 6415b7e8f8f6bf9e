// Penalties as layers of the sequence: each passes its input through
// unchanged (Y = X) and adds a term to the objective, computed from X by the
// formulas of penalties.h; its backward adds that term's gradient to dL/dX.
// Placed right after the activation whose outputs it penalises.
#pragma once

#include <memory>

#include "activation_layer.h"
#include "affine_jacobian.h"
#include "layer.h"
#include "penalties.h"

namespace latentlab {

// Shared by the penalties: Y = X, dL/dX = dL/dY + dP/dX.
template <typename Scalar>
class PassThroughPenalty : public Layer<Scalar> {
 public:
  explicit PassThroughPenalty(int size) : size_(size) {}

  int inputs() const override { return size_; }
  int outputs() const override { return size_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& /*mode*/) const override {
    outputs = inputs;
  }

  void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const override {
    add_penalty_gradient(params, inputs, output_gradient, grads);
    if (input_gradient != nullptr) input_gradient->swap(output_gradient);
  }

  // The value of the penalty over the whole data from each unit's mean input
  // (over all samples) and the sample-weighted mean of the per-batch values:
  // they differ for a penalty of batch statistics (KL sparsity).
  virtual double whole_data_value(const Vector<double>& /*unit_means*/,
                                  double mean_of_batch_values) const {
    return mean_of_batch_values;
  }

 protected:
  // Adds dP/dX to `activation_gradient` (and dP/dparams to `grads`).
  virtual void add_penalty_gradient(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                                    Matrix<Scalar>& activation_gradient,
                                    Vector<Scalar>& grads) const = 0;

 private:
  int size_;
};

// weight * (1/B) sum_b sum_j |h_bj|
template <typename Scalar>
class L1ActivityPenalty final : public PassThroughPenalty<Scalar> {
 public:
  L1ActivityPenalty(int size, double weight) : PassThroughPenalty<Scalar>(size), weight_(weight) {}

  void add_extra_loss(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                      const Matrix<Scalar>& /*outputs*/, LossTerms& terms) const override {
    terms.sparsity += l1_activity_penalty(inputs, weight_, nullptr);
  }

 protected:
  void add_penalty_gradient(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                            Matrix<Scalar>& activation_gradient,
                            Vector<Scalar>& /*grads*/) const override {
    l1_activity_penalty(inputs, weight_, &activation_gradient);
  }

 private:
  double weight_;
};

// weight * sum_j KL(target || mean activation of unit j over the batch)
template <typename Scalar>
class KlSparsityPenalty final : public PassThroughPenalty<Scalar> {
 public:
  KlSparsityPenalty(int size, double target, double weight)
      : PassThroughPenalty<Scalar>(size), target_(target), weight_(weight) {}

  void add_extra_loss(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                      const Matrix<Scalar>& /*outputs*/, LossTerms& terms) const override {
    terms.sparsity += kl_sparsity_penalty(inputs, target_, weight_, nullptr);
  }

  double whole_data_value(const Vector<double>& unit_means, double /*mean*/) const override {
    const Matrix<double> means = unit_means;  // one "sample": the means themselves
    return kl_sparsity_penalty(means, target_, weight_, nullptr);
  }

 protected:
  void add_penalty_gradient(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                            Matrix<Scalar>& activation_gradient,
                            Vector<Scalar>& /*grads*/) const override {
    kl_sparsity_penalty(inputs, target_, weight_, &activation_gradient);
  }

 private:
  double target_;
  double weight_;
};

// weight * (1/B) sum_b ||dh/dx||_F^2 of the block h = s(a) before it: `layer`
// computes a, affinely in x (dense or a convolution), `activation` is s.
// Adds to dL/dh and, through the layer, to dL/dW.
template <typename Scalar>
class ContractivePenalty final : public PassThroughPenalty<Scalar> {
 public:
  ContractivePenalty(const AffineJacobian<Scalar>& layer, const ActivationLayer<Scalar>& activation,
                     double weight)
      : PassThroughPenalty<Scalar>(activation.outputs()),
        layer_(layer),
        activation_(activation.activation()),
        weight_(weight),
        row_norms_(activation.outputs()),
        norm_gradient_(activation.outputs()) {}

  void add_extra_loss(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                      const Matrix<Scalar>& /*outputs*/, LossTerms& terms) const override {
    layer_.jacobian_row_norms(params, row_norms_.data());
    terms.contractive +=
        contractive_penalty(inputs, activation_, row_norms_.data(), weight_, nullptr, nullptr);
  }

 protected:
  void add_penalty_gradient(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                            Matrix<Scalar>& activation_gradient,
                            Vector<Scalar>& grads) const override {
    layer_.jacobian_row_norms(params, row_norms_.data());
    contractive_penalty(inputs, activation_, row_norms_.data(), weight_, &activation_gradient,
                        norm_gradient_.data());
    layer_.add_jacobian_row_norms_gradient(params, norm_gradient_.data(), grads);
  }

 private:
  const AffineJacobian<Scalar>& layer_;
  Activation activation_;
  double weight_;
  // Workspace, sized once: a training step allocates nothing.
  mutable Vector<Scalar> row_norms_;
  mutable Vector<Scalar> norm_gradient_;
};

}  // namespace latentlab
