// Dataset (dataset.h): every value checked finite as the data arrive, the
// error naming the first bad value's index; the range of the values; the
// content fingerprint by which the trainer tells one data set from another;
// bytes held as given and gathered as the floats they stand for, exactly.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

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

// Every sample of `data`, gathered.
Matrix<float> all_of(const Dataset& data) {
  Matrix<float> out;
  data.gather_range(0, data.count(), out);
  return out;
}

// 16 features x 40 samples of bytes covering every value 0-255.
std::vector<std::uint8_t> pixels() {
  std::vector<std::uint8_t> bytes(16 * 40);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>((i * 7919) % 256);
  }
  return bytes;
}

// The floats imagesFromIdx makes of bytes: b / 255 in double, rounded to float.
Matrix<float> divided_by_255(const std::vector<std::uint8_t>& bytes, int features) {
  Matrix<float> values(features, static_cast<Eigen::Index>(bytes.size()) / features);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    values(static_cast<Eigen::Index>(i)) = static_cast<float>(bytes[i] / 255.0);
  }
  return values;
}

}  // namespace

TEST_CASE("a dataset keeps its values, shape and range") {
  Matrix<float> values = halves();
  values(2, 1) = -0.75f;
  values(0, 3) = 2.5f;
  const Dataset data(values, "images");
  CHECK(data.count() == 4);
  CHECK(data.features() == 3);
  CHECK_FALSE(data.holds_bytes());
  CHECK(latentlab_test::count_differences(all_of(data), values) == 0);
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

TEST_CASE("gather writes the chosen samples' columns, allocating nothing when the shape is kept") {
  const Matrix<float> values = latentlab_test::low_rank_data(50, 4);
  const std::vector<std::uint8_t> bytes = pixels();
  const Matrix<float> scaled = divided_by_255(bytes, 16);
  for (const Dataset& data : {Dataset(values, "data"), Dataset(bytes, 16, 1.0 / 255, "data")}) {
    CAPTURE(data.holds_bytes());
    const Matrix<float>& expected = data.holds_bytes() ? scaled : values;
    const std::uint32_t indices[] = {7, 0, 31, 7};
    Matrix<float> out(16, 4);
    const float* memory = out.data();
    data.gather(indices, 4, out);
    CHECK(out.data() == memory);
    for (int j = 0; j < 4; ++j) {
      CHECK(latentlab_test::count_differences(out.col(j), expected.col(indices[j])) == 0);
    }
    // Another shape: resized.
    data.gather(indices + 1, 2, out);
    REQUIRE(out.cols() == 2);
    CHECK(latentlab_test::count_differences(out, expected(Eigen::all, {0, 31})) == 0);
    data.gather_range(30, 3, out);
    CHECK(latentlab_test::count_differences(out, expected.middleCols(30, 3)) == 0);
  }
}

TEST_CASE("bytes are held one a value and stand for b * scale, rounded to float") {
  const std::vector<std::uint8_t> bytes = pixels();
  const Dataset data(bytes, 16, 1.0 / 255, "data");
  CHECK(data.holds_bytes());
  CHECK(data.count() == 40);
  CHECK(data.features() == 16);
  // With scale 1/255, bit for bit the floats b / 255 (imagesFromIdx), for
  // every byte value, though b * (1/255) and b / 255 differ in double for some.
  CHECK(latentlab_test::count_differences(all_of(data), divided_by_255(bytes, 16)) == 0);
  CHECK(data.min() == 0.0f);
  CHECK(data.max() == 1.0f);
  // The same values as floats are the same data: the same fingerprint.
  CHECK(data.fingerprint() == Dataset(divided_by_255(bytes, 16), "data").fingerprint());

  // Another scale: b * scale, the range with the scale applied.
  const std::vector<std::uint8_t> few = {10, 200, 3, 90};
  const Dataset doubled(few, 2, 2.0, "data");
  Matrix<float> expected(2, 2);
  expected << 20, 6, 400, 180;
  CHECK(latentlab_test::count_differences(all_of(doubled), expected) == 0);
  CHECK(doubled.min() == 6.0f);
  CHECK(doubled.max() == 400.0f);
  const Dataset scaled(few, 2, 0.1, "data");
  CHECK(scaled.max() == static_cast<float>(200 * 0.1));
  CHECK(scaled.min() == static_cast<float>(3 * 0.1));
}

TEST_CASE("byte fingerprints: different for other bytes, another scale or another shape") {
  const std::vector<std::uint8_t> bytes = pixels();
  const Dataset a(bytes, 16, 1.0 / 255, "data");
  CHECK(Dataset(bytes, 16, 1.0 / 255, "other").fingerprint() == a.fingerprint());
  std::vector<std::uint8_t> changed = bytes;
  changed[100] ^= 1;
  CHECK(Dataset(changed, 16, 1.0 / 255, "data").fingerprint() != a.fingerprint());
  CHECK(Dataset(bytes, 16, 2.0 / 255, "data").fingerprint() != a.fingerprint());
  CHECK(Dataset(bytes, 8, 1.0 / 255, "data").fingerprint() != a.fingerprint());
  const std::vector<std::uint8_t> fewer(bytes.begin(), bytes.end() - 16);
  CHECK(Dataset(fewer, 16, 1.0 / 255, "data").fingerprint() != a.fingerprint());
}

TEST_CASE("bad bytes, features and scales are rejected, naming what is wrong") {
  const std::vector<std::uint8_t> ten(10, 1);
  struct Case {
    std::vector<std::uint8_t> bytes;
    int features;
    double scale;
    const char* words;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const Case& c : {
           Case{{}, 4, 1.0, "pixels holds no samples"},
           Case{ten, 3, 1.0, "pixels must hold a positive multiple of 3 bytes, got 10"},
           Case{ten, 0, 1.0, "features must be a positive integer, got 0"},
           Case{ten, 5, 0.0, "scale must be a finite number > 0, got 0"},
           Case{ten, 5, -0.5, "scale must be a finite number > 0, got -0.5"},
           Case{ten, 5, nan, "scale must be a finite number > 0, got NaN"},
           Case{ten, 5, std::numeric_limits<double>::infinity(),
                "scale must be a finite number > 0, got Infinity"},
       }) {
    CAPTURE(std::string(c.words));
    CHECK_THROWS_WITH_AS(Dataset(c.bytes, c.features, c.scale, "pixels"),
                         doctest::Contains(c.words), latentlab::OutOfRange);
  }
}
