// The model schema reads every configuration: names round-trip, defaults are
// filled in, each kind of mistake gets its own error class and a message
// naming the option, and every combination rule fires with its reason.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "architecture.h"
#include "errors.h"
#include "model_schema.h"

using latentlab::Activation;
using latentlab::AutoencoderConfig;
using latentlab::InvalidKind;
using latentlab::OutOfRange;
using nlohmann::json;

namespace {

json minimal() { return json{{"inputSize", 6}, {"latentSize", 2}}; }

json with(json config, const std::string& key, json value) {
  config[key] = std::move(value);
  return config;
}

}  // namespace

TEST_CASE("defaults are the schema's, and write -> read is the identity") {
  const AutoencoderConfig config = latentlab::read_model_config(with(minimal(), "encoder", {4}));
  CHECK(latentlab::resolve_architecture(config).decoder == std::vector<latentlab::LayerSpec>{4});
  CHECK(config.activation == Activation::relu);
  CHECK(config.decoder_hidden_activation() == Activation::relu);
  CHECK(config.latent_activation == Activation::identity);
  CHECK(config.output_activation == Activation::sigmoid);
  CHECK(config.seed == 0);
  CHECK(config.init == latentlab::WeightInit::pytorch);
  const json written = latentlab::write_model_config(config);
  CHECK(written.dump() ==
        R"({"activation":"relu","decoder":[4],"decoderActivation":"relu","encoder":[4],)"
        R"("init":"pytorch","inputSize":6,"latentActivation":"identity","latentSize":2,)"
        R"("loss":"mse","outputActivation":"sigmoid","seed":0})");
  CHECK(json(latentlab::write_model_config(latentlab::read_model_config(written))) == written);
  // The schema's own defaults, as it publishes them.
  for (const latentlab::OptionSpec& option : latentlab::model_options()) {
    CAPTURE(option.name);
    if (option.default_value.is_null() || option.name == "encoder") continue;  // encoder was given
    CHECK(written[option.name] == option.default_value);
  }
}

TEST_CASE("every choice of every option reads and writes back by its name") {
  for (const char* key : {"activation", "decoderActivation", "latentActivation"}) {
    for (const char* name : {"identity", "relu", "sigmoid", "tanh"}) {
      CAPTURE(key);
      CAPTURE(name);
      const json config = with(minimal(), key, name);
      CHECK(json(latentlab::write_model_config(latentlab::read_model_config(config)))[key] == name);
    }
  }
  for (const char* name : {"pytorch", "glorot", "he"}) {
    CHECK(json(latentlab::write_model_config(
              latentlab::read_model_config(with(minimal(), "init", name))))["init"] == name);
  }
  for (const char* name : {"gaussian", "mask", "salt-pepper"}) {
    const json noise = std::string(name) == "gaussian" ? json{{"kind", name}, {"std", 0.1}}
                                                       : json{{"kind", name}, {"rate", 0.1}};
    CHECK(json(latentlab::write_model_config(
              latentlab::read_model_config(with(minimal(), "noise", noise))))["noise"] == noise);
  }
}

TEST_CASE("a wrong type or unknown name is InvalidKind, a value out of bounds OutOfRange") {
  auto type_error = [](const json& config, const char* message) {
    CAPTURE(config.dump());
    CHECK_THROWS_WITH_AS(latentlab::read_model_config(config), message, InvalidKind);
  };
  auto range_error = [](const json& config, const char* message) {
    CAPTURE(config.dump());
    CHECK_THROWS_WITH_AS(latentlab::read_model_config(config), message, OutOfRange);
  };
  type_error(json::array(), "a model config must be an object, got []");
  type_error(with(minimal(), "hidden", 3),
             "unknown option 'hidden' (known: inputSize, inputShape, encoder, latentSize, decoder, "
             "activation, "
             "decoderActivation, latentActivation, outputActivation, loss, seed, init, sparsity, "
             "noise, variational, contractive)");
  type_error(json{{"latentSize", 2}},
             "inputSize is missing: Features per sample, e.g. 784 for 28 x 28 MNIST digits. (or "
             "give inputShape)");
  type_error(with(minimal(), "encoder", 4),
             "encoder must be an array of layers (numbers for dense layers), got 4");
  type_error(with(minimal(), "encoder", {{{"conv", 4}, {"pool", 2}}}),
             "encoder[0] must name one kind of layer, one of conv, deconv, pool, upsample, "
             "reshape, got {\"conv\":4,\"pool\":2}");
  type_error(with(minimal(), "encoder", {{{"convolution", 4}}}),
             "encoder[0] must name one kind of layer, one of conv, deconv, pool, upsample, "
             "reshape, got {\"convolution\":4}");
  type_error(with(minimal(), "encoder", {{{"conv", 4}, {"kernal", 3}}}),
             "encoder[0]: unknown option 'kernal' (known: conv, kernel, stride, padding)");
  type_error(with(minimal(), "encoder", {{{"conv", 4}}}),
             "encoder[0].kernel is missing: The kernel's height and width.");
  type_error(with(minimal(), "inputShape", {1, 28}),
             "inputShape must be an image shape [channels, height, width], got [1,28]");
  type_error(with(minimal(), "contractive", 0.1), "contractive must be an object, got 0.1");
  type_error(with(minimal(), "variational", {{"gamma", 1}}),
             "variational: unknown option 'gamma' (known: beta)");
  type_error(with(minimal(), "sparsity", {{"kind", "l1"}, {"weight", 1}, {"target", 0.1}}),
             "sparsity.target applies to kind 'kl' only, not 'l1'");
  range_error(with(minimal(), "inputSize", 0), "inputSize must be an integer in [1, 65536], got 0");
  range_error(with(minimal(), "encoder", {4, 2.5}),
              "encoder[1] must be an integer in [1, 65536], got 2.5");
  range_error(with(minimal(), "encoder", {{{"conv", 4}, {"kernel", 3}, {"stride", 0}}}),
              "encoder[0].stride must be an integer in [1, 64], got 0");
  range_error(with(minimal(), "inputShape", {1, 0, 6}),
              "inputShape[1] must be an integer in [1, 65536], got 0");
  range_error(with(minimal(), "seed", -1),
              "seed must be an integer in [0, 9007199254740991], got -1");
  range_error(with(minimal(), "activation", "gelu"),
              "activation must be one of 'identity', 'relu', 'sigmoid', 'tanh', got \"gelu\"");
  range_error(with(minimal(), "noise", {{"kind", "mask"}, {"rate", 1.5}}),
              "noise.rate must be a number in [0, 1], got 1.5");
  range_error(with(minimal(), "sparsity", {{"kind", "kl"}, {"weight", 1}, {"target", 1}}),
              "sparsity.target must be a number in (0, 1), got 1");
  range_error(with(minimal(), "contractive", {{"weight", NAN}}),
              "contractive.weight must be a number in [0, Infinity), got NaN");
}

