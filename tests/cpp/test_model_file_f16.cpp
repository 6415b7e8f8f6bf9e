// Model files with float16 tensors (safetensors dtype "F16"): a model saved as
// F16 loads back with every weight its nearest half; F32 files are the bytes
// they were before F16 existed; F16 and F32 tensors mix in one file; wrong
// byte spans and non-finite halves are refused naming the tensor; a weight
// beyond the half range is refused on save, naming tensor, index and value.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "autoencoder.h"
#include "float16.h"
#include "model_file.h"
#include "model_file_bytes.h"
#include "test_support.h"

using latentlab::Autoencoder;
using latentlab::AutoencoderConfig;
using latentlab::TensorType;
using latentlab_test::Bytes;
using latentlab_test::header_length;
using latentlab_test::header_of;
using latentlab_test::load;
using nlohmann::ordered_json;

namespace {

AutoencoderConfig small_config() {  // tensors [5, 6] [5] [4, 5] [4] [3, 4] [3] ... 12 in all
  AutoencoderConfig config;
  config.input_size = 6;
  config.encoder = {5, 4};
  config.latent_size = 3;
  config.seed = 7;
  return config;
}

Bytes data_of(const Bytes& file) {
  return Bytes(file.begin() + 8 + header_length(file), file.end());
}

Bytes file_from(const ordered_json& header, const Bytes& data) {
  const std::string text = header.dump();
  Bytes bytes(8 + text.size() + data.size());
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(text.size() >> (8 * i));
  std::copy(text.begin(), text.end(), bytes.begin() + 8);
  std::copy(data.begin(), data.end(), bytes.begin() + 8 + static_cast<long>(text.size()));
  return bytes;
}

// FNV-1a over bytes: a compact fingerprint of a whole file.
std::uint64_t fingerprint(const Bytes& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (std::uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001b3ull;
  return hash;
}

// The float nearest `value` among the halves: what an F16 file holds of it.
float half_rounded(float value) {
  return latentlab::float_from_half(latentlab::half_from_float(value));
}

// Parameters unlike any initialisation, spread over the half range: normals
// of every size, subnormals (below 2^-14), zeros of both signs, ties.
void set_spread_parameters(Autoencoder<float>& model) {
  for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
    const float sign = i % 2 ? -1.0f : 1.0f;
    model.parameters()(i) =
        sign * std::ldexp(1.0f + 0.37f * static_cast<float>(i % 7), static_cast<int>(i % 40) - 28);
  }
  model.parameters()(0) = 0.0f;
  model.parameters()(1) = -0.0f;
  model.parameters()(2) = 1.0f + std::ldexp(1.0f, -11);  // a tie: to 1
  model.parameters()(3) = 65504.0f;
  model.parameters()(4) = -65519.0f;  // rounds to -65504
  model.parameters()(5) = std::ldexp(1.0f, -24);
  model.parameters()(6) = 0.1f;
}

}  // namespace

TEST_CASE("a model saved as F16 loads back with every weight its nearest half") {
  Autoencoder<float> model(small_config());
  set_spread_parameters(model);
  const Bytes f32 = latentlab::save_model_file(model);
  const Bytes f16 = latentlab::save_model_file(model, TensorType::f16);

  // The same header but for dtype and offsets: two bytes a value.
  ordered_json header = header_of(f16);
  const ordered_json f32_header = header_of(f32);
  CHECK(header["__metadata__"] == f32_header["__metadata__"]);
  std::uint64_t values = 0;
  for (const latentlab::NamedTensor& tensor : model.tensors()) {
    CAPTURE(tensor.name);
    const ordered_json& entry = header[tensor.name];
    CHECK(entry["dtype"] == "F16");
    CHECK(entry["shape"] == f32_header[tensor.name]["shape"]);
    CHECK(entry["data_offsets"][0] == 2 * values);
    values += tensor.view.count();
    CHECK(entry["data_offsets"][1] == 2 * values);
  }
  CHECK(header_length(f16) % 8 == 0);
  CHECK(data_of(f16).size() == 2 * values);
  CHECK(data_of(f32).size() == 4 * values);

  const Autoencoder<float> loaded = load(f16);
  CHECK(latentlab::model_config_json(loaded.config()) ==
        latentlab::model_config_json(model.config()));
  long differences = 0, sign_differences = 0;
  for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
    const float expected = half_rounded(model.parameters()(i));
    if (loaded.parameters()(i) != expected) ++differences;
    if (std::signbit(loaded.parameters()(i)) != std::signbit(expected)) ++sign_differences;
  }
  CHECK(differences == 0);
  CHECK(sign_differences == 0);
  CHECK(loaded.parameters()(2) == 1.0f);
  CHECK(loaded.parameters()(4) == -65504.0f);
  CHECK(loaded.parameters()(5) == std::ldexp(1.0f, -24));
  CHECK(loaded.parameters()(6) == 0.0999755859375f);
  // The halves are exact floats: saved again, as F16 or F32, nothing moves.
  CHECK(latentlab::save_model_file(loaded, TensorType::f16) == f16);
  CHECK(latentlab_test::count_differences(load(latentlab::save_model_file(loaded)).parameters(),
                                          loaded.parameters()) == 0);
}

