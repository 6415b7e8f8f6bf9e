// An autoencoder: a sequence of layers built from an AutoencoderConfig
// (architecture.h works out the shapes), and every textbook family as layers
// placed in that sequence:
//   [corruption]  (layer, [activation], [penalties])...  code block  (layer, [activation])...
//   output
// where a layer is dense, a convolution, a transposed convolution, max
// pooling, upsampling or a reshape, and those with parameters are followed
// by their activation;
//   denoising:    a corruption layer first (active while training only)
//   sparse:       an L1 or KL penalty layer after the activations it penalises
//   contractive:  a penalty layer after the first block's activations
//   variational:  the code block's dense layer emits [mu; logvar] into a
//                 Gaussian bottleneck that passes z on (mu outside training)
// The model itself knows no family: it runs the layers forward, adds their
// extra losses to the reconstruction loss, and runs them backward. All
// parameters live in one flat buffer (and their gradients in a twin), each
// layer a view into it. Templated on the scalar type so that gradient checks
// run in double while training runs in float.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "activation_layer.h"
#include "architecture.h"
#include "autoencoder_config.h"
#include "convolution_layers.h"
#include "corruption_layer.h"
#include "dense_layer.h"
#include "errors.h"
#include "finite.h"
#include "latent_path.h"
#include "layer.h"
#include "loss.h"
#include "matrix.h"
#include "parallel.h"
#include "penalty_layers.h"
#include "resampling_layers.h"
#include "rng.h"
#include "seeds.h"
#include "variational_layer.h"

namespace latentlab {

// The outputs of every layer in one pass, kept for the backward pass.
template <typename Scalar>
struct ForwardPass {
  std::vector<Matrix<Scalar>> outputs;
};

// A named tensor of the model: what the model file stores and the API lists.
struct NamedTensor {
  std::string name;  // "layers.{i}.weight": i counts the layers with parameters
  TensorView view;
};

// The layers a configuration builds, and where in the sequence things are.
template <typename Scalar>
struct LayerPlan {
  std::vector<std::unique_ptr<Layer<Scalar>>> layers;
  // Encoder block k's activations are the outputs of layer block_ends[k] - 1;
  // block_activations[k] is their activation (a variational code's: identity).
  std::vector<std::size_t> block_ends;
  std::vector<Activation> block_activations;
  std::size_t code_end = 0;          // layers [0, code_end) encode, the rest decode
  std::size_t statistics_block = 0;  // the block activation statistics describe
  const PassThroughPenalty<Scalar>* activity_penalty = nullptr;
  const GaussianBottleneck<Scalar>* bottleneck = nullptr;
  const DenseLayer<Scalar>* first_dense = nullptr;
  // The first encoder layer when it is affine in the data (dense or a
  // convolution): what the contractive penalty and its norm differentiate.
  const AffineJacobian<Scalar>* first_affine = nullptr;
  Activation first_activation = Activation::identity;
  std::uint64_t parameter_count = 0;

