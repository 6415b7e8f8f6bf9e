// The stochastic Gaussian bottleneck of a variational autoencoder as a layer
// of the sequence (formulas in variational.h):
//   X: 2L x B, rows [0, L) the mean mu, rows [L, 2L) the log-variance
//   Y: L x B,  z = mu + exp(logvar / 2) eps with eps ~ N(0, I) drawn from the
//              pass's generator, or mu when the pass has none
//   extra loss: beta * (1/B) sum_b KL(N(mu_b, sigma_b^2) || N(0, I))
// The eps of the last drawing pass is kept for the backward pass.
#pragma once

#include "layer.h"
#include "variational.h"

namespace latentlab {

template <typename Scalar>
class GaussianBottleneck final : public Layer<Scalar> {
 public:
  GaussianBottleneck(int latent, double beta) : latent_(latent), beta_(beta) {}

  int inputs() const override { return 2 * latent_; }
  int outputs() const override { return latent_; }
  double beta() const { return beta_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& mode) const override {
    if (mode.rng != nullptr) {
      reparameterize(inputs, *mode.rng, noise_, outputs);
    } else {
      outputs = inputs.topRows(latent_);
      noise_.setZero(latent_, inputs.cols());
    }
  }

  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* input_gradient) const override {
    if (input_gradient != nullptr) {
      variational_backward(inputs, noise_, output_gradient, beta_, *input_gradient);
    }
  }

  void add_extra_loss(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                      const Matrix<Scalar>& /*outputs*/, LossTerms& terms) const override {
    terms.kl += gaussian_kl_mean(inputs);
    terms.beta = beta_;
  }

 private:
  int latent_;
  double beta_;
  mutable Matrix<Scalar> noise_;  // eps of the last forward pass (L x B)
};

}  // namespace latentlab
