// Model file: the safetensors layout worked out by hand for a tiny model, round
// trips of every family that keep every parameter and config field, with the
// tensors the layer plan names, byte-identical re-saves; version 1 files
// (before "init") still read; and every kind of malformed or hostile file,
// each rejected with std::invalid_argument saying what is wrong, before
// anything is allocated.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "model_file.h"
#include "model_file_bytes.h"
#include "test_support.h"

using latentlab::Activation;
using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::NoiseKind;
using latentlab::ReconstructionLoss;
using latentlab::SparsityKind;
using latentlab_test::Bytes;
using latentlab_test::header_length;
using latentlab_test::header_of;
using latentlab_test::load;
using nlohmann::ordered_json;

namespace {

// `config` with its decoder and decoder activation written out, as a file
// written by the schema's write_model_config holds them: the round trips of
// the families below test the tensors, not whether a mirror stays implicit
// (the "plain model" round trip does that).
AutoencoderConfig resolved(AutoencoderConfig config) {
  config.decoder = latentlab::resolve_architecture(config).decoder;
  config.decoder_activation = config.decoder_hidden_activation();
  return config;
}

AutoencoderConfig small_config() {
  AutoencoderConfig config;
  config.input_size = 6;
  config.encoder = {5, 4};
  config.latent_size = 3;
  config.seed = 7;
  return config;
}

// Every field away from its default, every optional part present.
AutoencoderConfig config_with_every_part() {
  AutoencoderConfig config = small_config();
  config.decoder = std::vector<latentlab::LayerSpec>{2, 5};
  config.activation = Activation::sigmoid;
  config.decoder_activation = Activation::relu;
  config.latent_activation = Activation::tanh;
  config.output_activation = Activation::sigmoid;
  config.loss = ReconstructionLoss::bce;
  config.seed = 123456789012345ull;
  config.sparsity = {SparsityKind::kl, 0.25, 0.1, 1};
  config.noise = {NoiseKind::salt_pepper, 0.3};
  config.contractive = {true, 0.01};
  return config;
}

void check_same_config(const AutoencoderConfig& a, const AutoencoderConfig& b) {
  CHECK(a.input_size == b.input_size);
  CHECK(a.encoder == b.encoder);
  CHECK(a.latent_size == b.latent_size);
  // A file holds the resolved configuration: the decoder and its activation
  // are written out even where they were left to their defaults.
  CHECK(latentlab::resolve_architecture(a).decoder == latentlab::resolve_architecture(b).decoder);
  CHECK(a.activation == b.activation);
  CHECK(a.decoder_hidden_activation() == b.decoder_hidden_activation());
  CHECK(a.latent_activation == b.latent_activation);
  CHECK(a.output_activation == b.output_activation);
  CHECK(a.loss == b.loss);
  CHECK(a.seed == b.seed);
  CHECK(a.init == b.init);
  CHECK(a.sparsity.kind == b.sparsity.kind);
  CHECK(a.sparsity.weight == b.sparsity.weight);
  CHECK(a.sparsity.target == b.sparsity.target);
  CHECK(a.sparsity.layer == b.sparsity.layer);
  CHECK(a.noise.kind == b.noise.kind);
  CHECK(a.noise.level == b.noise.level);
  CHECK(a.variational.enabled == b.variational.enabled);
  CHECK(a.variational.beta == b.variational.beta);
  CHECK(a.contractive.enabled == b.contractive.enabled);
  CHECK(a.contractive.weight == b.contractive.weight);
}

Bytes data_of(const Bytes& file) {
  return Bytes(file.begin() + 8 + header_length(file), file.end());
}

// A file from any header text and data bytes (no padding, any length field).
Bytes file_from(const std::string& header, const Bytes& data, std::uint64_t length) {
  Bytes bytes(8 + header.size() + data.size());
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(length >> (8 * i));
  std::copy(header.begin(), header.end(), bytes.begin() + 8);
  std::copy(data.begin(), data.end(), bytes.begin() + 8 + static_cast<long>(header.size()));
  return bytes;
}

Bytes file_from(const ordered_json& header, const Bytes& data) {
  const std::string text = header.dump();
  return file_from(text, data, text.size());
}

float float_at(const Bytes& data, std::size_t index) {
  std::uint32_t bits = 0;
  for (int i = 3; i >= 0; --i) bits = (bits << 8) | data[4 * index + i];
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

TEST_CASE("the file is safetensors: length, padded JSON header, row-major little-endian tensors") {
  AutoencoderConfig config;
  config.input_size = 3;
  config.latent_size = 2;
  Autoencoder<float> model(config);  // layers: 3 -> 2 -> 3
  for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
    model.parameters()(i) = static_cast<float>(i) + 0.5f;
  }
  const Bytes file = latentlab::save_model_file(model);

  const std::uint64_t length = header_length(file);
  CHECK(length % 8 == 0);
  const std::string text(file.begin() + 8, file.begin() + 8 + static_cast<long>(length));
  CHECK(text.front() == '{');
  CHECK(text.find_last_not_of(' ') == text.find_last_of('}'));

  const ordered_json header = header_of(file);
  CHECK(header["__metadata__"]["format"] == "latentlab");
  CHECK(header["__metadata__"]["version"] == "2");
  CHECK(header["__metadata__"]["config"] ==
        R"({"inputSize":3,"encoder":[],"latentSize":2,"decoder":[],"activation":"relu",)"
        R"("decoderActivation":"relu","latentActivation":"identity","outputActivation":"sigmoid",)"
        R"("loss":"mse","seed":0,"init":"pytorch"})");
  // Layer 0: W is 2 x 3 (6 floats, 24 bytes), b is 2; layer 1: W 3 x 2, b 3.
  CHECK(header["layers.0.weight"] ==
        ordered_json::parse(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,24]})"));
  CHECK(header["layers.0.bias"] ==
        ordered_json::parse(R"({"dtype":"F32","shape":[2],"data_offsets":[24,32]})"));
  CHECK(header["layers.1.weight"] ==
        ordered_json::parse(R"({"dtype":"F32","shape":[3,2],"data_offsets":[32,56]})"));
  CHECK(header["layers.1.bias"] ==
        ordered_json::parse(R"({"dtype":"F32","shape":[3],"data_offsets":[56,68]})"));