  std::vector<NamedTensor> tensors() const {
    std::vector<NamedTensor> named;
    std::size_t index = 0;
    for (const auto& layer : layers) {
      if (layer->parameter_count() == 0) continue;
      for (const TensorView& view : layer->tensors()) {
        named.push_back({"layers." + std::to_string(index) + "." + view.name, view});
      }
      ++index;
    }
    return named;
  }
};

// The most parameters a model may hold. Training keeps five float copies of
// them (the parameters, their gradients, Adam's two moments, the step's
// backup): 20 bytes each, 1.25 GiB at this limit, in a WebAssembly heap of at
// most 2 GiB.
inline constexpr std::uint64_t kMaxParameters = std::uint64_t(1) << 26;

inline void check_parameter_count(std::uint64_t count) {
  if (count <= kMaxParameters) return;
  std::ostringstream size;
  size.precision(3);
  size << static_cast<double>(count) * sizeof(float) / 1e9;
  throw OutOfRange("the model would hold " + std::to_string(count) + " parameters (" + size.str() +
                   " GB as float32); a model can hold at most " + std::to_string(kMaxParameters) +
                   " (training keeps 5 copies of them in a heap of at most 2 GiB)");
}

// The most values the layers' outputs and their gradients may take for one
// batch: 2^28 floats, 1 GiB.
inline constexpr std::uint64_t kMaxBatchValues = std::uint64_t(1) << 28;

// The layer of one step of the architecture (a reshape copies: its output
// is a buffer of its own, as every layer's is).
template <typename Scalar>
std::unique_ptr<Layer<Scalar>> layer_of(const LayerStep& step) {
  const LayerSpec& spec = step.spec;
  const Shape image = step.in.image.value_or(Shape{});
  switch (spec.kind) {
    case LayerKind::dense:
      return std::make_unique<DenseLayer<Scalar>>(static_cast<int>(step.in.size), spec.size);
    case LayerKind::conv:
      return std::make_unique<ConvolutionLayer<Scalar>>(image, spec.size, spec.kernel, spec.stride,
                                                        spec.padding);
    case LayerKind::deconv:
      return std::make_unique<TransposedConvolutionLayer<Scalar>>(
          image, spec.size, spec.kernel, spec.stride, spec.padding, spec.output_padding);
    case LayerKind::pool:
      return std::make_unique<MaxPoolLayer<Scalar>>(image, spec.size);
    case LayerKind::upsample:
      return std::make_unique<UpsampleLayer<Scalar>>(image, spec.size);
    case LayerKind::reshape:
      break;
  }
  return std::make_unique<ReshapeLayer<Scalar>>(spec.shape);
}

// Builds the layers of `config` (validated first) without allocating any
// parameters: cheap, so a file reader can compare a file's tensors with the
// plan before it allocates, and the parameter count is checked (in 64 bits)
// before anything is.
template <typename Scalar>
LayerPlan<Scalar> plan_layers(const AutoencoderConfig& config) {
  check_model_config(config);
  const Architecture architecture = resolve_architecture(config);
  LayerPlan<Scalar> plan;
  auto add = [&](auto layer) {
    auto* raw = layer.get();
    raw->set_offset(plan.parameter_count);
    plan.parameter_count += raw->parameter_count();
    plan.layers.push_back(std::move(layer));
    return raw;
  };
  const bool variational = config.variational.enabled;
  if (config.noise.kind != NoiseKind::none) {
    add(std::make_unique<CorruptionLayer<Scalar>>(config.input_size, config.noise));
  }
  // Encoder blocks: each entry, then the code layer, with its activation
  // (a layer with parameters has one) and the penalties that act on it.
  for (std::size_t k = 0; k <= architecture.code; ++k) {
    const LayerStep& step = architecture.steps[k];
    const bool code = k == architecture.code;
    Layer<Scalar>* layer = add(layer_of<Scalar>(step));
    if (k == 0) {
      plan.first_dense = dynamic_cast<const DenseLayer<Scalar>*>(layer);
      plan.first_affine = dynamic_cast<const AffineJacobian<Scalar>*>(layer);
    }
    if (code && variational) {
      plan.bottleneck = add(std::make_unique<GaussianBottleneck<Scalar>>(config.latent_size,
                                                                         config.variational.beta));
      plan.block_ends.push_back(plan.layers.size());
      plan.block_activations.push_back(Activation::identity);
      continue;
    }
    const int width = static_cast<int>(step.out.size);
    const Activation activation = config.encoder_activation(k);
    const ActivationLayer<Scalar>* activation_layer = nullptr;
    if (step.spec.has_parameters()) {
      activation_layer = add(std::make_unique<ActivationLayer<Scalar>>(width, activation));
      if (k == 0) plan.first_activation = activation;
    }
    plan.block_ends.push_back(plan.layers.size());
    plan.block_activations.push_back(activation);
    // Backward runs the penalties in reverse: the sparsity gradient joins dL/dh
    // first, then the contractive one (the order the sums have always had).
    if (config.contractive.enabled && k == 0) {
      add(std::make_unique<ContractivePenalty<Scalar>>(*plan.first_affine, *activation_layer,
                                                       config.contractive.weight));
    }
    const SparsityConfig& sparsity = config.sparsity;
    if (sparsity.kind != SparsityKind::none && static_cast<int>(k) == sparsity.layer) {
      if (sparsity.kind == SparsityKind::l1) {
        plan.activity_penalty =
            add(std::make_unique<L1ActivityPenalty<Scalar>>(width, sparsity.weight));
      } else {
        plan.activity_penalty = add(
            std::make_unique<KlSparsityPenalty<Scalar>>(width, sparsity.target, sparsity.weight));
      }
      plan.statistics_block = k;
    }
  }
  plan.code_end = plan.layers.size();
  // Decoder layers, each with parameters followed by the decoder's
  // activation, and the output layer by the output activation. With BCE the
  // output layer emits logits: the loss reads them and decode() applies the
  // sigmoid.
  for (std::size_t k = architecture.code + 1; k < architecture.steps.size(); ++k) {
    const LayerStep& step = architecture.steps[k];
    add(layer_of<Scalar>(step));
    const bool output = step.role == LayerStep::Role::output;
    if (output && config.loss == ReconstructionLoss::bce) break;
    if (!output && !step.spec.has_parameters()) continue;
    add(std::make_unique<ActivationLayer<Scalar>>(
        static_cast<int>(step.out.size),
        output ? config.output_activation : config.decoder_hidden_activation()));
  }
  check_parameter_count(plan.parameter_count);
  return plan;
}

template <typename Scalar>
class Autoencoder {
 public:
  explicit Autoencoder(const AutoencoderConfig& config)
      : config_(config), plan_(plan_layers<Scalar>(config)) {
    parameters_ = Vector<Scalar>::Zero(static_cast<Eigen::Index>(plan_.parameter_count));
    gradients_ = Vector<Scalar>::Zero(static_cast<Eigen::Index>(plan_.parameter_count));
    Rng rng(weights_seed(config_.seed));
    for (const auto& layer : plan_.layers) layer->initialize(parameters_, config_.init, rng);
  }