TEST_CASE("F16 data is little-endian binary16, row-major as F32's") {
  AutoencoderConfig config;
  config.input_size = 3;
  config.latent_size = 2;
  Autoencoder<float> model(config);  // W0 2 x 3 column-major in memory, b0, W1 3 x 2, b1
  for (Eigen::Index i = 0; i < model.parameters().size(); ++i) {
    model.parameters()(i) = static_cast<float>(i) + 0.5f;
  }
  const Bytes data = data_of(latentlab::save_model_file(model, TensorType::f16));
  REQUIRE(data.size() == 34);
  auto half_at = [&](int index) {
    return static_cast<std::uint16_t>(data[2 * index] | (data[2 * index + 1] << 8));
  };
  // Row-major on file: W(0,0) W(0,1) W(0,2) = params 0, 2, 4 = 0.5, 2.5, 4.5.
  CHECK(half_at(0) == 0x3800);  // 0.5
  CHECK(half_at(1) == 0x4100);  // 2.5
  CHECK(half_at(2) == 0x4480);  // 4.5
  CHECK(half_at(3) == 0x3e00);  // 1.5
  CHECK(data[0] == 0x00);       // 0.5 = 0x3800: low byte first
  CHECK(data[1] == 0x38);
}

TEST_CASE("F32 files are the bytes they were before F16 existed") {
  // Fingerprints of files the engine wrote before it knew F16 (the seeded
  // initialisation is the same natively and in wasm).
  const Autoencoder<float> model(small_config());
  const Bytes file = latentlab::save_model_file(model);
  CHECK(file == latentlab::save_model_file(model, TensorType::f32));
  CHECK(file.size() == 1772);
  CHECK(fingerprint(file) == 0xbc349d038a74118bull);
  AutoencoderConfig mnist;  // the default 784-256-32 MLP
  mnist.input_size = 784;
  mnist.encoder = {256};
  mnist.latent_size = 32;
  const Autoencoder<float> large(mnist);
  const Bytes large_file = latentlab::save_model_file(large);
  CHECK(large_file.size() == 1677432);
  CHECK(fingerprint(large_file) == 0xdc3b62f28a109ff3ull);
  // The same model in F16: the data halves, the header stays about the same.
  const Bytes large_f16 = latentlab::save_model_file(large, TensorType::f16);
  CHECK(data_of(large_f16).size() * 2 == data_of(large_file).size());
  CHECK(large_f16.size() < large_file.size() / 2 + 1024);
}

TEST_CASE("F16 and F32 tensors mix in one file, each read as its dtype says") {
  Autoencoder<float> model(small_config());
  set_spread_parameters(model);
  const Bytes f32 = latentlab::save_model_file(model);
  const Bytes f16 = latentlab::save_model_file(model, TensorType::f16);
  const ordered_json h32 = header_of(f32), h16 = header_of(f16);
  const Bytes d32 = data_of(f32), d16 = data_of(f16);
  // Even-numbered tensors in F16, odd ones in F32, packed in order.
  ordered_json mixed;
  mixed["__metadata__"] = h32["__metadata__"];
  Bytes data;
  int index = 0;
  std::vector<bool> halved;
  for (const latentlab::NamedTensor& tensor : model.tensors()) {
    const bool half = index++ % 2 == 0;
    halved.push_back(half);
    ordered_json entry = (half ? h16 : h32)[tensor.name];
    const Bytes& source = half ? d16 : d32;
    const std::uint64_t begin = entry["data_offsets"][0], end = entry["data_offsets"][1];
    entry["data_offsets"] = {data.size(), data.size() + (end - begin)};
    data.insert(data.end(), source.begin() + static_cast<long>(begin),
                source.begin() + static_cast<long>(end));
    mixed[tensor.name] = entry;
  }
  const Autoencoder<float> loaded = load(file_from(mixed, data));
  long differences = 0;
  index = 0;
  for (const latentlab::NamedTensor& tensor : model.tensors()) {
    const bool half = halved[index++];
    for (std::uint64_t i = 0; i < tensor.view.count(); ++i) {
      const float original = model.parameters()(tensor.view.offset + tensor.view.buffer_index(i));
      const float read = loaded.parameters()(tensor.view.offset + tensor.view.buffer_index(i));
      if (read != (half ? half_rounded(original) : original)) ++differences;
    }
  }
  CHECK(differences == 0);
  // Some weights differ between the two: the F32 tensors were read as F32.
  CHECK(latentlab_test::count_differences(loaded.parameters(), model.parameters()) > 0);
  CHECK(latentlab_test::count_differences(loaded.parameters(), load(f16).parameters()) > 0);
}