  // In memory W0 is column-major: params 0..5 = W(0,0) W(1,0) W(0,1) W(1,1) W(0,2) W(1,2).
  // On file it is row-major: W(0,0) W(0,1) W(0,2) W(1,0) ...
  const Bytes data = data_of(file);
  REQUIRE(data.size() == 68);
  const float expected_w0[] = {0.5f, 2.5f, 4.5f, 1.5f, 3.5f, 5.5f};
  for (int i = 0; i < 6; ++i) CHECK(float_at(data, i) == expected_w0[i]);
  CHECK(float_at(data, 6) == 6.5f);  // b0
  CHECK(float_at(data, 7) == 7.5f);
  // Little-endian: 0.5f is 0x3F000000, so its first byte on file is 0x00 and its last 0x3F.
  CHECK(data[0] == 0x00);
  CHECK(data[3] == 0x3F);
}

TEST_CASE("the config's JSON names every part as the JavaScript API does") {
  AutoencoderConfig config = config_with_every_part();
  CHECK(
      latentlab::model_config_json(config) ==
      R"({"inputSize":6,"encoder":[5,4],"latentSize":3,"decoder":[2,5],"activation":"sigmoid",)"
      R"("decoderActivation":"relu","latentActivation":"tanh","outputActivation":"sigmoid","loss":"bce",)"
      R"("seed":123456789012345,"init":"pytorch",)"
      R"("sparsity":{"kind":"kl","weight":0.25,"target":0.1,"layer":1},)"
      R"("noise":{"kind":"salt-pepper","rate":0.3},"contractive":{"weight":0.01}})");
  config.sparsity = {SparsityKind::l1, 2, 0.05, 0};
  config.noise = {NoiseKind::gaussian, 0.5};
  config.contractive = {};
  config.variational = {true, 4};
  const std::string json = latentlab::model_config_json(config);
  CHECK(json.find(R"("sparsity":{"kind":"l1","weight":2.0,"layer":0})") != std::string::npos);
  CHECK(json.find(R"("noise":{"kind":"gaussian","std":0.5})") != std::string::npos);
  CHECK(json.find(R"("variational":{"beta":4.0})") != std::string::npos);
  CHECK(json.find("contractive") == std::string::npos);
}

