// Input corruption of a denoising autoencoder as the first layer of the
// sequence: while training, Y = corrupt(X) with fresh noise from the pass's
// generator (noise.h); otherwise Y = X. The reconstruction target stays the
// clean input. Its input is the data, so no gradient flows through it.
#pragma once

#include <stdexcept>

#include "layer.h"
#include "noise.h"

namespace latentlab {

template <typename Scalar>
class CorruptionLayer final : public Layer<Scalar> {
 public:
  CorruptionLayer(int size, const NoiseConfig& noise) : size_(size), noise_(noise) {}

  int inputs() const override { return size_; }
  int outputs() const override { return size_; }

  void forward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& inputs,
               Matrix<Scalar>& outputs, const RunMode& mode) const override {
    outputs = inputs;
    if (!mode.training) return;
    if (mode.rng == nullptr) throw std::logic_error("a training pass needs a generator");
    corrupt(outputs, noise_, *mode.rng);
  }

  // Corruption is not differentiable in its input (masking, clamping); as the
  // first layer it never needs to be.
  void backward(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& /*inputs*/,
                const Matrix<Scalar>& /*outputs*/, Matrix<Scalar>& /*output_gradient*/,
                Vector<Scalar>& /*grads*/, Matrix<Scalar>* /*input_gradient*/) const override {}

 private:
  int size_;
  NoiseConfig noise_;
};

}  // namespace latentlab