TEST_CASE("F16 tensors with the wrong byte span or other dtypes are refused, naming the tensor") {
  const Bytes f16 = latentlab::save_model_file(Autoencoder<float>(small_config()), TensorType::f16);
  const Bytes f32 = latentlab::save_model_file(Autoencoder<float>(small_config()));
  auto rejects = [](const Bytes& bytes, const std::string& message) {
    INFO("expected: " << message);
    CHECK_THROWS_WITH_AS(load(bytes), doctest::Contains(message.c_str()), std::invalid_argument);
  };
  SUBCASE("an F32 file relabelled F16: every span twice the bytes") {
    ordered_json header = header_of(f32);
    header["layers.0.weight"]["dtype"] = "F16";
    rejects(file_from(header, data_of(f32)),
            "tensor 'layers.0.weight' has shape [5, 6] (30 float16 values, 60 bytes) but its "
            "data_offsets span 120 bytes");
  }
  SUBCASE("an F16 file relabelled F32: every span half the bytes") {
    ordered_json header = header_of(f16);
    header["layers.2.bias"]["dtype"] = "F32";
    rejects(file_from(header, data_of(f16)),
            "tensor 'layers.2.bias' has shape [3] (3 float32 values, 12 bytes) but its "
            "data_offsets span 6 bytes");
  }
  SUBCASE("an odd span") {
    ordered_json header = header_of(f16);
    header["layers.0.bias"]["data_offsets"][1] =
        header["layers.0.bias"]["data_offsets"][1].get<std::uint64_t>() - 1;
    rejects(file_from(header, data_of(f16)),
            "tensor 'layers.0.bias' has shape [5] (5 float16 values, 10 bytes) but its "
            "data_offsets span 9 bytes");
  }
  SUBCASE("the shape's byte size is counted in the dtype's bytes") {
    // 2^62 values: 2^63 bytes as F16 (fits in 64 bits), 2^64 as F32 (does not).
    ordered_json header = header_of(f16);
    header["layers.0.bias"]["shape"] = {std::uint64_t(1) << 31, std::uint64_t(1) << 31};
    rejects(file_from(header, data_of(f16)),
            "(4611686018427387904 float16 values, 9223372036854775808 bytes) but its "
            "data_offsets span 10 bytes");
    header["layers.0.bias"]["dtype"] = "F32";
    rejects(file_from(header, data_of(f16)),
            "tensor 'layers.0.bias': the shape's byte size does not fit in 64 bits");
  }
  SUBCASE("dtypes other than F32 and F16") {
    for (const char* dtype : {"F64", "BF16", "f16", "F8_E4M3", "I16"}) {
      CAPTURE(std::string(dtype));
      ordered_json header = header_of(f16);
      header["layers.1.weight"]["dtype"] = dtype;
      rejects(file_from(header, data_of(f16)), "tensor 'layers.1.weight' has dtype \"" +
                                                   std::string(dtype) +
                                                   "\", only \"F32\" and \"F16\" are supported");
    }
    ordered_json header = header_of(f16);
    header["layers.1.weight"]["dtype"] = 16;
    rejects(file_from(header, data_of(f16)),
            "tensor 'layers.1.weight' has dtype 16, only \"F32\" and \"F16\" are supported");
  }
}