TEST_CASE("save -> load keeps every parameter and config field; a re-save is byte-identical") {
  SUBCASE("every part present, explicit decoder") {
    const Autoencoder<float> model(config_with_every_part());
    const Bytes file = latentlab::save_model_file(model);
    const Autoencoder<float> loaded = load(file);
    check_same_config(loaded.config(), model.config());
    CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
    CHECK(latentlab::save_model_file(loaded) == file);
  }
  SUBCASE("plain model: the file states the mirrored decoder it resolved") {
    const Autoencoder<float> model(small_config());
    const Bytes file = latentlab::save_model_file(model);
    const Autoencoder<float> loaded = load(file);
    CHECK(loaded.config().decoder == std::vector<latentlab::LayerSpec>{4, 5});
    check_same_config(loaded.config(), model.config());
    CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
    CHECK(latentlab::save_model_file(loaded) == file);
  }
  SUBCASE("every family and the other initialisations") {
    struct Case {
      const char* name;
      AutoencoderConfig config;
    };
    std::vector<Case> cases;
    for (NoiseKind kind : {NoiseKind::gaussian, NoiseKind::mask, NoiseKind::salt_pepper}) {
      AutoencoderConfig config = small_config();
      config.noise = {kind, 0.25};
      cases.push_back({latentlab::noise_kind_name(kind), config});
    }
    AutoencoderConfig config = small_config();
    config.sparsity = {SparsityKind::l1, 0.5, 0.05, 2};
    cases.push_back({"l1", config});
    config = small_config();
    config.activation = Activation::sigmoid;
    config.sparsity = {SparsityKind::kl, 0.5, 0.2, 0};
    cases.push_back({"kl", config});
    config = small_config();
    config.contractive = {true, 0.1};
    cases.push_back({"contractive", config});
    config = small_config();
    config.variational = {true, 2.0};
    config.loss = ReconstructionLoss::bce;
    config.noise = {NoiseKind::mask, 0.1};
    config.sparsity = {SparsityKind::l1, 0.5, 0.05, 1};
    config.contractive = {true, 0.1};
    cases.push_back({"variational with every other part", config});
    config = small_config();
    config.init = latentlab::WeightInit::glorot;
    cases.push_back({"glorot", config});
    config.init = latentlab::WeightInit::he;
    config.encoder = {};
    cases.push_back({"he, no hidden layers", config});
    for (const Case& c : cases) {
      CAPTURE(std::string(c.name));
      Autoencoder<float> model(resolved(c.config));
      // Parameters unlike any initialisation, so that nothing can pass by chance.
      for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
        model.parameters()(i) = 0.001f * static_cast<float>(i) - 0.5f;
      }
      const Bytes file = latentlab::save_model_file(model);
      // The header's tensors are the plan's, in its names and shapes.
      const ordered_json header = header_of(file);
      const std::vector<latentlab::NamedTensor> tensors = model.tensors();
      CHECK(header.size() == tensors.size() + 1);
      for (const latentlab::NamedTensor& tensor : tensors) {
        CAPTURE(tensor.name);
        REQUIRE(header.contains(tensor.name));
        CHECK(header[tensor.name]["shape"] == ordered_json(tensor.view.shape));
      }
      const Autoencoder<float> loaded = load(file);
      check_same_config(loaded.config(), model.config());
      CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
      CHECK(latentlab::save_model_file(loaded) == file);
      const latentlab::Matrix<float> inputs = latentlab_test::unit_interval_data<float>(6, 3, 1);
      CHECK(latentlab_test::count_differences(loaded.reconstruct(inputs),
                                              model.reconstruct(inputs)) == 0);
    }
  }
  SUBCASE("variational: the code layer holds the mean and log-variance heads") {
    AutoencoderConfig config = small_config();
    config.variational = {true, 0.5};
    const Autoencoder<float> model(config);
    const Bytes file = latentlab::save_model_file(model);
    CHECK(header_of(file)["layers.2.weight"]["shape"] == ordered_json::parse("[6,4]"));
    CHECK(header_of(file)["layers.3.weight"]["shape"] == ordered_json::parse("[4,3]"));
    const Autoencoder<float> loaded = load(file);
    check_same_config(loaded.config(), model.config());
    CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
    CHECK(latentlab::save_model_file(loaded) == file);
  }
}

