// The arithmetic that convolution layers share: the geometry of
// a kernel sliding over an image, and the rearrangements that turn a
// convolution into one matrix product (im2col) and back (col2im).
//
// A sample's image is one column of C*H*W values in PyTorch's order (channel,
// then row, then column), so flattening is free and a dense layer after a
// convolution reads what nn.Linear reads after nn.Flatten.
//
// For a batch of B images and a kernel of size k with P output positions
// (patches) per image, im2col writes the patch matrix
//   col: (B*P) x K,  K = C*k*k,  column-major,
//   col(b*P + p, (c*k + i)*k + j) = image_b(c, y*s - pad + i, x*s - pad + j)
// (0 outside the image), where p = y*W_out + x. A convolution's outputs are
// then col times the weights, [out, C, k, k] read as K x out; col2im is its
// adjoint, summing each patch entry back where it came from.
#pragma once

#include <algorithm>

#include "parallel.h"
#include "shape.h"

namespace latentlab {

// A k x k kernel moved by `stride` over an image padded by `padding` zeros
// on every side: convolution_output (shape.h) says how many times.
struct KernelGeometry {
  Shape image;
  int kernel = 1;
  int stride = 1;
  int padding = 0;

  Shape out() const { return convolution_output(image, 1, kernel, stride, padding); }
  int out_height() const { return out().height; }
  int out_width() const { return out().width; }
  long patches() const { return out().plane(); }
  long patch_size() const { return static_cast<long>(image.channels) * kernel * kernel; }
};

// The output columns x whose input column x s - pad + j lies inside [0, width): [first, last).
struct ValidColumns {
  int first;
  int last;
};

inline ValidColumns valid_columns(const KernelGeometry& g, int j, int out_width) {
  const int shift = g.padding - j;  // input column = x s - shift
  const int first = std::min(out_width, shift <= 0 ? 0 : (shift + g.stride - 1) / g.stride);
  const int top = g.image.width - 1 + shift;  // the largest x s allowed
  const int last = top < 0 ? 0 : std::min(out_width, top / g.stride + 1);
  return {first, std::max(first, last)};
}

// Calls visit(p, t, q) for every patch p, kernel tap t = i k + j and the
// pixel q = row W + column of the image plane that tap of that patch reads
// (taps on the padding are skipped), patch by patch in order.
template <typename Visit>
void for_each_tap(const KernelGeometry& g, Visit&& visit) {
  const int out_h = g.out_height(), out_w = g.out_width(), k = g.kernel;
  for (int y = 0; y < out_h; ++y) {
    for (int x = 0; x < out_w; ++x) {
      for (int i = 0; i < k; ++i) {
        const int row = y * g.stride - g.padding + i;
        if (row < 0 || row >= g.image.height) continue;
        for (int j = 0; j < k; ++j) {
          const int column = x * g.stride - g.padding + j;
          if (column < 0 || column >= g.image.width) continue;
          visit(static_cast<long>(y) * out_w + x, i * k + j,
                static_cast<long>(row) * g.image.width + column);
        }
      }
    }
  }
}

// images: B columns of geometry.image.size(); col: (B*P) x K as above.
template <typename Scalar>
void im2col(const KernelGeometry& g, const Scalar* images, int batch, Scalar* col) {
  const long patches = g.patches(), rows = patches * batch;
  const int out_h = g.out_height(), out_w = g.out_width(), k = g.kernel;
  parallel_for(batch, 1, [&](long first, long last, int) {
    for (long b = first; b < last; ++b) {
      const Scalar* image = images + b * g.image.size();
      for (int c = 0; c < g.image.channels; ++c) {
        for (int i = 0; i < k; ++i) {
          for (int j = 0; j < k; ++j) {
            Scalar* out = col + b * patches + ((c * k + i) * k + j) * rows;
            const ValidColumns valid = valid_columns(g, j, out_w);
            for (int y = 0; y < out_h; ++y) {
              const int row = y * g.stride - g.padding + i;
              Scalar* line = out + static_cast<long>(y) * out_w;
              if (row < 0 || row >= g.image.height) {
                std::fill(line, line + out_w, Scalar(0));
                continue;
              }
              const Scalar* source = image +
                                     (static_cast<long>(c) * g.image.height + row) * g.image.width -
                                     g.padding + j;
              std::fill(line, line + valid.first, Scalar(0));
              for (int x = valid.first; x < valid.last; ++x) line[x] = source[x * g.stride];
              std::fill(line + valid.last, line + out_w, Scalar(0));
            }
          }
        }
      }
    }
  });
}

// The adjoint of im2col: images = B columns, each the sum of its patch
// entries at the pixels they came from (overwritten, not added to). Each
// image is summed by one thread in a fixed order.
template <typename Scalar>
void col2im(const KernelGeometry& g, const Scalar* col, int batch, Scalar* images) {
  const long patches = g.patches(), rows = patches * batch;
  const int out_h = g.out_height(), out_w = g.out_width(), k = g.kernel;
  parallel_for(batch, 1, [&](long first, long last, int) {
    for (long b = first; b < last; ++b) {
      Scalar* image = images + b * g.image.size();
      std::fill(image, image + g.image.size(), Scalar(0));
      for (int c = 0; c < g.image.channels; ++c) {
        for (int i = 0; i < k; ++i) {
          for (int j = 0; j < k; ++j) {
            const Scalar* in = col + b * patches + ((c * k + i) * k + j) * rows;
            const ValidColumns valid = valid_columns(g, j, out_w);
            for (int y = 0; y < out_h; ++y) {
              const int row = y * g.stride - g.padding + i;
              if (row < 0 || row >= g.image.height) continue;
              const Scalar* line = in + static_cast<long>(y) * out_w;
              Scalar* target = image +
                               (static_cast<long>(c) * g.image.height + row) * g.image.width -
                               g.padding + j;
              for (int x = valid.first; x < valid.last; ++x) target[x * g.stride] += line[x];
            }
          }
        }
      }
    }
  });
}

// Between B columns of C planes of P values (images) and the (B*P) x C
// matrix whose column c holds plane c of every image (what the products read
// and write): to_planes_matrix copies, from_planes_matrix copies back adding
// bias[c] to plane c when bias is not null.
template <typename Scalar>
void to_planes_matrix(const Scalar* images, int channels, long plane, int batch, Scalar* matrix) {
  const long rows = plane * batch;
  parallel_for(batch, 1, [&](long first, long last, int) {
    for (long b = first; b < last; ++b) {
      for (int c = 0; c < channels; ++c) {
        const Scalar* from = images + (b * channels + c) * plane;
        std::copy(from, from + plane, matrix + c * rows + b * plane);
      }
    }
  });
}

template <typename Scalar>
void from_planes_matrix(const Scalar* matrix, int channels, long plane, int batch,
                        const Scalar* bias, Scalar* images) {
  const long rows = plane * batch;
  parallel_for(batch, 1, [&](long first, long last, int) {
    for (long b = first; b < last; ++b) {
      for (int c = 0; c < channels; ++c) {
        const Scalar* from = matrix + c * rows + b * plane;
        Scalar* to = images + (b * channels + c) * plane;
        const Scalar offset = bias != nullptr ? bias[c] : Scalar(0);
        for (long p = 0; p < plane; ++p) to[p] = from[p] + offset;
      }
    }
  });
}

// sums[c] += the sum of plane c over every image, in a fixed order (images,
// then pixels) whatever the thread count: the bias gradient of a convolution.
template <typename Scalar>
void add_plane_sums(const Scalar* images, int channels, long plane, int batch, Scalar* sums) {
  parallel_for(channels, 1, [&](long first, long last, int) {
    for (long c = first; c < last; ++c) {
      Scalar sum = 0;
      for (long b = 0; b < batch; ++b) {
        const Scalar* values = images + (b * channels + c) * plane;
        for (long p = 0; p < plane; ++p) sum += values[p];
      }
      sums[c] += sum;
    }
  });
}

// images[b](c, ·) += bias[c] for every image.
template <typename Scalar>
void add_plane_bias(const Scalar* bias, int channels, long plane, int batch, Scalar* images) {
  parallel_for(batch, 1, [&](long first, long last, int) {
    for (long b = first; b < last; ++b) {
      for (int c = 0; c < channels; ++c) {
        Scalar* values = images + (b * channels + c) * plane;
        for (long p = 0; p < plane; ++p) values[p] += bias[c];
      }
    }
  });
}

}  // namespace latentlab
