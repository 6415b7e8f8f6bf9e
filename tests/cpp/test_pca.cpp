// PCA (pca.h) on data of known structure: points on a 2-D plane inside 5-D
// space, shifted by a mean. Two components must reconstruct them exactly and
// find the plane's variances; the components are orthonormal and ordered; the
// mean encodes to 0; data of several chunks give the same; bad arguments are
// rejected.
#include <doctest/doctest.h>

#include <Eigen/QR>
#include <cmath>
#include <stdexcept>
#include <string>

#include "dataset.h"
#include "errors.h"
#include "matrix.h"
#include "pca.h"
#include "rng.h"
#include "test_support.h"

using latentlab::Dataset;
using latentlab::Matrix;
using latentlab::Pca;
using latentlab::Vector;

namespace {

constexpr int kSamples = 400;
constexpr double kPi = 3.141592653589793;

// x_b = m + U z_b with U (5 x 2) orthonormal and
//   z_b = (2 sqrt2 cos t_b, 0.5 sqrt2 sin 3t_b),  t_b = 2 pi b / n:
// both coordinates have mean 0 and are uncorrelated over the full period, with
// variances 4 and 0.25, so the covariance's eigenvalues are 4, 0.25, 0, 0, 0
// and its leading eigenvectors are U's columns.
struct PlaneData {
  Matrix<double> basis;  // U, 5 x 2
  Vector<double> mean;   // m
  Matrix<float> points;  // 5 x n
};

PlaneData plane_data(int samples = kSamples) {
  latentlab::Rng rng(3);
  Matrix<double> random(5, 2);
  for (Eigen::Index i = 0; i < random.size(); ++i) random(i) = rng.normal();
  PlaneData data;
  data.basis =
      Eigen::HouseholderQR<Matrix<double>>(random).householderQ() * Matrix<double>::Identity(5, 2);
  data.mean = Vector<double>(5);
  data.mean << 0.3, -1, 2, 0.5, 0.1;
  data.points.resize(5, samples);
  for (int b = 0; b < samples; ++b) {
    const double t = 2 * kPi * b / samples;
    const Vector<double> z =
        Eigen::Vector2d(2 * std::sqrt(2.0) * std::cos(t), 0.5 * std::sqrt(2.0) * std::sin(3 * t));
    data.points.col(b) = (data.mean + data.basis * z).cast<float>();
  }
  return data;
}

// The components as rows (k x 5), read through the public surface:
// decode(e_i) - decode(0) = P^T e_i.
Matrix<double> components_of(const Pca& pca) {
  const Matrix<float> origin = pca.decode(Matrix<float>::Zero(pca.components(), 1));
  const Matrix<float> unit = Matrix<float>::Identity(pca.components(), pca.components());
  return (pca.decode(unit).colwise() - origin.col(0)).transpose().cast<double>();
}

}  // namespace

TEST_CASE("PCA with 2 components reconstructs points on a plane exactly") {
  const PlaneData data = plane_data();
  Pca pca(5, 2);
  CHECK_FALSE(pca.fitted());
  pca.fit(Dataset(data.points, "data"));
  CHECK(pca.fitted());
  const Matrix<float> reconstructed = pca.reconstruct(data.points);
  REQUIRE(reconstructed.rows() == 5);
  REQUIRE(reconstructed.cols() == kSamples);
  CHECK((reconstructed - data.points).cwiseAbs().maxCoeff() < 1e-4);

  // One component loses the second direction: the error is then that of z_2.
  Pca one(5, 1);
  one.fit(Dataset(data.points, "data"));
  const double squared_error =
      (one.reconstruct(data.points) - data.points).cast<double>().squaredNorm() / kSamples;
  CHECK(squared_error == doctest::Approx(0.25).epsilon(1e-4));
}

TEST_CASE("PCA finds the plane's variances, largest first, and nothing else") {
  const PlaneData data = plane_data();
  Pca pca(5, 3);
  pca.fit(Dataset(data.points, "data"));
  const Vector<double>& variance = pca.explained_variance();
  REQUIRE(variance.size() == 3);
  CHECK(variance(0) == doctest::Approx(4.0).epsilon(1e-5));
  CHECK(variance(1) == doctest::Approx(0.25).epsilon(1e-5));
  CHECK(std::abs(variance(2)) < 1e-5);
  // The codes' variances are the explained variances.
  const Matrix<double> codes = pca.encode(data.points).cast<double>();
  for (Eigen::Index k = 0; k < 2; ++k) {
    CAPTURE(k);
    CHECK(codes.row(k).squaredNorm() / kSamples == doctest::Approx(variance(k)).epsilon(1e-4));
  }
}

