#include "pca.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <stdexcept>
#include <string>

#include "errors.h"
#include "finite.h"
#include "latent_path.h"

namespace latentlab {

namespace {
constexpr const char* kPcaOverflow = "the values overflow float in the PCA's projection";
}  // namespace

Pca::Pca(int input_size, int components) : input_size_(input_size), components_(components) {
  if (input_size <= 0 || input_size > (1 << 16)) {
    throw std::invalid_argument("inputSize must be an integer in [1, 65536], got " +
                                std::to_string(input_size));
  }
  if (components <= 0 || components > input_size) {
    throw std::invalid_argument(
        "components must be an integer in [1, inputSize = " + std::to_string(input_size) +
        "], got " + std::to_string(components));
  }
}

void Pca::fit(const Dataset& data) {
  require_features(data, input_size_, "the PCA");
  Vector<double> sum = Vector<double>::Zero(input_size_);
  for_each_chunk(
      data, [&](long, const Matrix<float>& chunk) { sum += chunk.cast<double>().rowwise().sum(); });
  const Vector<float> mean_float = (sum / static_cast<double>(data.count())).cast<float>();
  Matrix<double> covariance = Matrix<double>::Zero(input_size_, input_size_);
  Matrix<float> centered;
  for_each_chunk(data, [&](long, const Matrix<float>& chunk) {
    centered = chunk.colwise() - mean_float;
    covariance += (centered * centered.transpose()).cast<double>();
  });
  covariance /= static_cast<double>(data.count());
  // Products of float values of more than about 1e19 overflow float.
  require_finite(covariance, "the data's covariance values",
                 "the data's values (from " + number_text(data.min()) + " to " +
                     number_text(data.max()) + ") overflow float when multiplied");

  // Eigenvalues come in increasing order: the last columns are the components.
  const Eigen::SelfAdjointEigenSolver<Matrix<double>> solver(covariance);
  if (solver.info() != Eigen::Success) throw std::runtime_error("PCA: the eigensolver failed");
  projection_ =
      solver.eigenvectors().rightCols(components_).rowwise().reverse().transpose().cast<float>();
  explained_variance_ = solver.eigenvalues().tail(components_).reverse();
  mean_ = mean_float;
  fitted_ = true;
}

void Pca::require_fitted() const {
  if (!fitted_) throw std::logic_error("this PCA has not been fitted: call fit(images) first");
}

Matrix<float> Pca::encode(const Matrix<float>& inputs) const {
  require_fitted();
  Matrix<float> codes = projection_ * (inputs.colwise() - mean_);
  require_finite(codes, "the codes", kPcaOverflow);
  return codes;
}

Matrix<float> Pca::decode(const Matrix<float>& codes) const {
  require_fitted();
  Matrix<float> outputs = projection_.transpose() * codes;
  outputs.colwise() += mean_;
  require_finite(outputs, "the outputs", kPcaOverflow);
  return outputs;
}

Matrix<float> Pca::encode(const Dataset& data) const {
  require_fitted();
  require_features(data, input_size_, "the PCA");
  return map_chunks(data, [&](const Matrix<float>& chunk) { return encode(chunk); });
}

Vector<double> Pca::anomaly_scores(const Matrix<float>& inputs) const {
  return (reconstruct(inputs) - inputs).cast<double>().colwise().squaredNorm().transpose();
}

Vector<double> Pca::anomaly_scores(const Dataset& data) const {
  require_fitted();
  require_features(data, input_size_, "the PCA");
  Vector<double> scores(data.count());
  for_each_chunk(data, [&](long first, const Matrix<float>& chunk) {
    scores.segment(first, chunk.cols()) = anomaly_scores(chunk);
  });
  return scores;
}

double Pca::mean_squared_error(const Dataset& data) const {
  return anomaly_scores(data).sum() / (static_cast<double>(data.count()) * input_size_);
}

Matrix<float> Pca::interpolate(const Vector<float>& a, const Vector<float>& b, int steps) const {
  if (a.size() != input_size_ || b.size() != input_size_) {
    throw std::invalid_argument("both ends must be one input of " + std::to_string(input_size_) +
                                " values");
  }
  const Vector<float> code_a = encode(a), code_b = encode(b);
  return decode(latent_path(code_a, code_b, steps));
}

const Matrix<float>& Pca::components_matrix() const {
  require_fitted();
  return projection_;
}

}  // namespace latentlab
