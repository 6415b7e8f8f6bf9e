// One configuration of every family on a given base model, for the tests
// that must hold for all of them (no allocation per step, the same bits on
// any number of threads).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "autoencoder_config.h"

namespace latentlab_test {

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
  AutoencoderConfig contractive = base;
  contractive.activation = Activation::sigmoid;
  contractive.contractive = {true, 0.1};
  families.push_back({"contractive", contractive});
  return families;
}

}  // namespace latentlab_test