TEST_CASE("tensors may come in any order in the header and the data") {
  // Other safetensors writers order tensors by name: layers.0.bias before layers.0.weight.
  const Autoencoder<float> model(small_config());
  const Bytes file = latentlab::save_model_file(model);
  const ordered_json header = header_of(file);
  const Bytes data = data_of(file);
  ordered_json reordered;
  Bytes reordered_data;
  reordered["__metadata__"] = header["__metadata__"];
  for (auto it = header.rbegin(); it != header.rend(); ++it) {  // last tensor first
    if (it.key() == "__metadata__") continue;
    ordered_json entry = it.value();
    const std::uint64_t begin = entry["data_offsets"][0];
    const std::uint64_t end = entry["data_offsets"][1];
    entry["data_offsets"] = {reordered_data.size(), reordered_data.size() + (end - begin)};
    reordered_data.insert(reordered_data.end(), data.begin() + static_cast<long>(begin),
                          data.begin() + static_cast<long>(end));
    reordered[it.key()] = entry;
  }
  const Autoencoder<float> loaded = load(file_from(reordered, reordered_data));
  CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
}

TEST_CASE("malformed model files are rejected with a message saying what is wrong") {
  const Bytes good = latentlab::save_model_file(Autoencoder<float>(small_config()));
  const ordered_json header = header_of(good);
  const Bytes data = data_of(good);
  auto rejects = [](const Bytes& bytes, const std::string& message) {
    INFO("expected: " << message);
    CHECK_THROWS_WITH_AS(load(bytes), doctest::Contains(message.c_str()), std::invalid_argument);
  };
  auto with_config = [&](const std::string& config) {
    ordered_json changed = header;
    changed["__metadata__"]["config"] = config;
    return file_from(changed, data);
  };
  auto with_tensor = [&](const char* name, const char* field, const ordered_json& value) {
    ordered_json changed = header;
    changed[name][field] = value;
    return file_from(changed, data);
  };

  SUBCASE("truncated before the header length") {
    rejects(Bytes(good.begin(), good.begin() + 5), "model file: truncated: 5 bytes");
    CHECK_THROWS_AS(latentlab::load_model_file(nullptr, 0), std::invalid_argument);
  }
  SUBCASE("a header length past the end of the file, up to 2^64 - 1") {
    rejects(Bytes(good.begin(), good.begin() + 20), "runs past the end of the file (12 bytes");
    for (std::uint64_t length : {std::uint64_t(1) << 40, ~std::uint64_t(0)}) {
      rejects(file_from("{}", {}, length), "header length " + std::to_string(length));
    }
  }
  SUBCASE("truncated data") { rejects(Bytes(good.begin(), good.end() - 1), "reach past the"); }
  SUBCASE("the header is not JSON, or not an object") {
    rejects(file_from("{\"__metadata__\": ", {}, 17), "the header is not valid JSON");
    rejects(file_from("[1, 2]", {}, 6), "the header must be a JSON object");
  }
  SUBCASE("metadata: missing, not strings, wrong format or version") {
    ordered_json changed = header;
    changed.erase("__metadata__");
    rejects(file_from(changed, data), "no __metadata__");
    changed = header;
    changed["__metadata__"]["format"] = "pytorch";
    rejects(file_from(changed, data), "__metadata__.format is 'pytorch', expected 'latentlab'");
    changed = header;
    for (const char* version : {"3", "0", "", "2.0"}) {
      CAPTURE(std::string(version));
      changed["__metadata__"]["version"] = version;
      rejects(file_from(changed, data), "unsupported version '" + std::string(version) +
                                            "' (this engine reads versions 1 and 2)");
    }
    changed = header;
    changed["__metadata__"]["version"] = 1;
    rejects(file_from(changed, data), "__metadata__.version must be a string");
    changed = header;
    changed["__metadata__"].erase("config");
    rejects(file_from(changed, data), "__metadata__ has no 'config'");
  }
  SUBCASE("config: not JSON, unknown or missing keys, wrong types, failing validation") {
    rejects(with_config("{\"inputSize\":"), "__metadata__.config is not valid JSON");
    const std::string config = header["__metadata__"]["config"];
    auto replaced = [&](const std::string& from, const std::string& to) {
      std::string text = config;
      REQUIRE(text.find(from) != std::string::npos);
      return with_config(text.replace(text.find(from), from.size(), to));
    };
    // The configuration is read by the model schema, as createModel's is: the
    // same messages (model_schema.cpp), naming the option.
    rejects(replaced("\"seed\"", "\"colour\""), "unknown option 'colour' (known: inputSize,");
    rejects(replaced("\"latentSize\"", "\"latent\""), "unknown option 'latent'");
    rejects(replaced("\"latentSize\":3", "\"latentSize\":0"),
            "latentSize must be an integer in [1, 65536], got 0");
    rejects(replaced("\"latentSize\":3", "\"latentSize\":3.5"),
            "latentSize must be an integer in [1, 65536], got 3.5");
    rejects(replaced("\"latentSize\":3", "\"latentSize\":4294967296"),
            "latentSize must be an integer in [1, 65536], got 4294967296");
    rejects(replaced("\"encoder\":[5,4]", "\"encoder\":[5,\"4\"]"),
            "encoder[1] must be an integer in [1, 65536], got \"4\"");
    rejects(replaced("\"relu\"", "\"swish\""), "activation must be one of 'identity', 'relu'");
    rejects(replaced("\"seed\":7", "\"seed\":-1"),
            "seed must be an integer in [0, 9007199254740991]");
    rejects(replaced("\"inputSize\":6,", ""), "inputSize is missing");
    rejects(replaced("\"seed\":7", "\"seed\":7,\"noise\":{\"kind\":\"gaussian\",\"rate\":0.1}"),
            "noise.rate applies to kind 'mask', 'salt-pepper' only, not 'gaussian'");
    rejects(replaced("\"seed\":7",
                     "\"seed\":7,\"sparsity\":{\"kind\":\"l2\",\"weight\":1,\"layer\":0}"),
            "sparsity.kind must be one of 'l1', 'kl', got \"l2\"");
    rejects(replaced("\"seed\":7", "\"seed\":7,\"variational\":{\"beta\":-1}"),
            "variational.beta must be a number in [0, Infinity), got -1");
    rejects(with_config("[]"), "a model config must be an object, got []");
  }
  SUBCASE("dtype other than F32 and F16 (test_model_file_f16.cpp has more)") {
    rejects(with_tensor("layers.0.weight", "dtype", "F64"),
            "tensor 'layers.0.weight' has dtype \"F64\", only \"F32\" and \"F16\" are supported");
  }
  SUBCASE("shapes: negative, fractional, enormous, overflowing, or not what the config implies") {
    rejects(with_tensor("layers.0.bias", "shape", {-5}), "shape[0] must be a non-negative integer");
    rejects(with_tensor("layers.0.bias", "shape", {2.5}),
            "shape[0] must be a non-negative integer");
    // 2^40 floats claimed, 20 bytes spanned: rejected before any allocation.
    rejects(
        with_tensor("layers.0.bias", "shape", {std::uint64_t(1) << 40}),
        "(1099511627776 float32 values, 4398046511104 bytes) but its data_offsets span 20 bytes");
    rejects(with_tensor("layers.0.bias", "shape", {std::uint64_t(1) << 32, std::uint64_t(1) << 32}),
            "the shape's byte size does not fit in 64 bits");
    rejects(with_tensor("layers.0.weight", "shape", {6, 5}),
            "tensor 'layers.0.weight' has shape [6, 5], the config implies [5, 6]");
  }
  SUBCASE("offsets: reversed, past the end, overlapping, with gaps, or leaving bytes over") {
    rejects(with_tensor("layers.0.bias", "data_offsets", {140, 120}), "end before they begin");
    rejects(with_tensor("layers.0.bias", "data_offsets", {120}),
            "data_offsets must be [begin, end]");
    rejects(
        with_tensor("layers.0.bias", "data_offsets", {~std::uint64_t(0) - 19, ~std::uint64_t(0)}),
        "reach past the");
    rejects(with_tensor("layers.0.bias", "data_offsets", {0, 20}), "overlap");
    Bytes longer = data;
    longer.resize(data.size() + 24);
    ordered_json moved = header;  // layers.0.bias [120, 140) moved past the end
    moved["layers.0.bias"]["data_offsets"] = {data.size() + 4, data.size() + 24};
    rejects(file_from(moved, longer),
            "20 bytes of the data before tensor 'layers.1.weight' belong to no tensor");
    longer.resize(data.size() + 8);
    rejects(file_from(header, longer), "8 bytes of data after the last tensor belong to no tensor");
  }
  SUBCASE("tensors missing, unexpected, or with unknown fields") {
    ordered_json changed = header;
    const std::uint64_t end = changed["layers.5.bias"]["data_offsets"][1];
    changed.erase("layers.5.bias");
    rejects(file_from(changed, Bytes(data.begin(), data.begin() + static_cast<long>(end) - 24)),
            "tensor 'layers.5.bias' is missing (the config implies 12 tensors)");
    changed = header;
    changed["layers.6.bias"] = {
        {"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {data.size(), data.size() + 4}}};
    Bytes longer = data;
    longer.resize(data.size() + 4);
    rejects(file_from(changed, longer), "unexpected tensor 'layers.6.bias'");
    rejects(with_tensor("layers.0.bias", "name", "b"),
            "tensor 'layers.0.bias' has an unknown field 'name'");
  }
  SUBCASE("a valid config implying 2^32 weights or 2^24, with a few bytes of data") {
    // Layers of 65536 x 65536 would need 16 GiB each: the configuration is
    // refused before the model is built (and a smaller one that does not
    // match the file's tensors, by the comparison with the file).
    AutoencoderConfig huge;
    huge.input_size = 65536;
    huge.latent_size = 65536;
    ordered_json changed = header;
    changed["__metadata__"]["config"] = latentlab::model_config_json(huge);
    rejects(file_from(changed, data), "the model would hold 8590065664 parameters (34.4 GB");
    AutoencoderConfig large;
    large.input_size = 4096;
    large.latent_size = 4096;
    changed["__metadata__"]["config"] = latentlab::model_config_json(large);
    rejects(file_from(changed, data),
            "tensor 'layers.0.weight' has shape [5, 6], the config implies [4096, 4096]");
  }
}

// ---------------------------------------------------------------------------
// Version 1

namespace {

// `file` rewritten as version 1 wrote it: version "1", the config without
// "init" (or with `init` when given), the same tensors.
Bytes as_version_1(const Bytes& file, const char* init = nullptr) {
  ordered_json header = header_of(file);
  ordered_json config = ordered_json::parse(header["__metadata__"]["config"].get<std::string>());
  REQUIRE(config.contains("init"));
  config.erase("init");
  if (init != nullptr) config["init"] = init;
  header["__metadata__"]["version"] = "1";
  header["__metadata__"]["config"] = config.dump();
  return file_from(header, data_of(file));
}

}  // namespace

TEST_CASE("a version 1 file (no init: PyTorch's) still loads, and saves as version 2") {
  AutoencoderConfig config = small_config();
  config.variational = {true, 0.5};
  const Autoencoder<float> model(resolved(config));
  const Bytes file = latentlab::save_model_file(model);
  const Bytes old = as_version_1(file);
  const Autoencoder<float> loaded = load(old);
  CHECK(loaded.config().init == latentlab::WeightInit::pytorch);
  check_same_config(loaded.config(), model.config());
  CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) == 0);
  // Saved again it is today's file.
  CHECK(latentlab::save_model_file(loaded) == file);
}

