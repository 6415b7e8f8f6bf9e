// Convolutional autoencoders as configurations: the reference model of issue
// 10 builds exactly PyTorch's six modules (111,521 parameters), mirrors are
// worked out (deconvolutions with the output padding that restores each size,
// pooling undone by upsampling), layers that do not fit are refused naming
// the layer, and whole-model gradients of every family that takes image
// layers match finite differences in double.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "architecture.h"
#include "autoencoder.h"
#include "errors.h"
#include "model_schema.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::LayerKind;
using latentlab::LayerSpec;
using latentlab::Matrix;
using latentlab::OutOfRange;
using latentlab::Shape;

namespace {

LayerSpec conv(int channels, int kernel, int stride = 1, int padding = 0) {
  LayerSpec spec;
  spec.kind = LayerKind::conv;
  spec.size = channels;
  spec.kernel = kernel;
  spec.stride = stride;
  spec.padding = padding;
  return spec;
}

LayerSpec deconv(int channels, int kernel, int stride, int padding, int output_padding) {
  LayerSpec spec = conv(channels, kernel, stride, padding);
  spec.kind = LayerKind::deconv;
  spec.output_padding = output_padding;
  return spec;
}

LayerSpec resampling(LayerKind kind, int factor) {
  LayerSpec spec;
  spec.kind = kind;
  spec.size = factor;
  return spec;
}

LayerSpec reshape(Shape shape) {
  LayerSpec spec;
  spec.kind = LayerKind::reshape;
  spec.shape = shape;
  return spec;
}

// The reference configuration of issue 10.
AutoencoderConfig reference() {
  AutoencoderConfig config;
  config.input_shape = Shape{1, 28, 28};
  config.input_size = 784;
  config.encoder = {conv(16, 3, 2, 1), conv(32, 3, 2, 1)};
  config.latent_size = 32;
  return config;
}

// [1, 6, 6] -> conv 2 (3 x 3, padding 1) -> pool 2 -> [2, 3, 3] -> dense 4 -> code 3.
AutoencoderConfig pooled(Activation hidden) {
  AutoencoderConfig config;
  config.input_shape = Shape{1, 6, 6};
  config.input_size = 36;
  config.encoder = {conv(2, 3, 1, 1), resampling(LayerKind::pool, 2), 4};
  config.latent_size = 3;
  config.activation = hidden;
  config.seed = 5;
  return config;
}

// [2, 5, 5] -> conv 3 (3 x 3, stride 2, padding 1) -> [3, 3, 3] -> code 3.
AutoencoderConfig strided(Activation hidden) {
  AutoencoderConfig config;
  config.input_shape = Shape{2, 5, 5};
  config.input_size = 50;
  config.encoder = {conv(3, 3, 2, 1)};
  config.latent_size = 3;
  config.activation = hidden;
  config.seed = 6;
  return config;
}

std::string decoder_json(const AutoencoderConfig& config) {
  return latentlab::write_model_config(config)["decoder"].dump();
}

// compute_gradients against central differences of the training objective
// (a fresh generator of the same seed each time, as in test_families), with
// step h.
void check_model_gradients(Autoencoder<double>& model, const Matrix<double>& inputs, double h) {
  auto objective = [&] {
    latentlab::Rng rng(4);
    latentlab::ForwardPass<double> pass;
    model.forward(inputs, latentlab::RunMode{true, &rng}, pass);
    return model.terms_of(pass, inputs).total();
  };
  latentlab::Rng rng(4);
  model.compute_gradients(inputs, rng);
  const latentlab::Vector<double> analytic = model.gradients();
  REQUIRE(analytic.allFinite());
  CHECK(analytic.cwiseAbs().maxCoeff() > 1e-3);
  latentlab::Vector<double>& params = model.parameters();
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    CAPTURE(i);
    const double numeric = latentlab_test::central_difference(objective, params(i), h);
    CHECK(analytic(i) == latentlab_test::gradient_approx(numeric));
  }
}

}  // namespace