  const AutoencoderConfig& config() const { return config_; }
  const std::vector<std::unique_ptr<Layer<Scalar>>>& layers() const { return plan_.layers; }
  std::vector<NamedTensor> tensors() const { return plan_.tensors(); }
  std::size_t encoder_layer_count() const { return plan_.block_ends.size(); }
  bool variational() const { return plan_.bottleneck != nullptr; }
  int input_size() const { return config_.input_size; }
  int latent_size() const { return config_.latent_size; }

  Vector<Scalar>& parameters() { return parameters_; }
  const Vector<Scalar>& parameters() const { return parameters_; }
  const Vector<Scalar>& gradients() const { return gradients_; }

  // Refuses, before anything is allocated, a batch whose layer outputs and
  // their gradients would not fit (counted in 64 bits).
  void check_batch_size(long batch) const {
    std::uint64_t per_sample = config_.input_size;
    for (const auto& layer : plan_.layers) {
      per_sample +=
          2 * static_cast<std::uint64_t>(layer->outputs()) + layer->workspace_per_sample();
    }
    const std::uint64_t values = per_sample * static_cast<std::uint64_t>(batch);
    if (values <= kMaxBatchValues) return;
    throw OutOfRange("a batch of " + std::to_string(batch) + " samples would take " +
                     std::to_string(values) + " values in this model's layers; at most " +
                     std::to_string(kMaxBatchValues) + " fit: choose a batchSize of at most " +
                     std::to_string(kMaxBatchValues / per_sample));
  }

  // The encoder block whose activations statistics describe (the sparsity
  // penalty's, else the first), its penalty if any, and the first block.
  std::size_t statistics_layer() const { return plan_.statistics_block; }
  const PassThroughPenalty<Scalar>* activity_penalty() const { return plan_.activity_penalty; }
  // The first encoder layer when it is dense (null otherwise).
  const DenseLayer<Scalar>* first_dense() const { return plan_.first_dense; }
  // The first encoder layer when it is dense or a convolution (null otherwise).
  const AffineJacobian<Scalar>* first_affine() const { return plan_.first_affine; }
  Activation first_activation() const { return plan_.first_activation; }

  // The activation function of encoder block `block` (a variational code
  // block's means have none: identity).
  Activation block_activation(std::size_t block) const { return plan_.block_activations.at(block); }

  // inputs (input_size x B) -> codes (latent_size x B); variational: the mean.
  Matrix<Scalar> encode(const Matrix<Scalar>& inputs) const {
    return run(0, plan_.code_end, inputs, "the codes");
  }