TEST_CASE("a version 1 file that names an init is rejected: version 1 had none") {
  const Bytes file = latentlab::save_model_file(Autoencoder<float>(small_config()));
  for (const char* init : {"pytorch", "glorot"}) {
    CAPTURE(std::string(init));
    CHECK_THROWS_WITH_AS(load(as_version_1(file, init)),
                         doctest::Contains("model file: config: 'init' is not part of version 1"),
                         std::invalid_argument);
  }
}

TEST_CASE("a file whose weights are not finite is rejected, naming the tensor and the index") {
  const Bytes good = latentlab::save_model_file(Autoencoder<float>(small_config()));
  const ordered_json header = header_of(good);
  // The first matrix of the header, and the bytes of its element [1, 2].
  std::string name;
  std::uint64_t begin = 0, columns = 0;
  for (const auto& item : header.items()) {
    if (item.key() != "__metadata__" && item.value()["shape"].size() == 2) {
      name = item.key();
      begin = item.value()["data_offsets"][0].get<std::uint64_t>();
      columns = item.value()["shape"][1].get<std::uint64_t>();
      break;
    }
  }
  REQUIRE(columns > 2);
  const std::size_t at = 8 + header_length(good) + begin + 4 * (columns + 2);
  for (const auto& [bits, text] : {std::pair<std::uint32_t, const char*>{0x7fc00000u, "NaN"},
                                   {0x7f800000u, "Infinity"},
                                   {0xff800000u, "-Infinity"}}) {
    Bytes bad = good;
    for (int i = 0; i < 4; ++i) bad[at + i] = static_cast<std::uint8_t>(bits >> (8 * i));
    const std::string message = "model file: tensor '" + name + "' holds " + text +
                                " at [1, 2]: every weight must be finite";
    CHECK_THROWS_WITH_AS(load(bad), message.c_str(), std::invalid_argument);
  }
}
