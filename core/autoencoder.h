// A multilayer-perceptron autoencoder, and every textbook family as a part of
// its configuration:
//   encoder: input -> hidden... -> code      decoder: code -> hidden... -> output
//   sparse:       an L1 or KL activity penalty on one encoder layer
//   denoising:    corrupted inputs, clean targets (the trainer corrupts)
//   variational:  the code layer emits [mu; logvar], the decoder reads
//                 z = mu + exp(logvar/2) eps while training and mu otherwise
//   contractive:  the squared Frobenius norm of the first layer's Jacobian
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
#include "penalties.h"
#include "rng.h"
#include "variational.h"

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

// The values of one forward pass, kept for the backward pass.
template <typename Scalar>
struct ForwardPass {
  std::vector<Matrix<Scalar>> outputs;  // each layer's activations
  Matrix<Scalar> code;                  // variational: the decoder's input z
  Matrix<Scalar> noise;                 // variational: the eps that drew z
};

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
  std::size_t code_layer() const { return config_.encoder.size(); }
  bool variational() const { return config_.variational.enabled; }
  int input_size() const { return config_.input_size; }
  int latent_size() const { return config_.latent_size; }

  Vector<Scalar>& parameters() { return parameters_; }
  const Vector<Scalar>& parameters() const { return parameters_; }
  const Vector<Scalar>& gradients() const { return gradients_; }

  // inputs (input_size x B) -> codes (latent_size x B); variational: the mean.
  Matrix<Scalar> encode(const Matrix<Scalar>& inputs) const {
    return hidden_activations(inputs, code_layer());
  }

  // The activations of encoder layer `layer` (the code layer gives the codes).
  Matrix<Scalar> hidden_activations(const Matrix<Scalar>& inputs, std::size_t layer) const {
    if (layer > code_layer()) {
      throw std::invalid_argument("layer must be an encoder layer index in [0, " +
                                  std::to_string(code_layer()) + "], got " + std::to_string(layer));
    }
    Matrix<Scalar> values = run_layers(0, layer + 1, inputs);
    if (variational() && layer == code_layer()) {
      Matrix<Scalar> mean = values.topRows(latent_size());
      return mean;
    }
    return values;
  }

  // codes (latent_size x B) -> reconstructions (input_size x B), in output units.
  Matrix<Scalar> decode(const Matrix<Scalar>& codes) const {
    Matrix<Scalar> outputs = run_layers(code_layer() + 1, layers_.size(), codes);
    if (config_.loss == ReconstructionLoss::bce) apply_activation(Activation::sigmoid, outputs);
    return outputs;
  }

  Matrix<Scalar> reconstruct(const Matrix<Scalar>& inputs) const { return decode(encode(inputs)); }

  // Runs every layer. A variational model draws z from `rng`, or uses the
  // mean when `rng` is null.
  void forward(const Matrix<Scalar>& inputs, Rng* rng, ForwardPass<Scalar>& pass) const {
    const std::size_t count = layers_.size();
    pass.outputs.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      layers_[i].forward(parameters_, layer_input(i, inputs, pass), pass.outputs[i]);
      if (variational() && i == code_layer()) {
        const Matrix<Scalar>& heads = pass.outputs[i];
        if (rng != nullptr) {
          pass.code = reparameterize(heads, *rng, pass.noise);
        } else {
          pass.code = heads.topRows(latent_size());
          pass.noise.setZero(latent_size(), heads.cols());
        }
      }
    }
  }

  // The objective's terms for `inputs` reconstructing `targets`, without
  // touching the gradients.
  LossTerms loss_terms(const Matrix<Scalar>& inputs, const Matrix<Scalar>& targets,
                       Rng* rng) const {
    ForwardPass<Scalar> pass;
    forward(inputs, rng, pass);
    LossTerms terms = reconstruction_terms(pass, targets, nullptr);
    if (sparse()) terms.sparsity = sparsity_penalty(pass.outputs[sparsity_layer()], nullptr);
    if (config_.contractive.enabled) terms.contractive = contractive_term(pass, nullptr, nullptr);
    return terms;
  }

  // The objective on clean inputs with the mean code: what gradient checks
  // differentiate and what evaluation reports.
  double loss(const Matrix<Scalar>& inputs) const {
    return loss_terms(inputs, inputs, nullptr).total();
  }

  // Forward and backward pass on one batch: `inputs` (possibly corrupted)
  // should reconstruct `targets`. Writes dL/dparams into gradients() and
  // returns the terms of L.
  LossTerms compute_gradients(const Matrix<Scalar>& inputs, const Matrix<Scalar>& targets,
                              Rng& rng) {
    forward(inputs, &rng, pass_);
    LossTerms terms = reconstruction_terms(pass_, targets, &output_gradient_);
    for (std::size_t i = layers_.size(); i-- > 0;) {
      // output_gradient_ holds dL/d(outputs of layer i); add what acts on them directly.
      if (variational() && i == code_layer()) {
        variational_backward(pass_.outputs[i], pass_.noise, output_gradient_,
                             config_.variational.beta, input_gradient_);
        output_gradient_.swap(input_gradient_);
      }
      if (sparse() && i == sparsity_layer()) {
        terms.sparsity = sparsity_penalty(pass_.outputs[i], &output_gradient_);
      }
      if (config_.contractive.enabled && i == 0) {
        contractive_weight_gradient_.setZero(layers_[0].outputs(), layers_[0].inputs());
        terms.contractive =
            contractive_term(pass_, &output_gradient_, &contractive_weight_gradient_);
      }
      // The first layer's input is the data: its gradient is never needed.
      layers_[i].backward(parameters_, layer_input(i, inputs, pass_), pass_.outputs[i],
                          output_gradient_, gradients_, i == 0 ? nullptr : &input_gradient_);
      if (i > 0) output_gradient_.swap(input_gradient_);
    }
    if (config_.contractive.enabled) layers_[0].weights(gradients_) += contractive_weight_gradient_;
    return terms;
  }

  // Each sample's reconstruction loss summed over its features (1 x B), from
  // the mean code; variational models add their KL: the negative ELBO.
  Vector<double> anomaly_scores(const Matrix<Scalar>& inputs) const {
    ForwardPass<Scalar> pass;
    forward(inputs, nullptr, pass);
    Vector<double> scores = loss_per_sample(config_.loss, pass.outputs.back(), inputs);
    if (variational()) scores += gaussian_kl_per_sample(pass.outputs[code_layer()]);
    return scores;
  }

  // The layer whose activations statistics describe: the sparsity layer if
  // any, else the first.
  std::size_t sparsity_layer() const {
    return sparse() ? static_cast<std::size_t>(config_.sparsity.layer) : 0;
  }

 private:
  bool sparse() const { return config_.sparsity.kind != SparsityKind::none; }

  void build_layers() {
    std::vector<int> widths{config_.input_size};
    widths.insert(widths.end(), config_.encoder.begin(), config_.encoder.end());
    widths.push_back(variational() ? 2 * config_.latent_size : config_.latent_size);
    const std::vector<int> decoder = config_.decoder_sizes();
    widths.insert(widths.end(), decoder.begin(), decoder.end());
    widths.push_back(config_.input_size);

    const std::size_t output_layer = widths.size() - 2;
    // With BCE the last layer emits logits; decode() applies the sigmoid.
    const Activation output_activation =
        config_.loss == ReconstructionLoss::bce ? Activation::identity : config_.output_activation;
    // A variational code layer emits mean and log-variance: no activation.
    const Activation code_activation =
        variational() ? Activation::identity : config_.latent_activation;
    std::size_t offset = 0;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
      const int inputs = i == code_layer() + 1 ? config_.latent_size : widths[i];
      const Activation activation = i == output_layer   ? output_activation
                                    : i == code_layer() ? code_activation
                                    : i < code_layer()  ? config_.activation
                                                        : config_.decoder_hidden_activation();
      layers_.emplace_back(inputs, widths[i + 1], activation, offset);
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

  // What layer i reads: the data, the previous layer's outputs, or z.
  const Matrix<Scalar>& layer_input(std::size_t i, const Matrix<Scalar>& inputs,
                                    const ForwardPass<Scalar>& pass) const {
    if (i == 0) return inputs;
    if (variational() && i == code_layer() + 1) return pass.code;
    return pass.outputs[i - 1];
  }

  Matrix<Scalar> run_layers(std::size_t first, std::size_t last,
                            const Matrix<Scalar>& inputs) const {
    Matrix<Scalar> current = inputs;
    Matrix<Scalar> next;
    for (std::size_t i = first; i < last; ++i) {
      layers_[i].forward(parameters_, current, next);
      current.swap(next);
    }
    return current;
  }

  // The reconstruction loss (and KL) of a forward pass; with `gradient`, also
  // dL/d(last layer outputs). A variational model sums the reconstruction
  // loss over features, as the ELBO does: the mean times D.
  LossTerms reconstruction_terms(const ForwardPass<Scalar>& pass, const Matrix<Scalar>& targets,
                                 Matrix<Scalar>* gradient) const {
    LossTerms terms;
    const double scale = variational() ? static_cast<double>(config_.input_size) : 1.0;
    terms.reconstruction = scale * mean_reconstruction_loss(config_.loss, pass.outputs.back(),
                                                            targets, gradient, scale);
    if (variational()) {
      terms.kl = gaussian_kl_per_sample(pass.outputs[code_layer()]).mean();
      terms.beta = config_.variational.beta;
    }
    return terms;
  }

  double sparsity_penalty(const Matrix<Scalar>& activations, Matrix<Scalar>* gradient) const {
    const SparsityConfig& s = config_.sparsity;
    if (s.kind == SparsityKind::l1) return l1_activity_penalty(activations, s.weight, gradient);
    return kl_sparsity_penalty(activations, s.target, s.weight, gradient);
  }

  double contractive_term(const ForwardPass<Scalar>& pass, Matrix<Scalar>* activation_gradient,
                          Matrix<Scalar>* weight_gradient) const {
    const DenseLayer<Scalar>& first = layers_[0];
    return contractive_penalty(pass.outputs[0], first.activation(), first.weights(parameters_),
                               config_.contractive.weight, activation_gradient, weight_gradient);
  }

  AutoencoderConfig config_;
  std::vector<DenseLayer<Scalar>> layers_;
  Vector<Scalar> parameters_;
  Vector<Scalar> gradients_;
  // Workspace of compute_gradients, kept between calls to avoid reallocation.
  ForwardPass<Scalar> pass_;
  Matrix<Scalar> output_gradient_;
  Matrix<Scalar> input_gradient_;
  Matrix<Scalar> contractive_weight_gradient_;
};

}  // namespace latentlab