TEST_CASE("the reference convolutional model builds PyTorch's six modules: 111,521 parameters") {
  const Autoencoder<float> model(reference());
  CHECK(model.parameters().size() == 111521);
  CHECK(decoder_json(reference()) ==
        R"([1568,{"reshape":[32,7,7]},)"
        R"({"deconv":16,"kernel":3,"stride":2,"padding":1,"outputPadding":1},)"
        R"({"deconv":1,"kernel":3,"stride":2,"padding":1,"outputPadding":1}])");
  // Conv2d(1,16,3,2,1), Conv2d(16,32,3,2,1), Linear(1568,32), Linear(32,1568),
  // ConvTranspose2d(32,16,3,2,1,1), ConvTranspose2d(16,1,3,2,1,1), in PyTorch's layouts.
  const std::vector<std::vector<std::uint64_t>> shapes{{16, 1, 3, 3},  {16}, {32, 16, 3, 3}, {32},
                                                       {32, 1568},     {32}, {1568, 32},     {1568},
                                                       {32, 16, 3, 3}, {16}, {16, 1, 3, 3},  {1}};
  const std::vector<latentlab::NamedTensor> tensors = model.tensors();
  REQUIRE(tensors.size() == shapes.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    CAPTURE(tensors[i].name);
    CHECK(tensors[i].name ==
          "layers." + std::to_string(i / 2) + (i % 2 == 0 ? ".weight" : ".bias"));
    CHECK(tensors[i].view.shape == shapes[i]);
  }
  // conv relu conv relu dense (identity) dense relu reshape deconv relu deconv sigmoid
  CHECK(model.layers().size() == 13);
  CHECK(model.encoder_layer_count() == 3);
  const Matrix<float> images = latentlab_test::unit_interval_data<float>(784, 3, 1);
  CHECK(model.hidden_activations(images, 0).rows() == 16 * 14 * 14);
  CHECK(model.hidden_activations(images, 1).rows() == 32 * 7 * 7);
  CHECK(model.reconstruct(images).rows() == 784);
  CHECK(model.first_dense() == nullptr);
}

TEST_CASE("a mirror undoes pooling by upsampling, and a dense layer after an image by a reshape") {
  AutoencoderConfig keras;
  keras.input_shape = Shape{1, 28, 28};
  keras.encoder = {conv(16, 3, 1, 1), resampling(LayerKind::pool, 2), conv(8, 3, 1, 1),
                   resampling(LayerKind::pool, 2)};
  CHECK(decoder_json(keras) ==
        R"([392,{"reshape":[8,7,7]},{"upsample":2},)"
        R"({"deconv":16,"kernel":3,"stride":1,"padding":1,"outputPadding":0},{"upsample":2},)"
        R"({"deconv":1,"kernel":3,"stride":1,"padding":1,"outputPadding":0}])");
  // A dense encoder on an image mirrors to a dense decoder, as without inputShape.
  AutoencoderConfig dense;
  dense.input_shape = Shape{1, 28, 28};
  dense.encoder = {256, 64};
  CHECK(decoder_json(dense) == "[64,256]");
  // An explicit Keras-style decoder: convolutions and upsampling, the last conv the output.
  keras.decoder = std::vector<LayerSpec>{392,
                                         reshape({8, 7, 7}),
                                         resampling(LayerKind::upsample, 2),
                                         conv(8, 3, 1, 1),
                                         resampling(LayerKind::upsample, 2),
                                         conv(1, 3, 1, 1)};
  const Autoencoder<double> model(keras);
  CHECK(model.reconstruct(latentlab_test::unit_interval_data(784, 2, 3)).rows() == 784);
}

