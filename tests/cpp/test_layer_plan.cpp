// plan_layers: which layers a configuration builds, in which order, where
// their parameters sit in the flat buffer, and the tensors they give (names
// and PyTorch shapes, as the model file stores them). Each sequence is
// written out as one line per layer, e.g. "dense 6->5", "relu 5", "l1 5".
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::LayerPlan;
using latentlab::NoiseKind;
using latentlab::ReconstructionLoss;
using latentlab::SparsityKind;
using latentlab_test::small_config;
using Lines = std::vector<std::string>;

namespace {

std::string describe(const latentlab::Layer<float>& layer) {
  const std::string in = std::to_string(layer.inputs()), out = std::to_string(layer.outputs());
  if (dynamic_cast<const latentlab::DenseLayer<float>*>(&layer)) return "dense " + in + "->" + out;
  if (const auto* a = dynamic_cast<const latentlab::ActivationLayer<float>*>(&layer)) {
    return std::string(latentlab::activation_name(a->activation())) + " " + out;
  }
  if (dynamic_cast<const latentlab::L1ActivityPenalty<float>*>(&layer)) return "l1 " + out;
  if (dynamic_cast<const latentlab::KlSparsityPenalty<float>*>(&layer)) return "kl " + out;
  if (dynamic_cast<const latentlab::ContractivePenalty<float>*>(&layer)) {
    return "contractive " + out;
  }
  if (dynamic_cast<const latentlab::CorruptionLayer<float>*>(&layer)) return "corruption " + out;
  if (dynamic_cast<const latentlab::GaussianBottleneck<float>*>(&layer)) {
    return "gaussian " + in + "->" + out;
  }
  return "unknown";
}

Lines sequence(const AutoencoderConfig& config) {
  const LayerPlan<float> plan = latentlab::plan_layers<float>(config);
  Lines lines;
  for (const auto& layer : plan.layers) lines.push_back(describe(*layer));
  // Each layer's input is the previous one's output.
  for (std::size_t i = 1; i < plan.layers.size(); ++i) {
    CAPTURE(i);
    CHECK(plan.layers[i]->inputs() == plan.layers[i - 1]->outputs());
  }
  return lines;
}

// "name [shape]" for every tensor of the plan.
Lines tensor_lines(const AutoencoderConfig& config) {
  Lines lines;
  for (const latentlab::NamedTensor& tensor : latentlab::plan_layers<float>(config).tensors()) {
    std::string shape;
    for (std::uint64_t extent : tensor.view.shape) {
      shape += (shape.empty() ? "" : ", ") + std::to_string(extent);
    }
    lines.push_back(tensor.name + " [" + shape + "]");
  }
  return lines;
}

}  // namespace

TEST_CASE("a 784-256-32 encoder gets a mirrored decoder, packed in the flat buffer") {
  AutoencoderConfig config;
  config.input_size = 784;
  config.encoder = {256};
  config.latent_size = 32;
  CHECK(sequence(config) == Lines{"dense 784->256", "relu 256", "dense 256->32", "identity 32",
                                  "dense 32->256", "relu 256", "dense 256->784", "sigmoid 784"});
  CHECK(tensor_lines(config) == Lines{"layers.0.weight [256, 784]", "layers.0.bias [256]",
                                      "layers.1.weight [32, 256]", "layers.1.bias [32]",
                                      "layers.2.weight [256, 32]", "layers.2.bias [256]",
                                      "layers.3.weight [784, 256]", "layers.3.bias [784]"});

  const Autoencoder<float> model(config);
  CHECK(model.encoder_layer_count() == 2);
  // Layers are packed one after the other in the flat buffer, in order; the
  // tensors' views are where the layers' are.
  std::size_t offset = 0;
  for (const auto& layer : model.layers()) {
    CHECK(layer->offset() == offset);
    offset += layer->parameter_count();
  }
  CHECK(offset == 784u * 256 + 256 + 256 * 32 + 32 + 32 * 256 + 256 + 256 * 784 + 784);
  CHECK(latentlab::plan_layers<float>(config).parameter_count == offset);
  CHECK(static_cast<std::size_t>(model.parameters().size()) == offset);
  CHECK(static_cast<std::size_t>(model.gradients().size()) == offset);
  const std::vector<latentlab::NamedTensor> tensors = model.tensors();
  std::size_t expected_offset = 0;
  for (const latentlab::NamedTensor& tensor : tensors) {
    CAPTURE(tensor.name);
    CHECK(tensor.view.offset == expected_offset);
    CHECK(tensor.view.column_major == (tensor.view.shape.size() == 2));
    expected_offset += tensor.view.count();
  }
  CHECK(expected_offset == offset);
}

