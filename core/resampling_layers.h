// Layers that change an image's size or shape without parameters:
//   max pooling (nn.MaxPool2d(f)):   [C, H, W] -> [C, H/f, W/f] (floor), each value the
//                                    largest of its f x f window; dL/dX goes to that
//                                    largest value (the first one, in row order, on a tie,
//                                    as PyTorch picks), 0 elsewhere
//   upsampling (nn.Upsample(scale_factor=f), nearest): [C, H, W] -> [C, fH, fW], each
//                                    value copied to an f x f block; dL/dX sums the block
//   reshape (Tensor.view):           the same values read as another shape: a copy
// The backward pass finds each window's largest value again from X, so a
// layer keeps nothing between passes. Each output value is one thread's.
#pragma once

#include "convolution.h"
#include "layer.h"
#include "parallel.h"

namespace latentlab {

template <typename Scalar>
class MaxPoolLayer final : public Layer<Scalar> {
 public:
  MaxPoolLayer(Shape input, int factor)
      : input_(input), output_(pool_output(input, factor)), factor_(factor) {}

  int inputs() const override { return static_cast<int>(input_.size()); }
  int outputs() const override { return static_cast<int>(output_.size()); }
  const Shape& output_shape() const { return output_; }
  int factor() const { return factor_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& /*mode*/) const override {
    outputs.resize(this->outputs(), inputs.cols());
    for_each_window(inputs,
                    [&](long out, long largest) { outputs.data()[out] = inputs.data()[largest]; });
  }

  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* input_gradient) const override {
    if (input_gradient == nullptr) return;
    input_gradient->setZero(inputs.rows(), inputs.cols());
    for_each_window(inputs, [&](long out, long largest) {
      input_gradient->data()[largest] = output_gradient.data()[out];
    });
  }

 private:
  // visit(index of an output value, index of its window's largest input),
  // both into the whole batch; windows do not overlap, so threads that take
  // different samples write different values.
  template <typename Visit>
  void for_each_window(const Matrix<Scalar>& inputs, const Visit& visit) const {
    const long batch = inputs.cols();
    parallel_for(batch, 1, [&](long first, long last, int) {
      for (long b = first; b < last; ++b) {
        for (int c = 0; c < output_.channels; ++c) {
          const long plane = (b * input_.channels + c) * input_.plane();
          for (int y = 0; y < output_.height; ++y) {
            for (int x = 0; x < output_.width; ++x) {
              long largest = plane + static_cast<long>(y) * factor_ * input_.width + x * factor_;
              for (int i = 0; i < factor_; ++i) {
                for (int j = 0; j < factor_; ++j) {
                  const long at =
                      plane + static_cast<long>(y * factor_ + i) * input_.width + x * factor_ + j;
                  if (inputs.data()[at] > inputs.data()[largest]) largest = at;
                }
              }
              visit(((b * output_.channels + c) * output_.height + y) * output_.width + x, largest);
            }
          }
        }
      }
    });
  }

  Shape input_;
  Shape output_;
  int factor_;
};

template <typename Scalar>
class UpsampleLayer final : public Layer<Scalar> {
 public:
  UpsampleLayer(Shape input, int factor)
      : input_(input), output_(upsample_output(input, factor)), factor_(factor) {}

  int inputs() const override { return static_cast<int>(input_.size()); }
  int outputs() const override { return static_cast<int>(output_.size()); }
  const Shape& output_shape() const { return output_; }
  int factor() const { return factor_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& /*mode*/) const override {
    outputs.resize(this->outputs(), inputs.cols());
    const long rows = input_.channels * static_cast<long>(input_.height);
    parallel_for(inputs.cols(), 1, [&](long first, long last, int) {
      for (long b = first; b < last; ++b) {
        for (long row = 0; row < rows; ++row) {
          const Scalar* from = inputs.data() + (b * rows + row) * input_.width;
          Scalar* to = outputs.data() + (b * rows + row) * factor_ * output_.width;
          for (int x = 0; x < output_.width; ++x) to[x] = from[x / factor_];
          for (int i = 1; i < factor_; ++i) {
            std::copy(to, to + output_.width, to + static_cast<long>(i) * output_.width);
          }
        }
      }
    });
  }

  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& /*inputs*/,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* input_gradient) const override {
    if (input_gradient == nullptr) return;
    const long batch = output_gradient.cols();
    const long rows = input_.channels * static_cast<long>(input_.height);
    input_gradient->resize(this->inputs(), batch);
    parallel_for(batch, 1, [&](long first, long last, int) {
      for (long b = first; b < last; ++b) {
        for (long row = 0; row < rows; ++row) {
          const Scalar* from = output_gradient.data() + (b * rows + row) * factor_ * output_.width;
          Scalar* to = input_gradient->data() + (b * rows + row) * input_.width;
          for (int x = 0; x < input_.width; ++x) {
            Scalar sum = 0;
            for (int i = 0; i < factor_; ++i) {
              for (int j = 0; j < factor_; ++j) {
                sum += from[static_cast<long>(i) * output_.width + x * factor_ + j];
              }
            }
            to[x] = sum;
          }
        }
      }
    });
  }

 private:
  Shape input_;
  Shape output_;
  int factor_;
};

template <typename Scalar>
class ReshapeLayer final : public Layer<Scalar> {
 public:
  explicit ReshapeLayer(Shape shape) : shape_(shape) {}

  int inputs() const override { return static_cast<int>(shape_.size()); }
  int outputs() const override { return static_cast<int>(shape_.size()); }
  const Shape& output_shape() const { return shape_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& /*mode*/) const override {
    outputs.resize(inputs.rows(), inputs.cols());
    parallel_copy(inputs.data(), outputs.data(), inputs.size());
  }

  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& /*inputs*/,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* input_gradient) const override {
    if (input_gradient != nullptr) input_gradient->swap(output_gradient);
  }

 private:
  Shape shape_;
};

}  // namespace latentlab