TEST_CASE("an F16 file whose halves are not finite is refused, naming the tensor and the index") {
  const Bytes good =
      latentlab::save_model_file(Autoencoder<float>(small_config()), TensorType::f16);
  const ordered_json header = header_of(good);
  const std::uint64_t begin = header["layers.0.weight"]["data_offsets"][0];
  const std::uint64_t columns = header["layers.0.weight"]["shape"][1];
  const std::size_t at = 8 + header_length(good) + begin + 2 * (columns + 2);  // element [1, 2]
  for (const auto& [bits, text] : {std::pair<std::uint16_t, const char*>{0x7e00, "NaN"},
                                   {0x7c01, "NaN"},
                                   {0xfe00, "NaN"},
                                   {0x7c00, "Infinity"},
                                   {0xfc00, "-Infinity"}}) {
    Bytes bad = good;
    bad[at] = static_cast<std::uint8_t>(bits);
    bad[at + 1] = static_cast<std::uint8_t>(bits >> 8);
    const std::string message = "model file: tensor 'layers.0.weight' holds " + std::string(text) +
                                " at [1, 2]: every weight must be finite";
    CHECK_THROWS_WITH_AS(load(bad), message.c_str(), std::invalid_argument);
  }
}

TEST_CASE("saving as F16 refuses a weight beyond the half range, naming tensor, index and value") {
  const Autoencoder<float> model(small_config());
  const latentlab::NamedTensor weight = model.tensors()[2];  // layers.1.weight, [4, 5]
  REQUIRE(weight.name == "layers.1.weight");
  // Element [2, 3] of the [out, in] tensor: column-major in the buffer.
  const Eigen::Index at = static_cast<Eigen::Index>(weight.view.offset + 3 * 4 + 2);
  auto refuses = [&](float value, const std::string& message) {
    Autoencoder<float> copy(small_config());
    copy.parameters()(at) = value;
    CAPTURE(value);
    CHECK_THROWS_WITH_AS(latentlab::save_model_file(copy, TensorType::f16), message.c_str(),
                         std::invalid_argument);
    CHECK_NOTHROW(latentlab::save_model_file(copy));  // F32 holds it
  };
  const std::string range =
      ", beyond the float16 range (the largest half is 65504; from 65520 on a value would round "
      "to Infinity): save it as F32";
  refuses(70000.0f,
          "model file: cannot save as F16: tensor 'layers.1.weight' holds 70000 at "
          "[2, 3]" +
              range);
  refuses(-65520.0f,
          "model file: cannot save as F16: tensor 'layers.1.weight' holds -65520 at "
          "[2, 3]" +
              range);
  refuses(3e38f,
          "model file: cannot save as F16: tensor 'layers.1.weight' holds 3e+38 at [2, 3]" + range);
  refuses(-123456.5f,
          "model file: cannot save as F16: tensor 'layers.1.weight' holds -123456.5 "
          "at [2, 3]" +
              range);
  // A weight that is not finite is refused in the words of the reader.
  refuses(std::numeric_limits<float>::quiet_NaN(),
          "model file: cannot save as F16: tensor 'layers.1.weight' holds NaN at [2, 3]: every "
          "weight must be finite");
  refuses(-std::numeric_limits<float>::infinity(),
          "model file: cannot save as F16: tensor 'layers.1.weight' holds -Infinity at [2, 3]: "
          "every weight must be finite");
  // Just inside: rounds to the largest half and saves.
  Autoencoder<float> edge(small_config());
  edge.parameters()(at) = 65519.0f;
  CHECK(load(latentlab::save_model_file(edge, TensorType::f16)).parameters()(at) == 65504.0f);
  // A bias is named too, as [index].
  Autoencoder<float> bias(small_config());
  bias.parameters()(static_cast<Eigen::Index>(model.tensors()[5].view.offset + 1)) = 1e6f;
  CHECK_THROWS_WITH_AS(latentlab::save_model_file(bias, TensorType::f16),
                       doctest::Contains("tensor 'layers.2.bias' holds 1000000 at [1]"),
                       std::invalid_argument);
}

TEST_CASE("tensor type names: F32 and F16, nothing else") {
  CHECK(std::string(latentlab::tensor_type_name(TensorType::f32)) == "F32");
  CHECK(std::string(latentlab::tensor_type_name(TensorType::f16)) == "F16");
  CHECK(latentlab::tensor_type_named("F32") == TensorType::f32);
  CHECK(latentlab::tensor_type_named("F16") == TensorType::f16);
  CHECK_FALSE(latentlab::tensor_type_named("f16").has_value());
  CHECK_FALSE(latentlab::tensor_type_named("BF16").has_value());
  CHECK_FALSE(latentlab::tensor_type_named("").has_value());
}
