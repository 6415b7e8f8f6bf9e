// The stochastic Gaussian bottleneck of a variational autoencoder. The
// encoder's last layer emits 2L values per sample: rows [0, L) are the mean
// mu, rows [L, 2L) the log-variance, clamped to a range where exp() stays
// finite so that training never produces NaN.
#pragma once

#include <algorithm>
#include <cmath>

#include "matrix.h"
#include "rng.h"

namespace latentlab {

constexpr double min_log_variance = -20;
constexpr double max_log_variance = 10;

// z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) drawn into `noise` (L x B).
template <typename Scalar>
void reparameterize(const Matrix<Scalar>& heads, Rng& rng, Matrix<Scalar>& noise,
                    Matrix<Scalar>& z) {
  const Eigen::Index latent = heads.rows() / 2;
  noise.resize(latent, heads.cols());
  for (Eigen::Index i = 0; i < noise.size(); ++i)
    noise.data()[i] = static_cast<Scalar>(rng.normal());
  const auto log_variance = heads.bottomRows(latent)
                                .array()
                                .cwiseMax(Scalar(min_log_variance))
                                .cwiseMin(Scalar(max_log_variance));
  z = heads.topRows(latent).array() + (Scalar(0.5) * log_variance).exp() * noise.array();
}

// KL(N(mu, sigma^2) || N(0, I)) of one latent unit: -1/2 (1 + logvar - mu^2 - exp(logvar)),
// with logvar clamped as the bottleneck clamps it.
inline double gaussian_kl_term(double mu, double log_variance) {
  const double clamped = std::clamp(log_variance, min_log_variance, max_log_variance);
  return -0.5 * (1.0 + clamped - mu * mu - std::exp(clamped));
}

// KL(N(mu_b, sigma_b^2) || N(0, I)) of sample `b`, summed over the latent units.
template <typename Scalar>
double gaussian_kl_of_sample(const Matrix<Scalar>& heads, Eigen::Index b) {
  const Eigen::Index latent = heads.rows() / 2;
  double kl = 0;
  for (Eigen::Index j = 0; j < latent; ++j)
    kl += gaussian_kl_term(heads(j, b), heads(latent + j, b));
  return kl;
}

// The KL of every sample (1 x B).
template <typename Scalar>
Vector<double> gaussian_kl_per_sample(const Matrix<Scalar>& heads) {
  Vector<double> kl(heads.cols());
  for (Eigen::Index b = 0; b < heads.cols(); ++b) kl[b] = gaussian_kl_of_sample(heads, b);
  return kl;
}

// Their mean over the batch, without a per-sample buffer.
template <typename Scalar>
double gaussian_kl_mean(const Matrix<Scalar>& heads) {
  double sum = 0;
  for (Eigen::Index b = 0; b < heads.cols(); ++b) sum += gaussian_kl_of_sample(heads, b);
  return sum / static_cast<double>(heads.cols());
}

// Gradient of beta * (1/B) sum_b KL_b and of the reconstruction through z,
// with respect to the heads (2L x B):
//   dL/dmu     = dL/dz + beta/B * mu
//   dL/dlogvar = dL/dz * eps * exp(logvar/2) / 2 + beta/B * (exp(logvar) - 1) / 2
// (0 for a log-variance outside the clamp range).
template <typename Scalar>
void variational_backward(const Matrix<Scalar>& heads, const Matrix<Scalar>& noise,
                          const Matrix<Scalar>& code_gradient, double beta,
                          Matrix<Scalar>& head_gradient) {
  const Eigen::Index latent = heads.rows() / 2;
  const Scalar scale = Scalar(beta / heads.cols());
  head_gradient.resize(heads.rows(), heads.cols());
  head_gradient.topRows(latent) = code_gradient + scale * heads.topRows(latent);
  for (Eigen::Index b = 0; b < heads.cols(); ++b) {
    for (Eigen::Index j = 0; j < latent; ++j) {
      const Scalar log_variance = heads(latent + j, b);
      const bool clamped =
          log_variance < Scalar(min_log_variance) || log_variance > Scalar(max_log_variance);
      const Scalar sigma = std::exp(Scalar(0.5) * log_variance);
      head_gradient(latent + j, b) = clamped
                                         ? Scalar(0)
                                         : code_gradient(j, b) * noise(j, b) * sigma * Scalar(0.5) +
                                               scale * Scalar(0.5) * (sigma * sigma - Scalar(1));
    }
  }
}

}  // namespace latentlab
