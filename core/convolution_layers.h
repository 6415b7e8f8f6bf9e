// Convolution (nn.Conv2d) and transposed convolution (nn.ConvTranspose2d) as
// layers of the sequence, square kernels, one group, no dilation. Shapes
// (B = batch; every sample one column of C*H*W values, see convolution.h):
//
// Convolution, in [C, H, W] -> out [F, H', W'], H' = (H + 2 pad - k) / s + 1:
//   weight [F, C, k, k] (PyTorch's layout, stored as is) read as Wt: K x F,
//   K = C*k*k;  col = im2col(X): (B*P) x K,  P = H'*W'
//   forward:   Yp = col Wt              (B*P) x F, one column per channel; Y = Yp + b
//   backward:  dWt += col^T dYp         K x F   (col as the forward left it)
//              db  += the sums of dY's planes
//              dX   = col2im(dYp Wt^T)  (B*P) x K back to images
//
// Transposed convolution, in [C, H, W] -> out [F, H', W'] with
// H' = (H - 1) s - 2 pad + k + output_padding: the adjoint of a convolution
// from [F, H', W'] to [C, H, W] with the same k, s and pad, whose patches are
// the input's pixels (P = H*W):
//   weight [C, F, k, k] (PyTorch's layout, stored as is) read as Wt: K x C,
//   K = F*k*k;  Xp = X as (B*P) x C
//   forward:   Y = col2im(Xp Wt^T) + b
//   backward:  dcol = im2col(dY)        (B*P) x K
//              dWt += dcol^T Xp         K x C   (Xp as the forward left it)
//              db  += the sums of dY's planes
//              dX   = dcol Wt           (B*P) x C back to images
//
// Both are affine in X, and the row norms of their Jacobian (what the
// contractive penalty needs, affine_jacobian.h) sum the squared weights of
// the taps that reach the image: output unit (f, position) of either holds
//   w = sum over taps t landing inside the image of Q[f, t],
//   Q[f, t] = sum over the input channels c of W(f, c, t)^2,
// where a convolution's position is its patch and a transposed
// convolution's the pixel the tap writes.
//
// The products are of whole batches, so they run on the SIMD GEMM and its
// threads; every rearrangement gives each output value to one thread. The
// backward pass reads the rearranged input its forward pass left in the
// workspace (Layer's contract: backward follows the forward of its inputs).
#pragma once

#include <cstdint>
#include <vector>

#include "affine_jacobian.h"
#include "cache_aligned.h"
#include "convolution.h"
#include "layer.h"
#include "product.h"

namespace latentlab {

// What the convolutions share: the kernel's geometry over the image they
// slide on, the weight matrix Wt (K x columns) and the bias, and their
// workspace (kept from batch to batch, so that a step allocates nothing).
template <typename Scalar>
class KernelLayer : public Layer<Scalar>, public AffineJacobian<Scalar> {
 public:
  int inputs() const override { return static_cast<int>(input_.size()); }
  int outputs() const override { return static_cast<int>(output_.size()); }
  const Shape& input_shape() const { return input_; }
  const Shape& output_shape() const { return output_; }
  int kernel() const { return geometry_.kernel; }
  int stride() const { return geometry_.stride; }
  int padding() const { return geometry_.padding; }

  std::uint64_t parameter_count() const override {
    return weight_count() + static_cast<std::uint64_t>(output_.channels);
  }

  std::vector<TensorView> tensors() const override {
    const auto k = static_cast<std::uint64_t>(geometry_.kernel);
    const std::vector<std::uint64_t> weight_shape{static_cast<std::uint64_t>(weight_rows()),
                                                  static_cast<std::uint64_t>(weight_channels()), k,
                                                  k};
    return {{"weight", weight_shape, this->offset(), false},
            {"bias",
             {static_cast<std::uint64_t>(output_.channels)},
             static_cast<std::size_t>(this->offset() + weight_count()),
             false}};
  }

  // Fans as PyTorch counts them from the weight's shape: dimension 1 times
  // the kernel's area in, dimension 0 times it out.
  void initialize(Vector<Scalar>& params, WeightInit init, Rng& rng) const override {
    const double area = static_cast<double>(geometry_.kernel) * geometry_.kernel;
    initialize_weights_and_biases(params.data() + this->offset(), weight_count(),
                                  static_cast<std::uint64_t>(output_.channels), init,
                                  weight_channels() * area, weight_rows() * area, rng);
  }

  void jacobian_row_norms(const Vector<Scalar>& params, Scalar* norms) const override {
    const Scalar* tap_norms = squared_tap_sums(params);
    const long plane = output_.plane(), taps = tap_count();
    std::fill(norms, norms + output_.size(), Scalar(0));
    for (int f = 0; f < output_.channels; ++f) {
      for_each_tap(geometry_, [&](long patch, int tap, long pixel) {
        norms[f * plane + output_position(patch, pixel)] += tap_norms[f * taps + tap];
      });
    }
  }

