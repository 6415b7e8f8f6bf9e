// A multilayer-perceptron autoencoder:
//   encoder: input -> hidden... -> latent      decoder: latent -> hidden... -> output
// All parameters live in one flat buffer (and their gradients in a twin),
// each layer a view into it. Templated on the scalar type so that gradient
// checks run in double while training runs in float.
#pragma once

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder_config.h"
#include "dense_layer.h"
#include "loss.h"
#include "matrix.h"
#include "rng.h"

namespace latentlab {

template <typename Scalar>
class Autoencoder {
 public:
  explicit Autoencoder(const AutoencoderConfig& config) : config_(config) {
    config_.validate();
    build_layers();
    initialize_parameters();
  }

  const AutoencoderConfig& config() const { return config_; }
  const std::vector<DenseLayer<Scalar>>& layers() const { return layers_; }
  std::size_t encoder_layer_count() const { return config_.encoder.size() + 1; }
  int input_size() const { return config_.input_size; }
  int latent_size() const { return config_.latent_size; }

  Vector<Scalar>& parameters() { return parameters_; }
  const Vector<Scalar>& parameters() const { return parameters_; }
  const Vector<Scalar>& gradients() const { return gradients_; }

  // inputs: input_size x B  ->  codes: latent_size x B
  Matrix<Scalar> encode(const Matrix<Scalar>& inputs) const {
    return run_layers(0, encoder_layer_count(), inputs);
  }

  // codes: latent_size x B  ->  reconstructions: input_size x B, in output units
  Matrix<Scalar> decode(const Matrix<Scalar>& codes) const {
    Matrix<Scalar> outputs = run_layers(encoder_layer_count(), layers_.size(), codes);
    if (config_.loss == ReconstructionLoss::bce) apply_activation(Activation::sigmoid, outputs);
    return outputs;
  }

  Matrix<Scalar> reconstruct(const Matrix<Scalar>& inputs) const { return decode(encode(inputs)); }

  // The reconstruction loss of `inputs`, without touching the gradients.
  double loss(const Matrix<Scalar>& inputs) const {
    const Matrix<Scalar> outputs = run_layers(0, layers_.size(), inputs);
    return reconstruction_loss(outputs, inputs, nullptr);
  }

  // Forward and backward pass on one batch (input_size x B): writes dL/dparams
  // into gradients() and returns the loss L.
  double compute_gradients(const Matrix<Scalar>& inputs) {
    const std::size_t count = layers_.size();
    outputs_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      layers_[i].forward(parameters_, i == 0 ? inputs : outputs_[i - 1], outputs_[i]);
    }
    const double loss = reconstruction_loss(outputs_.back(), inputs, &output_gradient_);
    for (std::size_t i = count; i-- > 0;) {
      const Matrix<Scalar>& layer_input = i == 0 ? inputs : outputs_[i - 1];
      // The first layer's input is the data: its gradient is never needed.
      layers_[i].backward(parameters_, layer_input, outputs_[i], output_gradient_, gradients_,
                          i == 0 ? nullptr : &input_gradient_);
      if (i > 0) output_gradient_.swap(input_gradient_);
    }
    return loss;
  }

 private:
  void build_layers() {
    std::vector<int> widths{config_.input_size};
    widths.insert(widths.end(), config_.encoder.begin(), config_.encoder.end());
    widths.push_back(config_.latent_size);
    const std::vector<int> decoder = config_.decoder_sizes();
    widths.insert(widths.end(), decoder.begin(), decoder.end());
    widths.push_back(config_.input_size);

    const std::size_t latent_layer = config_.encoder.size();
    const std::size_t output_layer = widths.size() - 2;
    // With BCE the last layer emits logits; decode() applies the sigmoid.
    const Activation output_activation =
        config_.loss == ReconstructionLoss::bce ? Activation::identity : config_.output_activation;
    std::size_t offset = 0;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
      const Activation activation = i == output_layer   ? output_activation
                                    : i == latent_layer ? config_.latent_activation
                                                        : config_.activation;
      layers_.emplace_back(widths[i], widths[i + 1], activation, offset);
      offset += layers_.back().parameter_count();
    }
    parameters_ = Vector<Scalar>::Zero(static_cast<Eigen::Index>(offset));
    gradients_ = Vector<Scalar>::Zero(static_cast<Eigen::Index>(offset));
  }

  // PyTorch's default for nn.Linear: W and b uniform in +-1/sqrt(fan_in),
  // drawn layer by layer (W column-major, then b) from the seeded generator.
  void initialize_parameters() {
    Rng rng(config_.seed);
    for (const DenseLayer<Scalar>& layer : layers_) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(layer.inputs()));
      Scalar* values = parameters_.data() + layer.offset();
      for (std::size_t i = 0; i < layer.parameter_count(); ++i) {
        values[i] = static_cast<Scalar>(rng.uniform(-bound, bound));
      }
    }
  }

  Matrix<Scalar> run_layers(std::size_t first, std::size_t last, const Matrix<Scalar>& inputs) const {
    Matrix<Scalar> current = inputs;
    Matrix<Scalar> next;
    for (std::size_t i = first; i < last; ++i) {
      layers_[i].forward(parameters_, current, next);
      current.swap(next);
    }
    return current;
  }

  // outputs are the last layer's values: logits for BCE, reconstructions for MSE.
  double reconstruction_loss(const Matrix<Scalar>& outputs, const Matrix<Scalar>& targets,
                             Matrix<Scalar>* gradient) const {
    if (config_.loss == ReconstructionLoss::bce) {
      return binary_cross_entropy_with_logits(outputs, targets, gradient);
    }
    return mean_squared_error(outputs, targets, gradient);
  }

  AutoencoderConfig config_;
  std::vector<DenseLayer<Scalar>> layers_;
  Vector<Scalar> parameters_;
  Vector<Scalar> gradients_;
  // Workspace of compute_gradients, kept between calls to avoid reallocation.
  std::vector<Matrix<Scalar>> outputs_;
  Matrix<Scalar> output_gradient_;
  Matrix<Scalar> input_gradient_;
};

}  // namespace latentlab
