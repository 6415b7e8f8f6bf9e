// A fully connected layer:  Y = W X + b
// Shapes (B = batch size, one column per sample):
//   X: in x B,  W: out x in,  b: out,  Y: out x B
// W and b are views into the model's flat parameter buffer, laid out as
// [W column-major | b] from the layer's offset; the file format stores W as
// PyTorch's nn.Linear.weight, [out, in] row-major.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include "affine_jacobian.h"
#include "gemm.h"
#include "layer.h"
#include "parallel.h"

namespace latentlab {

template <typename Scalar>
class DenseLayer final : public Layer<Scalar>, public AffineJacobian<Scalar> {
 public:
  DenseLayer(int inputs, int outputs) : inputs_(inputs), outputs_(outputs) {}

  int inputs() const override { return inputs_; }
  int outputs() const override { return outputs_; }
  std::uint64_t parameter_count() const override { return weight_count() + outputs_; }
  std::vector<TensorView> tensors() const override {
    const auto in = static_cast<std::uint64_t>(inputs_), out = static_cast<std::uint64_t>(outputs_);
    return {{"weight", {out, in}, this->offset(), true},
            {"bias", {out}, static_cast<std::size_t>(this->offset() + weight_count()), false}};
  }

  // Draws W column-major, then b.
  void initialize(Vector<Scalar>& params, WeightInit init, Rng& rng) const override {
    initialize_weights_and_biases(params.data() + this->offset(), weight_count(),
                                  static_cast<std::uint64_t>(outputs_), init, inputs_, outputs_,
                                  rng);
  }

  MatrixMap<Scalar> weights(Vector<Scalar>& buffer) const {
    return MatrixMap<Scalar>(buffer.data() + this->offset(), outputs_, inputs_);
  }
  Eigen::Map<const Matrix<Scalar>> weights(const Vector<Scalar>& buffer) const {
    return Eigen::Map<const Matrix<Scalar>>(buffer.data() + this->offset(), outputs_, inputs_);
  }
  VectorMap<Scalar> bias(Vector<Scalar>& buffer) const {
    return VectorMap<Scalar>(buffer.data() + this->offset() + weight_count(), outputs_);
  }
  Eigen::Map<const Vector<Scalar>> bias(const Vector<Scalar>& buffer) const {
    return Eigen::Map<const Vector<Scalar>>(buffer.data() + this->offset() + weight_count(),
                                            outputs_);
  }

  // Y = W X + b
  void forward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs, Matrix<Scalar>& outputs,
               const RunMode& /*mode*/) const override {
    const int batch = static_cast<int>(inputs.cols());
    outputs.resize(outputs_, batch);
    if constexpr (own_gemm) {
      gemm::multiply(outputs_, batch, inputs_, {weights(params).data(), outputs_, gemm::Op::none},
                     {inputs.data(), inputs_, gemm::Op::none},
                     {outputs.data(), outputs_, bias(params).data()});
    } else {
      outputs.noalias() = weights(params) * inputs;
      outputs.colwise() += bias(params);
    }
  }

  //   dL/dW += dL/dY X^T          (out x B)(B x in)
  //   dL/db += sum over the batch of dL/dY
  //   dL/dX  = W^T dL/dY          (in x out)(out x B), skipped when null
  void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& output_gradient,
                Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const override {
    const int batch = static_cast<int>(inputs.cols());
    add_row_sums(output_gradient, bias(grads).data());
    if constexpr (own_gemm) {
      gemm::multiply(outputs_, inputs_, batch, {output_gradient.data(), outputs_, gemm::Op::none},
                     {inputs.data(), inputs_, gemm::Op::transpose},
                     {weights(grads).data(), outputs_, nullptr, true});
      if (input_gradient == nullptr) return;
      input_gradient->resize(inputs_, batch);
      gemm::multiply(
          inputs_, batch, outputs_, {weights(params).data(), outputs_, gemm::Op::transpose},
          {output_gradient.data(), outputs_, gemm::Op::none}, {input_gradient->data(), inputs_});
    } else {
      weights(grads).noalias() += output_gradient * inputs.transpose();
      if (input_gradient != nullptr) {
        input_gradient->noalias() = weights(params).transpose() * output_gradient;
      }
    }
  }

  // dY/dX = W: w_j = ||W_j||^2, row j of W.
  void jacobian_row_norms(const Vector<Scalar>& params, Scalar* norms) const override {
    const auto w = weights(params);
    for (int j = 0; j < outputs_; ++j) norms[j] = w.row(j).squaredNorm();
  }

  void add_jacobian_row_norms_gradient(const Vector<Scalar>& params, const Scalar* scales,
                                       Vector<Scalar>& grads) const override {
    const auto w = weights(params);
    MatrixMap<Scalar> gradient = weights(grads);
    for (int j = 0; j < outputs_; ++j) gradient.row(j) += (2 * scales[j]) * w.row(j);
  }

 private:
  static constexpr bool own_gemm = std::is_same_v<Scalar, float> && gemm::kUsedForFloat;

  // 64 bits: a size from user input is checked (plan_layers) before it is allocated.
  std::uint64_t weight_count() const { return static_cast<std::uint64_t>(outputs_) * inputs_; }

  // sums[i] += sum over j of m(i, j): the threads share the rows, and each
  // row is summed over the batch in order, so any thread count gives its bits.
  static void add_row_sums(const Matrix<Scalar>& m, Scalar* sums) {
    const long rows = m.rows(), columns = m.cols();
    parallel_for(rows, std::max(1L, kElementsPerPart / std::max(1L, columns)),
                 [&](long begin, long end, int) {
                   for (long j = 0; j < columns; ++j) {
                     const Scalar* column = m.data() + j * rows;
                     for (long i = begin; i < end; ++i) sums[i] += column[i];
                   }
                 });
  }

  int inputs_;
  int outputs_;
};

}  // namespace latentlab
