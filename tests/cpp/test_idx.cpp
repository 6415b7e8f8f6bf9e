// IDX reader: a valid file built in the test, and every kind of malformed
// file, each rejected with std::invalid_argument saying what is wrong. Files
// that declare enormous sizes must be rejected before anything is allocated.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <vector>

#include "idx.h"

using latentlab::IdxArray;
using Bytes = std::vector<std::uint8_t>;

// The largest single request to the global operator new while tracking is on.
// Replacing operator new applies to the whole test program; it only forwards
// to malloc and records a size, so the other tests are unaffected.
namespace {
bool g_tracking = false;
std::size_t g_largest_request = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (g_tracking && size > g_largest_request) g_largest_request = size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// An IDX file: two zero bytes, the type, the dimension count, big-endian
// uint32 sizes, then the elements.
Bytes idx_file(std::uint8_t type, const std::vector<std::uint32_t>& shape, const Bytes& values) {
  Bytes bytes{0, 0, type, static_cast<std::uint8_t>(shape.size())};
  for (std::uint32_t extent : shape) {
    bytes.push_back(static_cast<std::uint8_t>(extent >> 24));
    bytes.push_back(static_cast<std::uint8_t>(extent >> 16));
    bytes.push_back(static_cast<std::uint8_t>(extent >> 8));
    bytes.push_back(static_cast<std::uint8_t>(extent));
  }
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

IdxArray parse(const Bytes& bytes) { return latentlab::parse_idx(bytes.data(), bytes.size()); }

Bytes iota_bytes(std::size_t count) {
  Bytes values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return values;
}

}  // namespace

TEST_CASE("a valid 3-D unsigned-byte file parses with its shape and values") {
  // 2 images of 3 rows x 4 columns.
  const Bytes values = iota_bytes(24);
  const IdxArray array = parse(idx_file(0x08, {2, 3, 4}, values));
  CHECK(array.shape == std::vector<std::uint32_t>{2, 3, 4});
  CHECK(array.values == values);
}

TEST_CASE("sizes are read big-endian") {
  // 258 = 0x00000102: a little-endian reader would see 0x02010000.
  const Bytes values = iota_bytes(258);
  const Bytes bytes = idx_file(0x08, {258}, values);
  CHECK(bytes[4] == 0x00);
  CHECK(bytes[6] == 0x01);
  CHECK(bytes[7] == 0x02);
  const IdxArray array = parse(bytes);
  CHECK(array.shape == std::vector<std::uint32_t>{258});
  CHECK(array.values == values);
}

TEST_CASE("malformed IDX files are rejected with a message saying what is wrong") {
  const Bytes good = idx_file(0x08, {2, 3, 4}, iota_bytes(24));

  SUBCASE("fewer than 4 bytes") {
    const Bytes bytes{0, 0, 8};
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("truncated header"),
                         std::invalid_argument);
    CHECK_THROWS_AS(latentlab::parse_idx(nullptr, 0), std::invalid_argument);
  }
  SUBCASE("bad magic: nonzero first bytes") {
    Bytes bytes = good;
    bytes[0] = 1;
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("bad magic"), std::invalid_argument);
    bytes = good;
    bytes[1] = 0x80;
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("bad magic"), std::invalid_argument);
  }
  SUBCASE("unsupported element type") {
    // 0x0D is float in the IDX spec; only unsigned bytes are read.
    const Bytes bytes = idx_file(0x0D, {2, 3, 4}, iota_bytes(24));
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("unsupported element type 0x0d"),
                         std::invalid_argument);
  }
  SUBCASE("zero dimensions") {
    const Bytes bytes{0, 0, 8, 0, 42};
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("0 dimensions"), std::invalid_argument);
  }
  SUBCASE("header truncated: 3 dimensions declared, 6 bytes present") {
    const Bytes bytes(good.begin(), good.begin() + 6);
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("truncated header"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("need 16 bytes"), std::invalid_argument);
  }
  SUBCASE("a dimension of size zero") {
    const Bytes bytes = idx_file(0x08, {2, 0, 4}, {});
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("dimension 1 has size 0"),
                         std::invalid_argument);
  }
  SUBCASE("truncated data") {
    const Bytes bytes(good.begin(), good.end() - 1);
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("truncated data"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("declare 24 elements"),
                         std::invalid_argument);
  }
  SUBCASE("extra trailing bytes") {
    Bytes bytes = good;
    bytes.push_back(0);
    bytes.push_back(0);
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("2 unexpected bytes"),
                         std::invalid_argument);
  }
}

TEST_CASE("enormous declared sizes are rejected without allocating them") {
  // Every allocation made while the check runs (the parser's and doctest's own
  // bookkeeping) must stay small: the files are a few bytes long.
  constexpr std::size_t kSmall = 4096;

  SUBCASE("dimension products that overflow 64 bits") {
    // (2^32 - 1)^4 > 2^64: the product must be checked before it wraps.
    const Bytes bytes = idx_file(0x08, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {1, 2});
    g_largest_request = 0;
    g_tracking = true;
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("2^64"), std::invalid_argument);
    g_tracking = false;
    CHECK(g_largest_request < kSmall);
  }
  SUBCASE("a product of exactly 2^64, which would wrap to 0") {
    // 2^16 four times is exactly 2^64, which a plain uint64 product would
    // wrap to 0 and then compare as "no data needed".
    const Bytes bytes = idx_file(0x08, {0x10000, 0x10000, 0x10000, 0x10000}, {});
    g_largest_request = 0;
    g_tracking = true;
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("2^64"), std::invalid_argument);
    g_tracking = false;
    CHECK(g_largest_request < kSmall);
  }
  SUBCASE("a huge product that fits in 64 bits, on a tiny file") {
    // 2^48 elements declared, 3 present: truncated, and no 256 TiB vector.
    const Bytes bytes = idx_file(0x08, {0x10000, 0x10000, 0x10000}, {1, 2, 3});
    g_largest_request = 0;
    g_tracking = true;
    CHECK_THROWS_WITH_AS(parse(bytes), doctest::Contains("truncated"), std::invalid_argument);
    g_tracking = false;
    CHECK(g_largest_request < kSmall);
  }
}

TEST_CASE("check_labelled_images") {
  const IdxArray images = parse(idx_file(0x08, {3, 2, 2}, iota_bytes(12)));
  const IdxArray labels = parse(idx_file(0x08, {3}, {7, 1, 4}));
  CHECK_NOTHROW(latentlab::check_labelled_images(images, labels));

  SUBCASE("count mismatch") {
    const IdxArray four_labels = parse(idx_file(0x08, {4}, {7, 1, 4, 0}));
    CHECK_THROWS_WITH_AS(latentlab::check_labelled_images(images, four_labels),
                         doctest::Contains("3 images but 4 labels"), std::invalid_argument);
  }
  SUBCASE("images of the wrong dimensionality") {
    const IdxArray flat = parse(idx_file(0x08, {3, 4}, iota_bytes(12)));
    CHECK_THROWS_WITH_AS(latentlab::check_labelled_images(flat, labels),
                         doctest::Contains("images must have 3 dimensions"), std::invalid_argument);
  }
  SUBCASE("labels of the wrong dimensionality") {
    const IdxArray grid = parse(idx_file(0x08, {3, 1}, {7, 1, 4}));
    CHECK_THROWS_WITH_AS(latentlab::check_labelled_images(images, grid),
                         doctest::Contains("labels must have 1 dimension"), std::invalid_argument);
  }
}