  void add_jacobian_row_norms_gradient(const Vector<Scalar>& params, const Scalar* scales,
                                       Vector<Scalar>& grads) const override {
    // tap_sums_[f, t] = the sum of scales over the units that tap t of channel f reaches.
    const long plane = output_.plane(), taps = tap_count();
    tap_sums_.assign(static_cast<std::size_t>(output_.channels * taps), Scalar(0));
    for (int f = 0; f < output_.channels; ++f) {
      for_each_tap(geometry_, [&](long patch, int tap, long pixel) {
        tap_sums_[f * taps + tap] += scales[f * plane + output_position(patch, pixel)];
      });
    }
    const Scalar* w = params.data() + this->offset();
    Scalar* gradient = weight_gradient(grads);
    for (int f = 0; f < output_.channels; ++f) {
      for (int c = 0; c < input_.channels; ++c) {
        for (long t = 0; t < taps; ++t) {
          const long i = weight_index(f, c, t);
          gradient[i] += 2 * tap_sums_[f * taps + t] * w[i];
        }
      }
    }
  }

  std::uint64_t workspace_per_sample() const override {
    return static_cast<std::uint64_t>(geometry_.patches()) *
           static_cast<std::uint64_t>(geometry_.patch_size() + weight_columns());
  }

 protected:
  KernelLayer(Shape input, Shape output, KernelGeometry geometry)
      : input_(input), output_(output), geometry_(geometry) {}

  // Where the Jacobian's row norms are summed (see the top of the file): a
  // convolution's output unit is a patch, a transposed convolution's a pixel.
  virtual long output_position(long patch, long pixel) const = 0;
  // The index in the weight tensor of tap t between output channel f and
  // input channel c.
  virtual long weight_index(int f, int c, long tap) const = 0;
  long tap_count() const { return static_cast<long>(geometry_.kernel) * geometry_.kernel; }

  // Q[f, t] (see the top of the file), in tap_sums_.
  const Scalar* squared_tap_sums(const Vector<Scalar>& params) const {
    const long taps = tap_count();
    const Scalar* w = params.data() + this->offset();
    tap_sums_.assign(static_cast<std::size_t>(output_.channels * taps), Scalar(0));
    for (int f = 0; f < output_.channels; ++f) {
      for (int c = 0; c < input_.channels; ++c) {
        for (long t = 0; t < taps; ++t) {
          const Scalar value = w[weight_index(f, c, t)];
          tap_sums_[f * taps + t] += value * value;
        }
      }
    }
    return tap_sums_.data();
  }

  // Wt is K x weight_columns(), stored with stride K.
  long patch_size() const { return geometry_.patch_size(); }
  int weight_columns() const { return static_cast<int>(weight_count() / patch_size()); }
  // The weight tensor's dimensions 0 and 1 (PyTorch's [out, in] or [in, out]).
  virtual int weight_rows() const = 0;
  virtual int weight_channels() const = 0;
  std::uint64_t weight_count() const {
    return static_cast<std::uint64_t>(weight_rows()) * weight_channels() * geometry_.kernel *
           geometry_.kernel;
  }

  Stored<Scalar> weights(const Vector<Scalar>& params, bool transposed) const {
    return {params.data() + this->offset(), static_cast<int>(patch_size()), transposed};
  }
  Scalar* weight_gradient(Vector<Scalar>& grads) const { return grads.data() + this->offset(); }
  const Scalar* bias(const Vector<Scalar>& params) const {
    return params.data() + this->offset() + weight_count();
  }
  Scalar* bias_gradient(Vector<Scalar>& grads) const {
    return grads.data() + this->offset() + weight_count();
  }

  // The workspace's two matrices: patches, (B*P) x K, and planes, (B*P) x columns.
  Scalar* patches(int batch) const {
    patches_.resize(static_cast<std::size_t>(geometry_.patches() * batch * patch_size()));
    return patches_.data();
  }
  Scalar* planes(int batch) const {
    planes_.resize(static_cast<std::size_t>(geometry_.patches() * batch * weight_columns()));
    return planes_.data();
  }

  Shape input_;
  Shape output_;
  KernelGeometry geometry_;

 private:
  // The matrix product's operands, read with SIMD loads.
  mutable CacheAlignedVector<Scalar> patches_;
  mutable CacheAlignedVector<Scalar> planes_;
  mutable std::vector<Scalar> tap_sums_;  // out channels x taps
};

template <typename Scalar>
class ConvolutionLayer final : public KernelLayer<Scalar> {
 public:
  ConvolutionLayer(Shape input, int channels, int kernel, int stride, int padding)
      : KernelLayer<Scalar>(input, convolution_output(input, channels, kernel, stride, padding),
                            {input, kernel, stride, padding}) {}