  // The activations of encoder block `layer` (the last one gives the codes).
  Matrix<Scalar> hidden_activations(const Matrix<Scalar>& inputs, std::size_t layer) const {
    if (layer >= encoder_layer_count()) {
      throw OutOfRange("layer must be an encoder layer index in [0, " +
                       std::to_string(encoder_layer_count() - 1) + "], got " +
                       std::to_string(layer));
    }
    return run(0, plan_.block_ends[layer], inputs,
               "the activations of encoder layer " + std::to_string(layer));
  }

  // codes (latent_size x B) -> reconstructions (input_size x B), in output units.
  Matrix<Scalar> decode(const Matrix<Scalar>& codes) const {
    Matrix<Scalar> outputs = run(plan_.code_end, plan_.layers.size(), codes, "the outputs");
    if (config_.loss == ReconstructionLoss::bce) apply_activation(Activation::sigmoid, outputs);
    return outputs;
  }

  Matrix<Scalar> reconstruct(const Matrix<Scalar>& inputs) const { return decode(encode(inputs)); }

  // `count` codes drawn from the prior N(0, I) by a generator seeded with
  // `seed`, decoded: the same seed, the same samples.
  Matrix<Scalar> sample(int count, std::uint64_t seed) const {
    if (!variational()) {
      throw std::invalid_argument(
          "sampling needs a variational model: only its codes follow the prior N(0, I)");
    }
    Rng rng(seed);
    Matrix<Scalar> codes(latent_size(), count);
    for (Eigen::Index i = 0; i < codes.size(); ++i) codes.data()[i] = Scalar(rng.normal());
    return decode(codes);
  }

  // Decodes `steps` codes evenly spaced from the code of `a` to that of `b`.
  Matrix<Scalar> interpolate(const Matrix<Scalar>& a, const Matrix<Scalar>& b, int steps) const {
    const Vector<Scalar> from = encode(a).col(0), to = encode(b).col(0);
    return decode(latent_path(from, to, steps));
  }

  // Encoder block `block`'s activations in `pass`; those of a variational
  // code block are its means (the rows of mu in the bottleneck's input).
  Matrix<Scalar> block_activations(const ForwardPass<Scalar>& pass, std::size_t block) const {
    const std::size_t end = plan_.block_ends[block];
    if (variational() && end == plan_.code_end) {
      return pass.outputs[end - 2].topRows(latent_size());
    }
    return pass.outputs[end - 1];
  }

  // Runs every layer, keeping each one's outputs. Outside training every
  // output is checked finite (training checks its loss and gradients).
  void forward(const Matrix<Scalar>& inputs, const RunMode& mode, ForwardPass<Scalar>& pass) const {
    const std::size_t count = plan_.layers.size();
    pass.outputs.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      plan_.layers[i]->forward(parameters_, layer_input(i, inputs, pass), pass.outputs[i], mode);
      if (!mode.training) require_finite_layer(i, count, pass.outputs[i], "the outputs");
    }
  }

  // The objective's terms for clean `inputs`, without corruption; a
  // variational model draws z from `rng`, or uses the mean when it is null.
  LossTerms loss_terms(const Matrix<Scalar>& inputs, Rng* rng) const {
    ForwardPass<Scalar> pass;
    forward(inputs, RunMode{false, rng}, pass);
    return terms_of(pass, inputs, nullptr);
  }

  // The objective on clean inputs with the mean code: what gradient checks
  // differentiate and what evaluation reports.
  double loss(const Matrix<Scalar>& inputs) const { return loss_terms(inputs, nullptr).total(); }

