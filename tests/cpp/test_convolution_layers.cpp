// Convolution, transposed convolution, max pooling and upsampling layers:
// their output shapes (the reference model's 28 -> 14 -> 7 -> 14 -> 28),
// their forward passes against the definitions written as direct sums, and
// finite-difference checks in double of every gradient, over strides 1 and
// 2, padding 0 and 1, output padding, odd sizes and several channels.
#include <doctest/doctest.h>

#include <string>

#include "convolution_layers.h"
#include "resampling_layers.h"
#include "rng.h"
#include "test_support.h"

using latentlab::ConvolutionLayer;
using latentlab::Matrix;
using latentlab::MaxPoolLayer;
using latentlab::Rng;
using latentlab::Shape;
using latentlab::TransposedConvolutionLayer;
using latentlab::UpsampleLayer;
using latentlab::Vector;
using latentlab::WeightInit;
using latentlab_test::check_layer_gradients;
using latentlab_test::random_matrix;

namespace {

// A layer's parameters drawn at an offset inside a larger buffer.
constexpr std::size_t kOffset = 3;

template <typename L>
Vector<double> parameters_of(const L& layer, std::uint64_t seed) {
  Rng rng(seed);
  Vector<double> params = random_matrix(rng, kOffset + layer.parameter_count(), 1, -0.5, 0.5);
  return params;
}

// X(b)(c, y, x) of a batch of images, 0 outside the image.
double pixel(const Matrix<double>& x, const Shape& s, long b, int c, int y, int col) {
  if (y < 0 || y >= s.height || col < 0 || col >= s.width) return 0;
  return x((static_cast<long>(c) * s.height + y) * s.width + col, b);
}

struct ConvolutionCase {
  Shape input;
  int channels, kernel, stride, padding;
};

struct TransposedCase {
  Shape input;
  int channels, kernel, stride, padding, output_padding;
};

const ConvolutionCase kConvolutionCases[] = {
    {{1, 5, 5}, 2, 3, 1, 0},  // stride 1, no padding
    {{2, 6, 5}, 3, 3, 2, 1},  // stride 2, padding 1, not square
    {{3, 7, 7}, 2, 2, 2, 0},  // even kernel, odd size (the last row is dropped)
    {{2, 4, 4}, 4, 1, 1, 0},  // 1 x 1 kernel
    {{1, 2, 1}, 2, 3, 1, 1},  // a kernel wider than the image: only padding beside it
    {{2, 5, 6}, 2, 3, 3, 2},  // stride 3, padding 2
};

const TransposedCase kTransposedCases[] = {
    {{2, 3, 3}, 1, 3, 2, 1, 1},  // 3 -> 6, as the reference decoder
    {{1, 4, 3}, 3, 3, 1, 0, 0},  // stride 1: 4 x 3 -> 6 x 5
    {{3, 3, 2}, 2, 3, 2, 1, 0},  // stride 2, no output padding: 3 x 2 -> 5 x 3
    {{2, 2, 2}, 2, 2, 2, 0, 1},  // even kernel, output padding 1: 2 -> 5
};

}  // namespace

TEST_CASE(
    "the reference model's shapes: 28 -> 14 -> 7 by convolutions and back by transposed ones") {
  const ConvolutionLayer<double> first({1, 28, 28}, 16, 3, 2, 1);
  CHECK(first.output_shape() == Shape{16, 14, 14});
  const ConvolutionLayer<double> second(first.output_shape(), 32, 3, 2, 1);
  CHECK(second.output_shape() == Shape{32, 7, 7});
  CHECK(first.parameter_count() == 16 * 9 + 16);
  CHECK(second.parameter_count() == 32 * 16 * 9 + 32);
  const TransposedConvolutionLayer<double> up({32, 7, 7}, 16, 3, 2, 1, 1);
  CHECK(up.output_shape() == Shape{16, 14, 14});
  const TransposedConvolutionLayer<double> out(up.output_shape(), 1, 3, 2, 1, 1);
  CHECK(out.output_shape() == Shape{1, 28, 28});
  CHECK(up.parameter_count() == 32 * 16 * 9 + 16);
  CHECK(out.parameter_count() == 16 * 9 + 1);
  // PyTorch's layouts: Conv2d [out, in, k, k], ConvTranspose2d [in, out, k, k], row-major.
  CHECK(second.tensors()[0].shape == std::vector<std::uint64_t>{32, 16, 3, 3});
  CHECK(up.tensors()[0].shape == std::vector<std::uint64_t>{32, 16, 3, 3});
  CHECK_FALSE(up.tensors()[0].column_major);
  CHECK(up.tensors()[1].shape == std::vector<std::uint64_t>{16});
  const MaxPoolLayer<double> pool({16, 7, 7}, 2);
  CHECK(pool.output_shape() == Shape{16, 3, 3});
  const UpsampleLayer<double> upsample({8, 7, 7}, 2);
  CHECK(upsample.output_shape() == Shape{8, 14, 14});
}

