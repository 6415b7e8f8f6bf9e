// The shape of a sample that is an image: [channels, height, width], stored
// as one column of C*H*W values in PyTorch's order (channel, row, column).
#pragma once

#include <string>

namespace latentlab {

struct Shape {
  int channels = 1;
  int height = 1;
  int width = 1;
  long size() const { return static_cast<long>(channels) * height * width; }
  long plane() const { return static_cast<long>(height) * width; }
  bool operator==(const Shape& other) const {
    return channels == other.channels && height == other.height && width == other.width;
  }
  std::string text() const {
    return "[" + std::to_string(channels) + ", " + std::to_string(height) + ", " +
           std::to_string(width) + "]";
  }
};

// The output shapes of the image layers, as PyTorch's modules compute them
// (square kernels and factors; a size of 0 or less means the layer does not fit):
//   convolution:            (H + 2 padding - kernel) / stride + 1   (floor)
//   transposed convolution: (H - 1) stride - 2 padding + kernel + output_padding
//   max pooling:            H / factor                               (floor)
//   upsampling:             H factor
inline Shape convolution_output(const Shape& in, int channels, int kernel, int stride,
                                int padding) {
  const auto size = [&](int extent) {
    const int padded = extent + 2 * padding - kernel;
    return padded < 0 ? 0 : padded / stride + 1;
  };
  return {channels, size(in.height), size(in.width)};
}

inline Shape transposed_convolution_output(const Shape& in, int channels, int kernel, int stride,
                                           int padding, int output_padding) {
  const auto size = [&](int extent) {
    return (extent - 1) * stride - 2 * padding + kernel + output_padding;
  };
  return {channels, size(in.height), size(in.width)};
}

inline Shape pool_output(const Shape& in, int factor) {
  return {in.channels, in.height / factor, in.width / factor};
}

inline Shape upsample_output(const Shape& in, int factor) {
  return {in.channels, in.height * factor, in.width * factor};
}

}  // namespace latentlab