  // One training pass on a batch: corrupts it (denoising) and draws z
  // (variational) from `rng`, reconstructs the clean batch, writes
  // dL/dparams into gradients() and returns the terms of L.
  LossTerms compute_gradients(const Matrix<Scalar>& inputs, Rng& rng) {
    forward(inputs, RunMode{true, &rng}, pass_);
    // gradients_of_outputs_[i] is dL/d(outputs of layer i): one buffer per
    // layer, each keeping its shape from step to step, so none reallocates.
    const std::size_t count = plan_.layers.size();
    gradients_of_outputs_.resize(count);
    LossTerms terms = terms_of(pass_, inputs, &gradients_of_outputs_.back());
    Scalar* gradients = gradients_.data();
    parallel_elements(gradients_.size(), [&](long begin, long end) {
      std::fill(gradients + begin, gradients + end, Scalar(0));
    });
    // Layers before the first one with parameters only see data: no gradient
    // needs to flow into them.
    const std::size_t first = first_parametric_layer();
    for (std::size_t i = count; i-- > first;) {
      plan_.layers[i]->backward(parameters_, layer_input(i, inputs, pass_), pass_.outputs[i],
                                gradients_of_outputs_[i], gradients_,
                                i == first ? nullptr : &gradients_of_outputs_[i - 1]);
    }
    return terms;
  }

  // Each sample's reconstruction loss summed over its features (1 x B), from
  // the mean code; variational models add their KL: the negative ELBO.
  Vector<double> anomaly_scores(const Matrix<Scalar>& inputs) const {
    check_loss_targets(config_.loss, inputs.minCoeff(), inputs.maxCoeff(), "images");
    ForwardPass<Scalar> pass;
    forward(inputs, RunMode{}, pass);
    Vector<double> scores = loss_per_sample(config_.loss, pass.outputs.back(), inputs);
    if (variational()) {
      scores += gaussian_kl_per_sample(pass.outputs[plan_.code_end - 2]);  // the bottleneck's input
    }
    return scores;
  }

  // The reconstruction loss of a pass and every layer's extra loss; with
  // `gradient`, also dL/d(last layer outputs). A variational model sums the
  // reconstruction loss over features, as the ELBO does: the mean times D.
  LossTerms terms_of(const ForwardPass<Scalar>& pass, const Matrix<Scalar>& targets,
                     Matrix<Scalar>* gradient = nullptr) const {
    LossTerms terms;
    const double scale = variational() ? static_cast<double>(config_.input_size) : 1.0;
    terms.reconstruction = scale * mean_reconstruction_loss(config_.loss, pass.outputs.back(),
                                                            targets, gradient, scale);
    for (std::size_t i = 0; i < plan_.layers.size(); ++i) {
      plan_.layers[i]->add_extra_loss(parameters_, layer_input(i, targets, pass), pass.outputs[i],
                                      terms);
    }
    return terms;
  }

 private:
  const Matrix<Scalar>& layer_input(std::size_t i, const Matrix<Scalar>& inputs,
                                    const ForwardPass<Scalar>& pass) const {
    return i == 0 ? inputs : pass.outputs[i - 1];
  }

  std::size_t first_parametric_layer() const {
    std::size_t i = 0;
    while (plan_.layers[i]->parameter_count() == 0) ++i;
    return i;
  }

  // Layers [first, last) on `inputs`; `what` names the result in errors.
  Matrix<Scalar> run(std::size_t first, std::size_t last, const Matrix<Scalar>& inputs,
                     const std::string& what) const {
    Matrix<Scalar> current = inputs;
    Matrix<Scalar> next;
    for (std::size_t i = first; i < last; ++i) {
      plan_.layers[i]->forward(parameters_, current, next, RunMode{});
      require_finite_layer(i, last, next, what);
      current.swap(next);
    }
    return current;
  }

  // Every layer's outputs are checked, not only the result's: an infinity
  // inside can come out finite (a sigmoid of it), and meaningless.
  void require_finite_layer(std::size_t layer, std::size_t last, const Matrix<Scalar>& outputs,
                            const std::string& what) const {
    if (all_finite(outputs.data(), outputs.size())) return;  // without building a message
    const std::string where = layer + 1 == last
                                  ? what
                                  : what + ", from the model's layer " + std::to_string(layer + 1) +
                                        " of " + std::to_string(plan_.layers.size()) + " on,";
    require_finite(outputs, where, kModelOverflow);
  }

  AutoencoderConfig config_;
  LayerPlan<Scalar> plan_;
  Vector<Scalar> parameters_;
  Vector<Scalar> gradients_;
  // Workspace of compute_gradients, kept between calls to avoid reallocation.
  ForwardPass<Scalar> pass_;
  std::vector<Matrix<Scalar>> gradients_of_outputs_;
};

}  // namespace latentlab