TEST_CASE("a convolution computes nn.Conv2d's sum, and its gradients match finite differences") {
  for (const ConvolutionCase& c : kConvolutionCases) {
    CAPTURE(c.input.text());
    CAPTURE(c.stride);
    CAPTURE(c.padding);
    ConvolutionLayer<double> layer(c.input, c.channels, c.kernel, c.stride, c.padding);
    layer.set_offset(kOffset);
    Vector<double> params = parameters_of(layer, 11);
    Rng rng(5);
    Matrix<double> inputs = random_matrix(rng, c.input.size(), 3);
    Matrix<double> outputs;
    layer.forward(params, inputs, outputs, {});
    const Shape out = layer.output_shape();
    REQUIRE(outputs.rows() == out.size());
    // y(f, oy, ox) = b(f) + sum over c, i, j of w(f, c, i, j) x(c, oy s - p + i, ox s - p + j)
    const double* w = params.data() + kOffset;
    const double* bias = w + static_cast<long>(c.channels) * c.input.channels * c.kernel * c.kernel;
    double worst = 0;
    for (long b = 0; b < inputs.cols(); ++b) {
      for (int f = 0; f < out.channels; ++f) {
        for (int oy = 0; oy < out.height; ++oy) {
          for (int ox = 0; ox < out.width; ++ox) {
            double sum = bias[f];
            for (int ch = 0; ch < c.input.channels; ++ch) {
              for (int i = 0; i < c.kernel; ++i) {
                for (int j = 0; j < c.kernel; ++j) {
                  sum += w[((f * c.input.channels + ch) * c.kernel + i) * c.kernel + j] *
                         pixel(inputs, c.input, b, ch, oy * c.stride - c.padding + i,
                               ox * c.stride - c.padding + j);
                }
              }
            }
            const double got =
                outputs((static_cast<long>(f) * out.height + oy) * out.width + ox, b);
            worst = std::max(worst, std::abs(got - sum));
          }
        }
      }
    }
    CHECK(worst < 1e-12);
    const Matrix<double> weights = random_matrix(rng, out.size(), inputs.cols());
    check_layer_gradients(layer, params, inputs, weights);
  }
}

