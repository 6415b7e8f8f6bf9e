// One configuration of every family on a given base model (dense or
// convolutional), for the tests
// that must hold for all of them (no allocation per step, the same bits on
// any number of threads).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "autoencoder_config.h"

namespace latentlab_test {

// A convolutional base: [1, n, n] -> conv 4 (3 x 3, stride 2, padding 1) ->
// pool 2 -> [4, n/4, n/4] -> code `latent`, mirrored (n a multiple of 4).
inline latentlab::AutoencoderConfig convolutional_base(int n, int latent) {
  using namespace latentlab;
  AutoencoderConfig config;
  config.input_shape = Shape{1, n, n};
  config.input_size = n * n;
  LayerSpec conv;
  conv.kind = LayerKind::conv;
  conv.size = 4;
  conv.kernel = 3;
  conv.stride = 2;
  conv.padding = 1;
  LayerSpec pool;
  pool.kind = LayerKind::pool;
  pool.size = 2;
  config.encoder = {conv, pool};
  config.latent_size = latent;
  config.seed = 3;
  return config;
}

inline std::vector<std::pair<std::string, latentlab::AutoencoderConfig>> every_family(
    const latentlab::AutoencoderConfig& base) {
  using namespace latentlab;
  std::vector<std::pair<std::string, AutoencoderConfig>> families;
  families.push_back({"undercomplete mse", base});
  AutoencoderConfig bce = base;
  bce.loss = ReconstructionLoss::bce;
  bce.activation = Activation::tanh;
  families.push_back({"bce, tanh", bce});
  AutoencoderConfig l1 = base;
  l1.sparsity = {SparsityKind::l1, 0.01, 0.05, 0};
  families.push_back({"sparse l1", l1});
  AutoencoderConfig kl = base;
  kl.activation = Activation::sigmoid;
  kl.sparsity = {SparsityKind::kl, 0.1, 0.05, 1};
  families.push_back({"sparse kl", kl});
  for (NoiseKind noise : {NoiseKind::gaussian, NoiseKind::mask, NoiseKind::salt_pepper}) {
    AutoencoderConfig denoising = base;
    denoising.noise = {noise, 0.2};
    families.push_back({std::string("denoising ") + noise_kind_name(noise), denoising});
  }
  AutoencoderConfig vae = base;
  vae.loss = ReconstructionLoss::bce;
  vae.variational = {true, 1.0};
  families.push_back({"variational", vae});
  // The contractive penalty needs a first layer with weights (dense or a convolution).
  if (base.encoder.empty() || base.encoder[0].has_parameters()) {
    AutoencoderConfig contractive = base;
    contractive.activation = Activation::sigmoid;
    contractive.contractive = {true, 0.1};
    families.push_back({"contractive", contractive});
  }
  return families;
}

}  // namespace latentlab_test