  void forward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs, Matrix<Scalar>& outputs,
               const RunMode& /*mode*/) const override {
    const int batch = static_cast<int>(inputs.cols());
    const long rows = this->geometry_.patches() * batch;
    Scalar* col = this->patches(batch);
    Scalar* planes = this->planes(batch);
    im2col(this->geometry_, inputs.data(), batch, col);
    multiply<Scalar>(rows, this->output_.channels, this->patch_size(),
                     {col, static_cast<int>(rows)}, this->weights(params, false), planes,
                     static_cast<int>(rows), false);
    outputs.resize(this->outputs(), batch);
    from_planes_matrix(planes, this->output_.channels, this->output_.plane(), batch,
                       this->bias(params), outputs.data());
  }

  void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const override {
    const int batch = static_cast<int>(inputs.cols());
    const long rows = this->geometry_.patches() * batch;
    const int k = static_cast<int>(this->patch_size()), f = this->output_.channels;
    Scalar* col = this->patches(batch);  // im2col(X), from the forward pass
    Scalar* d_planes = this->planes(batch);
    add_plane_sums(output_gradient.data(), f, this->output_.plane(), batch,
                   this->bias_gradient(grads));
    to_planes_matrix(output_gradient.data(), f, this->output_.plane(), batch, d_planes);
    multiply<Scalar>(k, f, static_cast<int>(rows), {col, static_cast<int>(rows), true},
                     {d_planes, static_cast<int>(rows)}, this->weight_gradient(grads), k, true);
    if (input_gradient == nullptr) return;
    // dcol overwrites col, which is no longer needed.
    multiply<Scalar>(static_cast<int>(rows), k, f, {d_planes, static_cast<int>(rows)},
                     this->weights(params, true), col, static_cast<int>(rows), false);
    input_gradient->resize(this->inputs(), batch);
    col2im(this->geometry_, col, batch, input_gradient->data());
  }

 private:
  int weight_rows() const override { return this->output_.channels; }
  int weight_channels() const override { return this->input_.channels; }
  long output_position(long patch, long /*pixel*/) const override { return patch; }
  long weight_index(int f, int c, long tap) const override {
    return (static_cast<long>(f) * this->input_.channels + c) * this->tap_count() + tap;
  }
};

template <typename Scalar>
class TransposedConvolutionLayer final : public KernelLayer<Scalar> {
 public:
  TransposedConvolutionLayer(Shape input, int channels, int kernel, int stride, int padding,
                             int output_padding)
      : KernelLayer<Scalar>(
            input,
            transposed_convolution_output(input, channels, kernel, stride, padding, output_padding),
            {transposed_convolution_output(input, channels, kernel, stride, padding,
                                           output_padding),
             kernel, stride, padding}),
        output_padding_(output_padding) {}

  int output_padding() const { return output_padding_; }

  void forward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs, Matrix<Scalar>& outputs,
               const RunMode& /*mode*/) const override {
    const int batch = static_cast<int>(inputs.cols());
    const long rows = this->geometry_.patches() * batch;
    const int c = this->input_.channels;
    Scalar* col = this->patches(batch);
    Scalar* planes = this->planes(batch);
    to_planes_matrix(inputs.data(), c, this->input_.plane(), batch, planes);
    multiply<Scalar>(static_cast<int>(rows), static_cast<int>(this->patch_size()), c,
                     {planes, static_cast<int>(rows)}, this->weights(params, true), col,
                     static_cast<int>(rows), false);
    outputs.resize(this->outputs(), batch);
    col2im(this->geometry_, col, batch, outputs.data());
    add_plane_bias(this->bias(params), this->output_.channels, this->output_.plane(), batch,
                   outputs.data());
  }

  void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const override {
    const int batch = static_cast<int>(inputs.cols());
    const long rows = this->geometry_.patches() * batch;
    const int k = static_cast<int>(this->patch_size()), c = this->input_.channels;
    Scalar* d_col = this->patches(batch);
    Scalar* planes = this->planes(batch);  // Xp, from the forward pass
    add_plane_sums(output_gradient.data(), this->output_.channels, this->output_.plane(), batch,
                   this->bias_gradient(grads));
    im2col(this->geometry_, output_gradient.data(), batch, d_col);
    multiply<Scalar>(k, c, static_cast<int>(rows), {d_col, static_cast<int>(rows), true},
                     {planes, static_cast<int>(rows)}, this->weight_gradient(grads), k, true);
    if (input_gradient == nullptr) return;
    // dXp overwrites Xp, which is no longer needed.
    multiply<Scalar>(static_cast<int>(rows), c, k, {d_col, static_cast<int>(rows)},
                     this->weights(params, false), planes, static_cast<int>(rows), false);
    input_gradient->resize(this->inputs(), batch);
    from_planes_matrix<Scalar>(planes, c, this->input_.plane(), batch, nullptr,
                               input_gradient->data());
  }

 private:
  int weight_rows() const override { return this->input_.channels; }
  int weight_channels() const override { return this->output_.channels; }
  long output_position(long /*patch*/, long pixel) const override { return pixel; }
  long weight_index(int f, int c, long tap) const override {
    return (static_cast<long>(c) * this->output_.channels + f) * this->tap_count() + tap;
  }
  int output_padding_;
};

}  // namespace latentlab