TEST_CASE("an explicit decoder replaces the mirror; an empty one means none") {
  AutoencoderConfig config;
  config.input_size = 10;
  config.encoder = {8};
  config.latent_size = 2;
  config.decoder = std::vector<latentlab::LayerSpec>{4, 6};
  config.decoder_activation = Activation::tanh;
  CHECK(sequence(config) == Lines{"dense 10->8", "relu 8", "dense 8->2", "identity 2", "dense 2->4",
                                  "tanh 4", "dense 4->6", "tanh 6", "dense 6->10", "sigmoid 10"});
  config.decoder = std::vector<latentlab::LayerSpec>{};
  CHECK(sequence(config) ==
        Lines{"dense 10->8", "relu 8", "dense 8->2", "identity 2", "dense 2->10", "sigmoid 10"});
}

TEST_CASE("with BCE the last layer is dense: it emits logits") {
  const AutoencoderConfig config = small_config(Activation::relu, ReconstructionLoss::bce);
  CHECK(sequence(config) == Lines{"dense 6->5", "relu 5", "dense 5->4", "relu 4", "dense 4->3",
                                  "identity 3", "dense 3->4", "relu 4", "dense 4->5", "relu 5",
                                  "dense 5->6"});
  AutoencoderConfig identity_output = small_config();
  identity_output.output_activation = Activation::identity;
  CHECK(sequence(identity_output).back() == "identity 6");  // MSE keeps its output activation
}

TEST_CASE("a variational model: the code dense layer emits 2 x latent into the bottleneck") {
  AutoencoderConfig config = small_config(Activation::tanh);
  config.variational = {true, 0.5};
  config.latent_activation = Activation::sigmoid;  // ignored: the heads have no activation
  CHECK(sequence(config) == Lines{"dense 6->5", "tanh 5", "dense 5->4", "tanh 4", "dense 4->6",
                                  "gaussian 6->3", "dense 3->4", "tanh 4", "dense 4->5", "tanh 5",
                                  "dense 5->6", "sigmoid 6"});
  CHECK(tensor_lines(config) ==
        Lines{"layers.0.weight [5, 6]", "layers.0.bias [5]", "layers.1.weight [4, 5]",
              "layers.1.bias [4]", "layers.2.weight [6, 4]", "layers.2.bias [6]",
              "layers.3.weight [4, 3]", "layers.3.bias [4]", "layers.4.weight [5, 4]",
              "layers.4.bias [5]", "layers.5.weight [6, 5]", "layers.5.bias [6]"});
  const Autoencoder<float> model(config);
  CHECK(model.variational());
  CHECK(model.encoder_layer_count() == 3);

  // Without hidden encoder layers the first dense layer is the code layer.
  config.encoder = {};
  config.decoder = std::vector<latentlab::LayerSpec>{};
  CHECK(sequence(config) == Lines{"dense 6->6", "gaussian 6->3", "dense 3->6", "sigmoid 6"});
}

