// A layer of the model's sequence. Every kind (dense, activation, penalty,
// corruption, the variational bottleneck, convolution, transposed
// convolution, pooling, upsampling, reshape) has the same surface, so the model, the trainer, the
// optimizer and the file format never ask which kind a layer is:
//   forward:   Y = f(X)                        X: in x B, Y: out x B (one column per sample)
//   backward:  given dL/dY, ADD dL/dparams into the gradient buffer and write
//              dL/dX (skipped for the first layer, whose input is the data);
//              it follows the forward pass of the same X and params, with no
//              other pass of the layer between (a layer may reuse what that
//              pass left in its workspace)
//   extra loss: an optional term of the objective computed from X and Y
//              (activity penalties, the contractive penalty, KL); backward
//              includes its gradient
// Parameters live in the model's one flat buffer: a layer owns none, it
// knows its offset there and the shapes of its tensors.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "matrix.h"
#include "rng.h"

namespace latentlab {

// The terms of the training objective on one batch.
struct LossTerms {
  double reconstruction = 0;  // mean over samples and features; variational: summed over features
  double sparsity = 0;        // weighted activity penalty
  double contractive = 0;     // weighted contractive penalty
  double kl = 0;              // variational: mean per-sample KL(q(z|x) || N(0, I)), unweighted
  double beta = 0;            // the weight of kl in the objective

  double total() const { return reconstruction + sparsity + contractive + beta * kl; }
};

// How a pass runs. Training corrupts inputs (denoising); a generator makes
// the variational bottleneck draw z instead of passing its mean on.
struct RunMode {
  bool training = false;
  Rng* rng = nullptr;
};

// Initialisation of weight matrices (biases as noted):
//   pytorch: W, b ~ U(+-1/sqrt(fan_in))               (nn.Linear's default)
//   glorot:  W ~ U(+-sqrt(6 / (fan_in + fan_out))), b = 0  (Keras and TF.js)
//   he:      W ~ U(+-sqrt(6 / fan_in)), b = 0          (Kaiming uniform, ReLU gain)
enum class WeightInit { pytorch, glorot, he };

// The bound b of the uniform draws U(-b, b) of a layer's weights; fans as
// PyTorch counts them (a convolution's include its kernel's area).
inline double weight_bound(WeightInit init, double fan_in, double fan_out) {
  switch (init) {
    case WeightInit::glorot:
      return std::sqrt(6 / (fan_in + fan_out));
    case WeightInit::he:
      return std::sqrt(6 / fan_in);
    case WeightInit::pytorch:
      break;
  }
  return 1 / std::sqrt(fan_in);
}

// Draws a layer's `weights` values and then its `biases` (in that order, from
// `values` on): weights U(-b, b); biases U(-b, b) for 'pytorch', 0 otherwise.
template <typename Scalar>
void initialize_weights_and_biases(Scalar* values, std::uint64_t weights, std::uint64_t biases,
                                   WeightInit init, double fan_in, double fan_out, Rng& rng) {
  const double bound = weight_bound(init, fan_in, fan_out);
  for (std::uint64_t i = 0; i < weights; ++i) {
    values[i] = static_cast<Scalar>(rng.uniform(-bound, bound));
  }
  for (std::uint64_t i = weights; i < weights + biases; ++i) {
    values[i] =
        init == WeightInit::pytorch ? static_cast<Scalar>(rng.uniform(-bound, bound)) : Scalar(0);
  }
}

inline const char* weight_init_name(WeightInit init) {
  switch (init) {
    case WeightInit::glorot:
      return "glorot";
    case WeightInit::he:
      return "he";
    case WeightInit::pytorch:
      break;
  }
  return "pytorch";
}

// One tensor of a layer inside the flat buffer. `shape` is PyTorch's (e.g.
// [out, in] for a dense weight); a column-major tensor stores the 2-D [r, c]
// transposed, as Eigen's out x in matrix does.
struct TensorView {
  std::string name;  // "weight", "bias"
  std::vector<std::uint64_t> shape;
  std::size_t offset;  // into the flat buffer
  bool column_major;
  std::uint64_t count() const {
    std::uint64_t n = 1;
    for (std::uint64_t extent : shape) n *= extent;
    return n;
  }
  // Where the value at `index` in PyTorch's (row-major) order sits, from `offset`.
  std::uint64_t buffer_index(std::uint64_t index) const {
    if (!column_major) return index;
    const std::uint64_t rows = shape[0], cols = shape[1];
    return (index % cols) * rows + index / cols;
  }
};

template <typename Scalar>
class Layer {
 public:
  virtual ~Layer() = default;

  virtual int inputs() const = 0;   // features per sample in
  virtual int outputs() const = 0;  // features per sample out

  // Parameters in the flat buffer, from `offset()` on.
  virtual std::uint64_t parameter_count() const { return 0; }
  virtual std::vector<TensorView> tensors() const { return {}; }
  virtual void initialize(Vector<Scalar>& /*params*/, WeightInit /*init*/, Rng& /*rng*/) const {}
  void set_offset(std::size_t offset) { offset_ = offset; }
  std::size_t offset() const { return offset_; }

  // Values per sample that the layer keeps as workspace for a pass.
  virtual std::uint64_t workspace_per_sample() const { return 0; }

  virtual void forward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                       Matrix<Scalar>& outputs, const RunMode& mode) const = 0;

  // `output_gradient` is dL/dY and may be overwritten (used as scratch).
  virtual void backward(const Vector<Scalar>& params, const Matrix<Scalar>& inputs,
                        const Matrix<Scalar>& outputs, Matrix<Scalar>& output_gradient,
                        Vector<Scalar>& grads, Matrix<Scalar>* input_gradient) const = 0;

  // Adds this layer's term of the objective for the pass that gave `outputs`.
  virtual void add_extra_loss(const Vector<Scalar>& /*params*/, const Matrix<Scalar>& /*inputs*/,
                              const Matrix<Scalar>& /*outputs*/, LossTerms& /*terms*/) const {}

 private:
  std::size_t offset_ = 0;
};

}  // namespace latentlab