TEST_CASE("a transposed convolution computes nn.ConvTranspose2d's sum, and its gradients match") {
  for (const TransposedCase& c : kTransposedCases) {
    CAPTURE(c.input.text());
    CAPTURE(c.stride);
    CAPTURE(c.output_padding);
    TransposedConvolutionLayer<double> layer(c.input, c.channels, c.kernel, c.stride, c.padding,
                                             c.output_padding);
    layer.set_offset(kOffset);
    Vector<double> params = parameters_of(layer, 12);
    Rng rng(6);
    Matrix<double> inputs = random_matrix(rng, c.input.size(), 2);
    Matrix<double> outputs;
    layer.forward(params, inputs, outputs, {});
    const Shape out = layer.output_shape();
    REQUIRE(outputs.rows() == out.size());
    // Each input pixel scatters its kernel: y(f, y s - p + i, x s - p + j) += w(c, f, i, j) x(c, y,
    // x).
    const double* w = params.data() + kOffset;
    const double* bias = w + static_cast<long>(c.input.channels) * c.channels * c.kernel * c.kernel;
    Matrix<double> expected(out.size(), inputs.cols());
    for (long b = 0; b < inputs.cols(); ++b) {
      for (int f = 0; f < out.channels; ++f) {
        for (long p = 0; p < out.plane(); ++p) expected(f * out.plane() + p, b) = bias[f];
      }
      for (int ch = 0; ch < c.input.channels; ++ch) {
        for (int y = 0; y < c.input.height; ++y) {
          for (int x = 0; x < c.input.width; ++x) {
            for (int f = 0; f < out.channels; ++f) {
              for (int i = 0; i < c.kernel; ++i) {
                for (int j = 0; j < c.kernel; ++j) {
                  const int oy = y * c.stride - c.padding + i, ox = x * c.stride - c.padding + j;
                  if (oy < 0 || oy >= out.height || ox < 0 || ox >= out.width) continue;
                  expected((static_cast<long>(f) * out.height + oy) * out.width + ox, b) +=
                      w[((ch * c.channels + f) * c.kernel + i) * c.kernel + j] *
                      pixel(inputs, c.input, b, ch, y, x);
                }
              }
            }
          }
        }
      }
    }
    CHECK((outputs - expected).cwiseAbs().maxCoeff() < 1e-12);
    const Matrix<double> weights = random_matrix(rng, out.size(), inputs.cols());
    check_layer_gradients(layer, params, inputs, weights);
  }
}

TEST_CASE("max pooling keeps each window's largest value and sends its gradient there") {
  MaxPoolLayer<double> layer({2, 4, 5}, 2);  // 4 x 5 -> 2 x 2: the last column is dropped
  Vector<double> params;
  Matrix<double> inputs(40, 1);
  for (long i = 0; i < 40; ++i) inputs(i, 0) = static_cast<double>((i * 17) % 40);
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, {});
  REQUIRE(outputs.rows() == 8);
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 2; ++y) {
      for (int x = 0; x < 2; ++x) {
        double largest = -1;
        for (int i = 0; i < 2; ++i) {
          for (int j = 0; j < 2; ++j) {
            largest = std::max(largest, inputs(c * 20 + (2 * y + i) * 5 + 2 * x + j, 0));
          }
        }
        CHECK(outputs(c * 4 + y * 2 + x, 0) == largest);
      }
    }
  }
  Rng rng(7);
  Matrix<double> random_inputs = random_matrix(rng, 2 * 5 * 5, 3);
  MaxPoolLayer<double> odd({2, 5, 5}, 2);
  check_layer_gradients(odd, params, random_inputs, random_matrix(rng, 2 * 2 * 2, 3));
}

TEST_CASE("a tie sends the gradient to the window's first largest value, as PyTorch does") {
  MaxPoolLayer<double> layer({1, 2, 2}, 2);
  Vector<double> params;
  Matrix<double> inputs(4, 1);
  inputs << 1, 3, 3, 2;
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, {});
  Matrix<double> gradient = Matrix<double>::Constant(1, 1, 5);
  Matrix<double> input_gradient;
  layer.backward(params, inputs, outputs, gradient, params, &input_gradient);
  CHECK(input_gradient(0, 0) == 0);
  CHECK(input_gradient(1, 0) == 5);
  CHECK(input_gradient(2, 0) == 0);
  CHECK(input_gradient(3, 0) == 0);
}

TEST_CASE("upsampling copies each value to a block, and its gradient sums the block") {
  UpsampleLayer<double> layer({2, 2, 3}, 2);
  Vector<double> params;
  Rng rng(8);
  Matrix<double> inputs = random_matrix(rng, 12, 2);
  Matrix<double> outputs;
  layer.forward(params, inputs, outputs, {});
  REQUIRE(outputs.rows() == 2 * 4 * 6);
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 6; ++x) {
        CHECK(outputs(c * 24 + y * 6 + x, 1) == inputs(c * 6 + (y / 2) * 3 + x / 2, 1));
      }
    }
  }
  UpsampleLayer<double> triple({1, 3, 2}, 3);
  Matrix<double> small = random_matrix(rng, 6, 2);
  check_layer_gradients(triple, params, small, random_matrix(rng, 54, 2));
}