TEST_CASE("denoising puts a corruption layer first; penalties follow their activations") {
  SUBCASE("denoising") {
    AutoencoderConfig config = small_config();
    config.encoder = {4};
    config.noise = {NoiseKind::mask, 0.3};
    CHECK(sequence(config) == Lines{"corruption 6", "dense 6->4", "relu 4", "dense 4->3",
                                    "identity 3", "dense 3->4", "relu 4", "dense 4->6",
                                    "sigmoid 6"});
  }
  SUBCASE("l1 on encoder layer 1, kl on the code layer") {
    AutoencoderConfig config = small_config();
    config.sparsity = {SparsityKind::l1, 0.1, 0.05, 1};
    CHECK(sequence(config) == Lines{"dense 6->5", "relu 5", "dense 5->4", "relu 4", "l1 4",
                                    "dense 4->3", "identity 3", "dense 3->4", "relu 4",
                                    "dense 4->5", "relu 5", "dense 5->6", "sigmoid 6"});
    config = small_config(Activation::sigmoid);
    config.latent_activation = Activation::sigmoid;
    config.sparsity = {SparsityKind::kl, 0.1, 0.05, 2};
    const Lines lines = sequence(config);
    REQUIRE(lines.size() == 13);
    CHECK(Lines(lines.begin() + 4, lines.begin() + 8) ==
          Lines{"dense 4->3", "sigmoid 3", "kl 3", "dense 3->4"});
  }
  SUBCASE("contractive after the first block, beside a sparsity penalty on the same block") {
    AutoencoderConfig config = small_config(Activation::sigmoid);
    config.contractive = {true, 0.5};
    config.sparsity = {SparsityKind::kl, 0.1, 0.05, 0};
    const Lines lines = sequence(config);
    REQUIRE(lines.size() == 14);
    CHECK(Lines(lines.begin(), lines.begin() + 2) == Lines{"dense 6->5", "sigmoid 5"});
    // The two pass-through penalties in either order (forward they commute;
    // backward their order decides how dL/dh is rounded: see the trainer's
    // "kl+contractive" case against the engine before the reshape).
    const Lines penalties(lines.begin() + 2, lines.begin() + 4);
    CHECK((penalties == Lines{"kl 5", "contractive 5"} ||
           penalties == Lines{"contractive 5", "kl 5"}));
    CHECK(lines[4] == "dense 5->4");
    // Without hidden encoder layers the code layer is contracted.
    config = small_config(Activation::tanh);
    config.encoder = {};
    config.latent_activation = Activation::tanh;
    config.contractive = {true, 0.5};
    CHECK(sequence(config) ==
          Lines{"dense 6->3", "tanh 3", "contractive 3", "dense 3->6", "sigmoid 6"});
  }
  SUBCASE("every part at once") {
    AutoencoderConfig config = small_config(Activation::tanh, ReconstructionLoss::bce);
    config.noise = {NoiseKind::gaussian, 0.1};
    config.sparsity = {SparsityKind::l1, 0.2, 0.05, 1};
    config.contractive = {true, 0.3};
    config.variational = {true, 1.0};
    CHECK(sequence(config) == Lines{"corruption 6", "dense 6->5", "tanh 5", "contractive 5",
                                    "dense 5->4", "tanh 4", "l1 4", "dense 4->6", "gaussian 6->3",
                                    "dense 3->4", "tanh 4", "dense 4->5", "tanh 5", "dense 5->6"});
    // Layers without parameters do not count in the tensor names.
    const Lines tensors = tensor_lines(config);
    REQUIRE(tensors.size() == 12);
    CHECK(tensors[4] == "layers.2.weight [6, 4]");
    CHECK(tensors[11] == "layers.5.bias [6]");
  }
}

TEST_CASE("the model's pointers into its plan: statistics block, penalty, first block") {
  AutoencoderConfig config = small_config(Activation::tanh);
  config.noise = {NoiseKind::mask, 0.2};
  Autoencoder<float> plain(config);
  CHECK(plain.statistics_layer() == 0);
  CHECK(plain.activity_penalty() == nullptr);
  CHECK(plain.first_dense() == plain.layers()[1].get());  // after the corruption layer
  CHECK(plain.first_activation() == Activation::tanh);

  config.sparsity = {SparsityKind::l1, 0.1, 0.05, 1};
  Autoencoder<float> sparse(config);
  CHECK(sparse.statistics_layer() == 1);
  REQUIRE(sparse.activity_penalty() != nullptr);
  CHECK(sparse.activity_penalty() == sparse.layers()[5].get());

  // Without hidden layers the first block is the code block.
  config = small_config();
  config.encoder = {};
  config.latent_activation = Activation::sigmoid;
  const Autoencoder<float> shallow(config);
  CHECK(shallow.first_activation() == Activation::sigmoid);
  CHECK(shallow.first_dense()->outputs() == 3);
}

TEST_CASE("plan_layers checks the configuration first") {
  AutoencoderConfig config = small_config();
  config.latent_size = 0;
  CHECK_THROWS_AS(latentlab::plan_layers<float>(config), std::invalid_argument);
}