TEST_CASE("PCA components are orthonormal and span the plane, in order") {
  const PlaneData data = plane_data();
  Pca pca(5, 2);
  pca.fit(Dataset(data.points, "data"));
  const Matrix<double> p = components_of(pca);  // 2 x 5
  REQUIRE(p.rows() == 2);
  REQUIRE(p.cols() == 5);
  CHECK((p * p.transpose() - Matrix<double>::Identity(2, 2)).cwiseAbs().maxCoeff() < 1e-5);
  // Component k is +-U's column k (the sign of an eigenvector is arbitrary).
  CHECK(std::abs(p.row(0).dot(data.basis.col(0))) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(std::abs(p.row(1).dot(data.basis.col(1))) == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("PCA encodes the data mean to 0 and decodes 0 to the mean") {
  const PlaneData data = plane_data();
  Pca pca(5, 2);
  pca.fit(Dataset(data.points, "data"));
  const Matrix<float> mean = data.points.cast<double>().rowwise().mean().cast<float>();
  CHECK(pca.encode(mean).cwiseAbs().maxCoeff() < 1e-5);
  const Matrix<float> origin = pca.decode(Matrix<float>::Zero(2, 1));
  CHECK((origin - data.mean.cast<float>()).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("PCA on data of several chunks: the same plane, and per-sample results of each chunk") {
  // 2,500 samples: chunks of 1000, 1000 and 500.
  const PlaneData data = plane_data(2500);
  const Dataset dataset(data.points, "data");
  Pca pca(5, 2);
  pca.fit(dataset);
  CHECK(pca.explained_variance()(0) == doctest::Approx(4.0).epsilon(1e-5));
  CHECK(pca.explained_variance()(1) == doctest::Approx(0.25).epsilon(1e-5));
  const Matrix<float> codes = pca.encode(dataset);
  REQUIRE(codes.cols() == 2500);
  const Vector<double> scores = pca.anomaly_scores(dataset);
  REQUIRE(scores.size() == 2500);
  for (Eigen::Index first : {0, 1000, 2000}) {
    const Eigen::Index count = first == 2000 ? 500 : 1000;
    const Matrix<float> chunk = data.points.middleCols(first, count);
    CHECK(latentlab_test::count_differences(codes.middleCols(first, count), pca.encode(chunk)) ==
          0);
    CHECK(latentlab_test::count_differences(scores.segment(first, count),
                                            pca.anomaly_scores(chunk)) == 0);
  }
  // On the plane the error is rounding only; with one component it is z_2's variance.
  CHECK(pca.mean_squared_error(dataset) == doctest::Approx(scores.sum() / (2500 * 5)));
  CHECK(pca.mean_squared_error(dataset) < 1e-9);
  Pca one(5, 1);
  one.fit(dataset);
  CHECK(one.mean_squared_error(dataset) * 5 == doctest::Approx(0.25).epsilon(1e-4));
}

TEST_CASE("PCA rejects bad component counts, bad data and use before fit") {
  CHECK_THROWS_WITH_AS(Pca(5, 6), doctest::Contains("components must be an integer in [1, "),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Pca(5, 0), doctest::Contains("got 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Pca(0, 1), doctest::Contains("inputSize"), std::invalid_argument);
  CHECK_NOTHROW(Pca(5, 5));

  Pca pca(5, 2);
  CHECK_THROWS_WITH_AS(pca.encode(Matrix<float>::Zero(5, 1)), doctest::Contains("fit"),
                       std::logic_error);
  CHECK_THROWS_AS(pca.decode(Matrix<float>::Zero(2, 1)), std::logic_error);
  CHECK_THROWS_AS(pca.reconstruct(Matrix<float>::Zero(5, 1)), std::logic_error);
  const Dataset narrow(Matrix<float>::Zero(4, 10), "data");
  CHECK_THROWS_AS(pca.encode(narrow), std::logic_error);
  CHECK_THROWS_AS(pca.anomaly_scores(narrow), std::logic_error);
  CHECK_THROWS_WITH_AS(pca.fit(narrow),
                       doctest::Contains("4 features per sample, the PCA expects 5"),
                       latentlab::OutOfRange);
  CHECK_FALSE(pca.fitted());  // a rejected fit leaves it unfitted
  pca.fit(Dataset(plane_data().points, "data"));
  CHECK_THROWS_WITH_AS(pca.encode(narrow),
                       doctest::Contains("4 features per sample, the PCA expects 5"),
                       latentlab::OutOfRange);
  CHECK_THROWS_AS(pca.mean_squared_error(narrow), latentlab::OutOfRange);
}

TEST_CASE("PCA anomaly scores, interpolation and components on points along the x axis") {
  // Points (+-1, 0), (+-2, 0): mean 0, one component along x. An input's
  // reconstruction keeps its x and drops its y, so its score is y^2.
  Matrix<float> data(2, 4);
  data << -1, 1, -2, 2, 0, 0, 0, 0;
  Pca pca(2, 1);
  pca.fit(Dataset(data, "data"));
  CHECK(std::abs(pca.components_matrix()(0, 0)) == doctest::Approx(1));
  CHECK(pca.components_matrix()(0, 1) == doctest::Approx(0));
  Matrix<float> inputs(2, 2);
  inputs << 1, 0, 3, 0.5;
  const Vector<double> scores = pca.anomaly_scores(inputs);
  CHECK(scores(0) == doctest::Approx(9));
  CHECK(scores(1) == doctest::Approx(0.25));
  // From (-2, 1) to (2, 5) in 3 steps: codes -2, 0, 2 along x (whatever the
  // component's sign), decoded onto the axis.
  Vector<float> a(2), b(2);
  a << -2, 1;
  b << 2, 5;
  const Matrix<float> path = pca.interpolate(a, b, 3);
  REQUIRE(path.rows() == 2);
  REQUIRE(path.cols() == 3);
  for (int s = 0; s < 3; ++s) {
    CHECK(path(0, s) == doctest::Approx(-2 + 2 * s));
    CHECK(path(1, s) == doctest::Approx(0).epsilon(1e-6));
  }
  CHECK_THROWS_AS(pca.interpolate(a, b, 1), std::invalid_argument);
  CHECK_THROWS_AS(pca.interpolate(Vector<float>(3), b, 3), std::invalid_argument);
  CHECK_THROWS_AS(Pca(2, 1).components_matrix(), std::logic_error);
}
