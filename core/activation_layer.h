// An element-wise activation as a layer of the sequence:  Y = f(X),
// dL/dX = dL/dY * f'(X), with f' written from Y (see activation.h).
#pragma once

#include "activation.h"
#include "layer.h"

namespace latentlab {

template <typename Scalar>
class ActivationLayer final : public Layer<Scalar> {
 public:
  ActivationLayer(int size, Activation activation) : size_(size), activation_(activation) {}

  int inputs() const override { return size_; }
  int outputs() const override { return size_; }
  Activation activation() const { return activation_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& /*mode*/) const override {
    apply_activation(activation_, inputs, outputs);
  }

  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& /*inputs*/,
                const Matrix<Scalar>& outputs, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* input_gradient) const override {
    if (input_gradient == nullptr) return;
    multiply_by_derivative(activation_, outputs, output_gradient);
    input_gradient->swap(output_gradient);
  }

 private:
  int size_;
  Activation activation_;
};

}  // namespace latentlab
