// A fully connected layer followed by an element-wise activation:
//   Y = f(W X + b)
// Shapes (B = batch size, one column per sample):
//   X: in x B,  W: out x in,  b: out,  Y: out x B
// The layer owns no memory: W, b and their gradients are views into the
// model's flat parameter and gradient buffers, located by an offset.
#pragma once

#include <cstddef>

#include "activation.h"
#include "matrix.h"

namespace latentlab {

template <typename Scalar>
class DenseLayer {
 public:
  DenseLayer(int inputs, int outputs, Activation activation, std::size_t offset)
      : inputs_(inputs), outputs_(outputs), activation_(activation), offset_(offset) {}

  int inputs() const { return inputs_; }
  int outputs() const { return outputs_; }
  Activation activation() const { return activation_; }
  std::size_t parameter_count() const {
    return static_cast<std::size_t>(outputs_) * inputs_ + outputs_;
  }
  std::size_t offset() const { return offset_; }

  // Views of W (out x in, column-major) and b (out) inside a flat buffer laid
  // out as [W | b] from this layer's offset.
  MatrixMap<Scalar> weights(Vector<Scalar>& buffer) const {
    return MatrixMap<Scalar>(buffer.data() + offset_, outputs_, inputs_);
  }
  Eigen::Map<const Matrix<Scalar>> weights(const Vector<Scalar>& buffer) const {
    return Eigen::Map<const Matrix<Scalar>>(buffer.data() + offset_, outputs_, inputs_);
  }
  VectorMap<Scalar> bias(Vector<Scalar>& buffer) const {
    return VectorMap<Scalar>(buffer.data() + offset_ + weight_count(), outputs_);
  }
  Eigen::Map<const Vector<Scalar>> bias(const Vector<Scalar>& buffer) const {
    return Eigen::Map<const Vector<Scalar>>(buffer.data() + offset_ + weight_count(), outputs_);
  }

  // Y = f(W X + b)
  void forward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs) const {
    outputs.noalias() = weights(params) * inputs;
    outputs.colwise() += bias(params);
    apply_activation(activation_, outputs);
  }

  // Given dL/dY in `output_gradient` (overwritten with dL/dA, A = W X + b):
  //   dL/dW = dL/dA X^T          (out x B)(B x in)
  //   dL/db = sum over the batch of dL/dA
  //   dL/dX = W^T dL/dA          (in x out)(out x B), skipped when null
  // The parameter gradients are written (not accumulated) into `grads`.
  void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& outputs, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const {
    multiply_by_derivative(activation_, outputs, output_gradient);
    weights(grads).noalias() = output_gradient * inputs.transpose();
    bias(grads).noalias() = output_gradient.rowwise().sum();
    if (input_gradient != nullptr) {
      input_gradient->noalias() = weights(params).transpose() * output_gradient;
    }
  }

 private:
  std::size_t weight_count() const { return static_cast<std::size_t>(outputs_) * inputs_; }

  int inputs_;
  int outputs_;
  Activation activation_;
  std::size_t offset_;
};

}  // namespace latentlab