TEST_CASE("layers that do not fit are refused, naming the layer") {
  const auto refused = [](const AutoencoderConfig& config, const std::string& message) {
    CHECK_THROWS_WITH_AS(Autoencoder<float>{config}, message.c_str(), OutOfRange);
  };
  AutoencoderConfig odd = reference();
  odd.encoder = {conv(4, 3, 1, 0), resampling(LayerKind::pool, 2)};  // 28 -> 26 -> 13
  odd.encoder[0].kernel = 2;                                         // 28 -> 27 -> 13
  refused(odd,
          "the decoder cannot mirror encoder[1] (pool 2): pooling dropped the last rows or "
          "columns of [4, 27, 27]; give a decoder");
  AutoencoderConfig flat = reference();
  flat.decoder = std::vector<LayerSpec>{1568, deconv(1, 3, 2, 1, 1)};
  refused(flat,
          "decoder[1]: deconv 1, kernel 3, stride 2, padding 1, outputPadding 1 needs an image "
          "[C, H, W] as its input, got 1568 values: put a {reshape: [C, H, W]} before it");
  AutoencoderConfig small = reference();
  small.decoder = std::vector<LayerSpec>{1568, reshape({32, 7, 7}), deconv(1, 3, 2, 1, 0)};
  refused(small,
          "the decoder's last layer, decoder[2], outputs [1, 13, 13] (169 values); the input "
          "has 784");
  AutoencoderConfig padding = reference();
  padding.decoder = std::vector<LayerSpec>{1568, reshape({32, 7, 7}), deconv(1, 3, 2, 1, 2)};
  refused(padding, "decoder[2]: outputPadding must be less than stride (2), got 2");
  AutoencoderConfig ending = reference();
  ending.decoder = std::vector<LayerSpec>{1568, reshape({32, 7, 7})};
  refused(ending, "decoder[1]: a reshape cannot end the decoder: its last layer makes the output");
  AutoencoderConfig wrong = reference();
  wrong.decoder = std::vector<LayerSpec>{1000, reshape({32, 7, 7})};
  refused(wrong, "decoder[1]: reshape [32, 7, 7] holds 1568 values, its input 1000 values");
  AutoencoderConfig kernel = reference();
  kernel.input_shape = Shape{1, 2, 2};
  kernel.input_size = 4;
  kernel.encoder = {conv(2, 5)};
  refused(kernel, "encoder[0]: a 5 x 5 kernel does not fit its input [1, 2, 2] padded by 0");
  AutoencoderConfig huge = reference();
  huge.encoder = {conv(4096, 1), resampling(LayerKind::upsample, 8)};
  refused(huge,
          "encoder[1]: upsample 8 would output 205520896 values per sample from its input "
          "[4096, 28, 28]; a layer can output at most 16777216");
}

TEST_CASE("convolutional models of every family: whole-model gradients match finite differences") {
  for (const Activation hidden : {Activation::tanh, Activation::relu}) {
    for (const bool pool : {false, true}) {
      CAPTURE(std::string(latentlab::activation_name(hidden)));
      CAPTURE(pool);
      const AutoencoderConfig base = pool ? pooled(hidden) : strided(hidden);
      const Matrix<double> inputs = latentlab_test::unit_interval_data(base.input_size, 3, 9);
      std::vector<std::pair<std::string, AutoencoderConfig>> families{{"plain", base}};
      AutoencoderConfig l1 = base;  // on the first layer's feature maps
      l1.sparsity = {latentlab::SparsityKind::l1, 0.05, 0.05, 0};
      families.push_back({"sparse l1", l1});
      AutoencoderConfig kl = base;
      kl.activation = Activation::sigmoid;
      kl.sparsity = {latentlab::SparsityKind::kl, 0.1, 0.2, 0};
      families.push_back({"sparse kl", kl});
      AutoencoderConfig denoising = base;
      denoising.noise = {latentlab::NoiseKind::gaussian, 0.2};
      families.push_back({"denoising", denoising});
      AutoencoderConfig vae = base;
      vae.loss = latentlab::ReconstructionLoss::bce;
      vae.variational = {true, 1.0};
      families.push_back({"variational", vae});
      AutoencoderConfig contractive = base;  // of the first convolution's block
      contractive.activation = Activation::sigmoid;
      contractive.contractive = {true, 0.1};
      families.push_back({"contractive", contractive});
      // Named, not a structured binding: clang 14 cannot capture one (CAPTURE).
      for (const auto& family : families) {
        const std::string& name = family.first;
        const AutoencoderConfig& config = family.second;
        CAPTURE(name);
        Autoencoder<double> model(config);
        latentlab::Rng rng(4);
        // A finite-difference step must not cross a kink of ReLU or max.
        REQUIRE(latentlab_test::smallest_relu_preactivation(model, inputs,
                                                            latentlab::RunMode{true, &rng}) > 1e-4);
        // A variational objective sums its loss over the features (about 35
        // here): at the usual step its rounding error, ~1e-16 L / h, nears
        // the tolerance's floor, and a larger step keeps it clear.
        const double h = config.variational.enabled ? 1e-5 : latentlab_test::kFiniteDifferenceStep;
        check_model_gradients(model, inputs, h);
      }
    }
  }
}
