// Dataset (dataset.h): every value checked finite as the data arrive, the
// error naming the first bad value's index; the range of the values; and the
// content fingerprint by which the trainer tells one data set from another.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "dataset.h"
#include "errors.h"
#include "test_support.h"

using latentlab::Dataset;
using latentlab::Matrix;

namespace {

const float kNan = std::numeric_limits<float>::quiet_NaN();
const float kInfinity = std::numeric_limits<float>::infinity();

// 3 features x 4 samples: 0.5 everywhere but for what a test puts in.
Matrix<float> halves() { return Matrix<float>::Constant(3, 4, 0.5f); }

}  // namespace

TEST_CASE("a dataset keeps its values, shape and range") {
  Matrix<float> values = halves();
  values(2, 1) = -0.75f;
  values(0, 3) = 2.5f;
  const Dataset data(values, "images");
  CHECK(data.count() == 4);
  CHECK(data.features() == 3);
  CHECK(latentlab_test::count_differences(data.values(), values) == 0);
  CHECK(data.min() == -0.75f);
  CHECK(data.max() == 2.5f);
  // One value: it is both ends of the range.
  const Dataset single(Matrix<float>::Constant(1, 1, 3.0f), "images");
  CHECK(single.min() == 3.0f);
  CHECK(single.max() == 3.0f);
}

TEST_CASE("NaN and infinities are rejected, naming the first one's index in memory order") {
  // Index 5 in column-major order is (row 2, column 1) of a 3 x 4 matrix.
  struct Case {
    float value;
    const char* words;
  };
  for (const Case& c : {Case{kNan, "data[5] is NaN"}, Case{kInfinity, "data[5] is Infinity"},
                        Case{-kInfinity, "data[5] is -Infinity"}}) {
    CAPTURE(std::string(c.words));
    Matrix<float> values = halves();
    values(2, 1) = c.value;
    values(1, 3) = kNan;  // index 10: later, not the one named
    CHECK_THROWS_WITH_AS(Dataset(values, "data"), doctest::Contains(c.words),
                         latentlab::OutOfRange);
    CHECK_THROWS_WITH_AS(Dataset(values, "data"), doctest::Contains("values must be finite"),
                         latentlab::OutOfRange);
  }
  // The name given is the one in the message.
  Matrix<float> values = halves();
  values(0) = kNan;
  CHECK_THROWS_WITH_AS(Dataset(values, "trainImages"), doctest::Contains("trainImages[0] is NaN"),
                       latentlab::OutOfRange);
  // The largest finite floats are fine.
  values(0) = std::numeric_limits<float>::max();
  values(1) = std::numeric_limits<float>::lowest();
  const Dataset extreme(values, "data");
  CHECK(extreme.max() == std::numeric_limits<float>::max());
  CHECK(extreme.min() == std::numeric_limits<float>::lowest());
}

TEST_CASE("a dataset without samples is rejected") {
  CHECK_THROWS_WITH_AS(Dataset(Matrix<float>(3, 0), "data"),
                       doctest::Contains("data holds no samples"), latentlab::OutOfRange);
  CHECK_THROWS_AS(Dataset(Matrix<float>(0, 0), "data"), latentlab::OutOfRange);
}

TEST_CASE("fingerprints: equal for equal contents, different for any change") {
  const Matrix<float> values = latentlab_test::low_rank_data(50, 3);
  const Dataset a(values, "data"), b(Matrix<float>(values), "other name");
  CHECK(a.fingerprint() == b.fingerprint());

  // One value changed by one unit in the last place.
  Matrix<float> nudged = values;
  nudged(15, 49) = std::nextafter(nudged(15, 49), 2.0f);
  CHECK(Dataset(nudged, "data").fingerprint() != a.fingerprint());

  // Two values swapped: the same multiset, other contents.
  Matrix<float> swapped = values;
  std::swap(swapped(0, 0), swapped(1, 0));
  REQUIRE(swapped(0, 0) != values(0, 0));
  CHECK(Dataset(swapped, "data").fingerprint() != a.fingerprint());

  // The same values in another shape.
  const Matrix<float> row = Eigen::Map<const Matrix<float>>(values.data(), 1, values.size());
  CHECK(Dataset(row, "data").fingerprint() != a.fingerprint());
  // 0 and -0 compare equal as floats but are other contents (other bits).
  Matrix<float> zero = Matrix<float>::Zero(2, 2), negative_zero = zero;
  negative_zero(3) = -0.0f;
  CHECK(Dataset(zero, "data").fingerprint() != Dataset(negative_zero, "data").fingerprint());

  // Fewer samples of the same data.
  CHECK(Dataset(Matrix<float>(values.leftCols(49)), "data").fingerprint() != a.fingerprint());
}
