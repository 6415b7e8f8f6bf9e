// Principal component analysis: the linear baseline beside the autoencoders,
// with the same encode / decode / reconstruct surface.
//   fit:     mean m, covariance C = 1/n sum (x - m)(x - m)^T, components = the
//            k eigenvectors of C with the largest eigenvalues (rows of P)
//   encode:  z = P (x - m)        decode:  x = P^T z + m
// The mean and the covariance are accumulated in double over the data's
// chunks (dataset.h; the covariance from float products of each chunk) and
// the covariance is decomposed in double.
#pragma once

#include "dataset.h"
#include "matrix.h"

namespace latentlab {

class Pca {
 public:
  Pca(int input_size, int components);

  // data: input_size features per sample.
  void fit(const Dataset& data);
  bool fitted() const { return fitted_; }
  int input_size() const { return input_size_; }
  int components() const { return components_; }

  Matrix<float> encode(const Matrix<float>& inputs) const;  // components x B
  Matrix<float> encode(const Dataset& data) const;          // components x n, chunk by chunk
  Matrix<float> decode(const Matrix<float>& codes) const;   // input_size x B
  Matrix<float> reconstruct(const Matrix<float>& inputs) const { return decode(encode(inputs)); }

  // Per sample, the squared reconstruction error summed over features:
  //   score_b = sum_i (reconstruct(x_b)_i - x_bi)^2          inputs: input_size x B -> B
  Vector<double> anomaly_scores(const Matrix<float>& inputs) const;
  Vector<double> anomaly_scores(const Dataset& data) const;  // n, chunk by chunk

  // The mean over samples and features of the squared reconstruction error:
  // the sum of the anomaly scores over n x input_size.
  double mean_squared_error(const Dataset& data) const;

  // Decodes `steps` codes evenly spaced from the code of input `a` to that of
  // `b` (latent_path.h), both ends included: input_size x steps.
  Matrix<float> interpolate(const Vector<float>& a, const Vector<float>& b, int steps) const;

  // The components as rows: components x input_size (P), unit length, orthogonal.
  const Matrix<float>& components_matrix() const;

  // Variance along each component, largest first.
  const Vector<double>& explained_variance() const { return explained_variance_; }

 private:
  void require_fitted() const;

  int input_size_;
  int components_;
  bool fitted_ = false;
  Vector<float> mean_;
  Matrix<float> projection_;  // components x input_size (P)
  Vector<double> explained_variance_;
};

}  // namespace latentlab