TEST_CASE("each combination rule fires with its reason") {
  const std::vector<std::string>& rules = latentlab::model_rules();
  REQUIRE(rules.size() == 7);
  auto broken = [](json config, const char* fragment) {
    CAPTURE(config.dump());
    CHECK_THROWS_WITH_AS(latentlab::read_model_config(config), doctest::Contains(fragment),
                         OutOfRange);
  };
  broken(with(with(minimal(), "loss", "bce"), "outputActivation", "identity"),
         "loss 'bce' needs outputActivation 'sigmoid' (it is computed from the logits), got "
         "'identity'");
  broken(with(minimal(), "sparsity", {{"kind", "l1"}, {"weight", 1}, {"layer", 1}}),
         "sparsity.layer must be an encoder layer index in [0, 0], got 1");
  broken(with(with(minimal(), "variational", json::object()), "sparsity",
              {{"kind", "l1"}, {"weight", 1}, {"layer", 0}}),
         "cannot be the code layer of a variational model");
  broken(with(with(minimal(), "encoder", {4}), "sparsity",
              {{"kind", "kl"}, {"weight", 1}, {"target", 0.1}}),
         "so encoder layer 0 needs activation 'sigmoid', not 'relu'");
  broken(with(with(minimal(), "variational", json::object()), "contractive", {{"weight", 1}}),
         "contractive needs an encoder hidden layer in a variational model");
  const json image{{"inputShape", {1, 6, 6}}, {"latentSize", 2}};
  broken(with(with(image, "encoder", {{{"pool", 2}}}), "contractive", {{"weight", 1}}),
         "contractive needs a first encoder layer with weights (dense, conv or deconv), got pool "
         "2, which has no activation to differentiate");
  broken(with(minimal(), "encoder", {{{"conv", 2}, {"kernel", 3}}}),
         "encoder[0]: conv 2, kernel 3, stride 1, padding 0 needs an image [C, H, W] as its "
         "input, got 6 values: give inputShape");
}

TEST_CASE("image layers read and write back with every field; inputShape implies inputSize") {
  const json config{{"inputShape", {1, 6, 6}},
                    {"encoder", {{{"conv", 3}, {"kernel", 3}, {"padding", 1}}, {{"pool", 2}}, 5}},
                    {"latentSize", 2},
                    {"decoder",
                     {27,
                      {{"reshape", {3, 3, 3}}},
                      {{"upsample", 2}},
                      {{"deconv", 1}, {"kernel", 3}, {"stride", 1}, {"padding", 1}}}}};
  const AutoencoderConfig read = latentlab::read_model_config(config);
  CHECK(read.input_size == 36);
  REQUIRE(read.encoder.size() == 3);
  CHECK(read.encoder[0].kind == latentlab::LayerKind::conv);
  CHECK(read.encoder[0].stride == 1);
  CHECK(read.encoder[1].kind == latentlab::LayerKind::pool);
  CHECK(read.encoder[2] == latentlab::LayerSpec(5));
  const nlohmann::ordered_json written = latentlab::write_model_config(read);
  CHECK(written["inputShape"].dump() == "[1,6,6]");
  CHECK(written["encoder"].dump() ==
        R"([{"conv":3,"kernel":3,"stride":1,"padding":1},{"pool":2},5])");
  CHECK(written["decoder"].dump() ==
        R"([27,{"reshape":[3,3,3]},{"upsample":2},)"
        R"({"deconv":1,"kernel":3,"stride":1,"padding":1,"outputPadding":0}])");
  CHECK(json(latentlab::write_model_config(latentlab::read_model_config(json(written)))) ==
        json(written));
  CHECK_THROWS_WITH_AS(latentlab::read_model_config(with(config, "inputSize", 35)),
                       "inputSize 35 does not match inputShape [1, 6, 6] (36 values)", OutOfRange);
}

TEST_CASE("a noise option on its own reads as the configuration's does") {
  const latentlab::NoiseConfig noise =
      latentlab::read_noise_config(json{{"kind", "salt-pepper"}, {"rate", 0.2}}, "noise");
  CHECK(noise.kind == latentlab::NoiseKind::salt_pepper);
  CHECK(noise.level == 0.2);
  CHECK_THROWS_WITH_AS(
      latentlab::read_noise_config(json{{"kind", "gaussian"}, {"rate", 0.2}}, "noise"),
      "noise.rate applies to kind 'mask', 'salt-pepper' only, not 'gaussian'", InvalidKind);
}
