// Data held by the engine: n samples of `features` values, one column each,
// kept as they arrive: floats (4 bytes a value) or bytes with a scale (1 byte
// a value, byte b standing for b * scale), turned into floats only as a
// mini-batch or a chunk is gathered. Checked once as it arrives (every float
// finite) and summarised in the same pass: the range of its values and a
// fingerprint of its contents, by which the trainer tells whether a call
// brings the data of the epoch under way (and so continues it) or other data
// (a new epoch).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "matrix.h"

namespace latentlab {

class Dataset {
 public:
  // `values` (features x n, n >= 1); `name` is what errors call it.
  Dataset(Matrix<float> values, const char* name);
  // `bytes`: n >= 1 samples of `features` bytes, one sample after another
  // (the memory of a features x n matrix). Byte b stands for b * scale
  // computed in double and rounded to float, as JavaScript's Float32Array
  // stores b * scale: with scale 1/255 that is the float nearest b / 255, the
  // value imagesFromIdx gives. `scale` must be finite and > 0.
  Dataset(std::vector<std::uint8_t> bytes, int features, double scale, const char* name);

  long count() const { return count_; }
  int features() const { return features_; }
  // Whether the values are held as bytes (1 byte each) rather than floats (4).
  bool holds_bytes() const { return !bytes_.empty(); }
  float min() const { return min_; }
  float max() const { return max_; }
  // FNV-1a over the shape and every value's float bits, a 32-bit word at a
  // time: bytes and the floats they stand for have the same fingerprint.
  std::uint64_t fingerprint() const { return fingerprint_; }

  // Samples indices[0], ..., indices[count - 1] as the columns of `out`
  // (features x count), which is resized only if its shape differs: gathering
  // into a matrix of that shape allocates nothing.
  void gather(const std::uint32_t* indices, long count, Matrix<float>& out) const;
  // Samples [first, first + count) the same way.
  void gather_range(long first, long count, Matrix<float>& out) const;

 private:
  void write_sample(long sample, float* column) const;

  int features_;
  long count_;
  Matrix<float> values_;                  // features x n; empty when bytes are held
  std::vector<std::uint8_t> bytes_;       // features x n, column-major; empty when floats are held
  std::array<float, 256> byte_values_{};  // the float each byte stands for
  float min_;
  float max_;
  std::uint64_t fingerprint_;
};

// Throws OutOfRange unless the samples have `features` values, as `user`
// (e.g. "the model") expects.
void require_features(const Dataset& data, int features, const char* user);

// Passes over whole data sets (evaluation, encoding, PCA...) take the samples
// in chunks of this many, so that their memory stays bounded.
constexpr long kChunkSamples = 1000;

// Calls f(first, chunk) on consecutive chunks (features x count) of at most
// kChunkSamples samples, each gathered into the same matrix.
template <typename F>
void for_each_chunk(const Dataset& data, F&& f) {
  Matrix<float> chunk;
  for (long first = 0; first < data.count(); first += kChunkSamples) {
    data.gather_range(first, std::min(kChunkSamples, data.count() - first), chunk);
    f(first, static_cast<const Matrix<float>&>(chunk));
  }
}

// f's results (rows x B for a chunk of B samples) on every sample, side by
// side: rows x count().
template <typename F>
auto map_chunks(const Dataset& data, F&& f) {
  using Result = std::decay_t<decltype(f(std::declval<const Matrix<float>&>()))>;
  Result all;
  for_each_chunk(data, [&](long first, const Matrix<float>& chunk) {
    const Result part = f(chunk);
    if (first == 0) all.resize(part.rows(), data.count());
    all.middleCols(first, part.cols()) = part;
  });
  return all;
}

}  // namespace latentlab
