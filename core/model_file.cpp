#include "model_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace latentlab {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;  // keeps keys in insertion order: same model, same bytes

constexpr const char* kFormat = "latentlab";
constexpr const char* kVersion = "1";
// The safetensors reference implementation refuses larger headers too.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::uint64_t kFloatBytes = 4;

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("model file: " + message);
}

// ---- the config as JSON ----------------------------------------------------

const char* sparsity_kind_name(SparsityKind kind) { return kind == SparsityKind::kl ? "kl" : "l1"; }

ordered_json config_to_json(const AutoencoderConfig& config) {
  ordered_json j;
  j["inputSize"] = config.input_size;
  j["encoder"] = config.encoder;
  j["latentSize"] = config.latent_size;
  if (config.decoder) j["decoder"] = *config.decoder;
  j["activation"] = activation_name(config.activation);
  if (config.decoder_activation) {
    j["decoderActivation"] = activation_name(*config.decoder_activation);
  }
  j["latentActivation"] = activation_name(config.latent_activation);
  j["outputActivation"] = activation_name(config.output_activation);
  j["loss"] = loss_name(config.loss);
  j["seed"] = config.seed;
  if (config.sparsity.kind != SparsityKind::none) {
    ordered_json sparsity;
    sparsity["kind"] = sparsity_kind_name(config.sparsity.kind);
    sparsity["weight"] = config.sparsity.weight;
    if (config.sparsity.kind == SparsityKind::kl) sparsity["target"] = config.sparsity.target;
    sparsity["layer"] = config.sparsity.layer;
    j["sparsity"] = sparsity;
  }
  if (config.noise.kind != NoiseKind::none) {
    ordered_json noise;
    noise["kind"] = noise_kind_name(config.noise.kind);
    noise[config.noise.kind == NoiseKind::gaussian ? "std" : "rate"] = config.noise.level;
    j["noise"] = noise;
  }
  if (config.variational.enabled) {
    j["variational"] = ordered_json{{"beta", config.variational.beta}};
  }
  if (config.contractive.enabled) {
    j["contractive"] = ordered_json{{"weight", config.contractive.weight}};
  }
  return j;
}

// Reads the fields of one JSON object, refusing unknown keys and wrong types.
// Errors name the field as the JavaScript API does (e.g. "sparsity.weight").
class ConfigReader {
 public:
  ConfigReader(const json& object, std::string prefix, std::initializer_list<const char*> known)
      : object_(object), prefix_(std::move(prefix)) {
    if (!object.is_object()) {
      throw std::invalid_argument((prefix_.empty() ? "the config" : prefix_) +
                                  " must be a JSON object");
    }
    for (const auto& item : object.items()) {
      if (std::none_of(known.begin(), known.end(),
                       [&](const char* key) { return item.key() == key; })) {
        throw std::invalid_argument("unknown key '" + prefix_ + item.key() + "'");
      }
    }
  }

  bool has(const char* key) const { return object_.contains(key); }

  const json& get(const char* key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) throw std::invalid_argument("missing '" + name(key) + "'");
    return *it;
  }

  int integer(const char* key) const { return to_int(get(key), name(key)); }

  std::uint64_t unsigned_integer(const char* key) const {
    const json& value = get(key);
    if (!value.is_number_unsigned()) {
      throw std::invalid_argument(name(key) + " must be a non-negative integer, got " +
                                  value.dump());
    }
    return value.get<std::uint64_t>();
  }

  double number(const char* key) const {
    const json& value = get(key);
    if (!value.is_number() || !std::isfinite(value.get<double>())) {
      throw std::invalid_argument(name(key) + " must be a finite number, got " + value.dump());
    }
    return value.get<double>();
  }

  std::string string(const char* key) const {
    const json& value = get(key);
    if (!value.is_string()) {
      throw std::invalid_argument(name(key) + " must be a string, got " + value.dump());
    }
    return value.get<std::string>();
  }

  std::vector<int> integers(const char* key) const {
    const json& value = get(key);
    if (!value.is_array()) {
      throw std::invalid_argument(name(key) + " must be an array of layer sizes, got " +
                                  value.dump());
    }
    std::vector<int> sizes;
    for (std::size_t i = 0; i < value.size(); ++i) {
      sizes.push_back(to_int(value[i], name(key) + "[" + std::to_string(i) + "]"));
    }
    return sizes;
  }

  std::string name(const char* key) const { return prefix_ + key; }

 private:
  static int to_int(const json& value, const std::string& name) {
    const bool fits = (value.is_number_unsigned() &&
                       value.get<std::uint64_t>() <= std::numeric_limits<int>::max()) ||
                      (value.is_number_integer() && !value.is_number_unsigned() &&
                       value.get<std::int64_t>() >= std::numeric_limits<int>::min());
    if (!fits) throw std::invalid_argument(name + " must be an integer, got " + value.dump());
    return value.get<int>();
  }

  const json& object_;
  std::string prefix_;
};

AutoencoderConfig config_from_json(const json& j) {
  const ConfigReader reader(j, "",
                            {"inputSize", "encoder", "latentSize", "decoder", "activation",
                             "decoderActivation", "latentActivation", "outputActivation", "loss",
                             "seed", "sparsity", "noise", "variational", "contractive"});
  AutoencoderConfig config;
  config.input_size = reader.integer("inputSize");
  config.encoder = reader.integers("encoder");
  config.latent_size = reader.integer("latentSize");
  if (reader.has("decoder")) config.decoder = reader.integers("decoder");
  config.activation = parse_activation(reader.string("activation"), "activation");
  if (reader.has("decoderActivation")) {
    config.decoder_activation =
        parse_activation(reader.string("decoderActivation"), "decoderActivation");
  }
  config.latent_activation =
      parse_activation(reader.string("latentActivation"), "latentActivation");
  config.output_activation =
      parse_activation(reader.string("outputActivation"), "outputActivation");
  config.loss = parse_loss(reader.string("loss"));
  config.seed = reader.unsigned_integer("seed");

  if (reader.has("sparsity")) {
    const ConfigReader sparsity(reader.get("sparsity"), "sparsity.",
                                {"kind", "weight", "target", "layer"});
    const std::string kind = sparsity.string("kind");
    if (kind != "l1" && kind != "kl") {
      throw std::invalid_argument("sparsity.kind must be 'l1' or 'kl', got '" + kind + "'");
    }
    config.sparsity.kind = kind == "kl" ? SparsityKind::kl : SparsityKind::l1;
    config.sparsity.weight = sparsity.number("weight");
    if (config.sparsity.kind == SparsityKind::kl)
      config.sparsity.target = sparsity.number("target");
    config.sparsity.layer = sparsity.integer("layer");
  }
  if (reader.has("noise")) {
    const ConfigReader noise(reader.get("noise"), "noise.", {"kind", "std", "rate"});
    config.noise.kind = parse_noise_kind(noise.string("kind"));
    const bool gaussian = config.noise.kind == NoiseKind::gaussian;
    if (noise.has(gaussian ? "rate" : "std")) {
      throw std::invalid_argument(std::string("noise '") + noise_kind_name(config.noise.kind) +
                                  "' takes " +
                                  (gaussian ? "'std', not 'rate'" : "'rate', not 'std'"));
    }
    config.noise.level = noise.number(gaussian ? "std" : "rate");
  }
  if (reader.has("variational")) {
    const ConfigReader variational(reader.get("variational"), "variational.", {"beta"});
    config.variational.enabled = true;
    config.variational.beta = variational.number("beta");
  }
  if (reader.has("contractive")) {
    const ConfigReader contractive(reader.get("contractive"), "contractive.", {"weight"});
    config.contractive.enabled = true;
    config.contractive.weight = contractive.number("weight");
  }
  return config;
}

// ---- tensors -----------------------------------------------------------------

struct LayerShape {
  std::uint64_t outputs;
  std::uint64_t inputs;
};

// The dense layers a config implies, in the order of Autoencoder::layers().
// A variational code layer emits the mean and the log-variance: 2 x latent.
std::vector<LayerShape> implied_layer_shapes(const AutoencoderConfig& config) {
  std::vector<std::uint64_t> encoder{static_cast<std::uint64_t>(config.input_size)};
  encoder.insert(encoder.end(), config.encoder.begin(), config.encoder.end());
  const std::uint64_t latent = static_cast<std::uint64_t>(config.latent_size);
  std::vector<std::uint64_t> decoder{latent};
  for (int width : config.decoder_sizes()) decoder.push_back(static_cast<std::uint64_t>(width));
  decoder.push_back(static_cast<std::uint64_t>(config.input_size));

  std::vector<LayerShape> shapes;
  for (std::size_t i = 0; i < encoder.size(); ++i) {
    const bool code_layer = i + 1 == encoder.size();
    const std::uint64_t outputs =
        code_layer ? (config.variational.enabled ? 2 * latent : latent) : encoder[i + 1];
    shapes.push_back({outputs, encoder[i]});
  }
  for (std::size_t i = 0; i + 1 < decoder.size(); ++i)
    shapes.push_back({decoder[i + 1], decoder[i]});
  return shapes;
}

std::string weight_name(std::size_t layer) { return "layers." + std::to_string(layer) + ".weight"; }
std::string bias_name(std::size_t layer) { return "layers." + std::to_string(layer) + ".bias"; }

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// One tensor of the header, checked on its own: F32, a shape whose byte size
// fits in 64 bits, and offsets that span exactly that many bytes of the data.
struct TensorEntry {
  std::string name;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin;
  std::uint64_t end;
};

std::uint64_t unsigned_field(const json& value, const std::string& what) {
  if (!value.is_number_unsigned())
    fail(what + " must be a non-negative integer, got " + value.dump());
  return value.get<std::uint64_t>();
}

TensorEntry read_tensor_entry(const std::string& name, const json& value,
                              std::uint64_t data_bytes) {
  const std::string what = "tensor '" + name + "'";
  if (!value.is_object()) fail(what + " must be a JSON object");
  for (const auto& item : value.items()) {
    if (item.key() != "dtype" && item.key() != "shape" && item.key() != "data_offsets") {
      fail(what + " has an unknown field '" + item.key() + "'");
    }
  }
  if (!value.contains("dtype") || !value.contains("shape") || !value.contains("data_offsets")) {
    fail(what + " needs 'dtype', 'shape' and 'data_offsets'");
  }
  const json& dtype = value["dtype"];
  if (!dtype.is_string() || dtype.get<std::string>() != "F32") {
    fail(what + " has dtype " + dtype.dump() + ", only \"F32\" is supported");
  }
  TensorEntry entry{name, {}, 0, 0};
  const json& shape = value["shape"];
  if (!shape.is_array()) fail(what + ": shape must be an array, got " + shape.dump());
  std::uint64_t count = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::uint64_t extent =
        unsigned_field(shape[i], what + ": shape[" + std::to_string(i) + "]");
    if (extent != 0 && count > std::numeric_limits<std::uint64_t>::max() / kFloatBytes / extent) {
      fail(what + ": the shape's byte size does not fit in 64 bits");
    }
    count *= extent;
    entry.shape.push_back(extent);
  }
  const json& offsets = value["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) {
    fail(what + ": data_offsets must be [begin, end], got " + offsets.dump());
  }
  entry.begin = unsigned_field(offsets[0], what + ": data_offsets[0]");
  entry.end = unsigned_field(offsets[1], what + ": data_offsets[1]");
  if (entry.begin > entry.end) {
    fail(what + ": data_offsets [" + std::to_string(entry.begin) + ", " +
         std::to_string(entry.end) + "] end before they begin");
  }
  if (entry.end > data_bytes) {
    fail(what + ": data_offsets [" + std::to_string(entry.begin) + ", " +
         std::to_string(entry.end) + "] reach past the " + std::to_string(data_bytes) +
         " bytes of tensor data in the file");
  }
  if (entry.end - entry.begin != count * kFloatBytes) {
    fail(what + " has shape " + shape_text(entry.shape) + " (" + std::to_string(count) +
         " float32 values, " + std::to_string(count * kFloatBytes) +
         " bytes) but its data_offsets span " + std::to_string(entry.end - entry.begin) + " bytes");
  }
  return entry;
}

// The tensors must tile the data region: no gap, no overlap, nothing after.
void check_tensors_cover_data(std::vector<TensorEntry> entries, std::uint64_t data_bytes) {
  std::sort(entries.begin(), entries.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected = 0;
  const TensorEntry* previous = nullptr;
  for (const TensorEntry& entry : entries) {
    if (entry.begin < expected) {
      fail("tensors '" + previous->name + "' and '" + entry.name + "' overlap in the data");
    }
    if (entry.begin > expected) {
      fail(std::to_string(entry.begin - expected) + " bytes of the data before tensor '" +
           entry.name + "' belong to no tensor");
    }
    expected = entry.end;
    previous = &entry;
  }
  if (expected != data_bytes) {
    fail(std::to_string(data_bytes - expected) +
         " bytes of data after the last tensor belong to no tensor");
  }
}

std::uint64_t read_le_u64(const std::uint8_t* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

void write_le_u64(std::uint64_t value, std::uint8_t* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// float <-> little-endian bytes, whatever the host's byte order.
float read_le_f32(const std::uint8_t* p) {
  const std::uint32_t bits = std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) |
                             (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

void write_le_f32(float value, std::uint8_t* p) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(bits >> (8 * i));
}

// The "__metadata__" map: format, version and the config.
AutoencoderConfig read_metadata(const json& header) {
  const auto metadata = header.find("__metadata__");
  if (metadata == header.end()) {
    fail("the header has no __metadata__, so this is not a LatentLab model file");
  }
  if (!metadata->is_object()) fail("__metadata__ must be a JSON object");
  for (const auto& item : metadata->items()) {
    if (!item.value().is_string()) {
      fail("__metadata__." + item.key() +
           " must be a string (safetensors metadata maps strings to strings)");
    }
  }
  auto text = [&](const char* key) -> std::string {
    const auto it = metadata->find(key);
    if (it == metadata->end()) fail(std::string("__metadata__ has no '") + key + "'");
    return it->get<std::string>();
  };
  const std::string format = text("format");
  if (format != kFormat) {
    fail("__metadata__.format is '" + format + "', expected '" + kFormat + "'");
  }
  const std::string version = text("version");
  if (version != kVersion) {
    fail("unsupported version '" + version + "' (this engine reads version " + kVersion + ")");
  }
  json config_json;
  try {
    config_json = json::parse(text("config"));
  } catch (const json::exception& error) {
    fail(std::string("__metadata__.config is not valid JSON: ") + error.what());
  }
  try {
    AutoencoderConfig config = config_from_json(config_json);
    config.validate();
    return config;
  } catch (const std::invalid_argument& error) {
    fail(std::string("config: ") + error.what());
  }
}

// The header's tensors against the ones the config implies, name by name.
void check_tensors_match_config(const std::vector<TensorEntry>& entries,
                                const std::vector<LayerShape>& layers) {
  std::map<std::string, const TensorEntry*> by_name;
  for (const TensorEntry& entry : entries) by_name[entry.name] = &entry;
  const std::string layer_count = std::to_string(layers.size()) + " layers";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::pair<std::string, std::vector<std::uint64_t>> expected[] = {
        {weight_name(i), {layers[i].outputs, layers[i].inputs}},
        {bias_name(i), {layers[i].outputs}}};
    for (const auto& [name, shape] : expected) {
      const auto it = by_name.find(name);
      if (it == by_name.end())
        fail("tensor '" + name + "' is missing (the config implies " + layer_count + ")");
      if (it->second->shape != shape) {
        fail("tensor '" + name + "' has shape " + shape_text(it->second->shape) +
             ", the config implies " + shape_text(shape));
      }
      by_name.erase(it);
    }
  }
  if (!by_name.empty()) {
    fail("unexpected tensor '" + by_name.begin()->first + "' (the config implies " + layer_count +
         ")");
  }
}

}  // namespace

std::string model_config_json(const AutoencoderConfig& config) {
  return config_to_json(config).dump();
}

std::vector<std::uint8_t> save_model_file(const Autoencoder<float>& model) {
  ordered_json header;
  header["__metadata__"] = ordered_json{
      {"format", kFormat}, {"version", kVersion}, {"config", model_config_json(model.config())}};
  std::uint64_t offset = 0;
  const auto& layers = model.layers();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::uint64_t outputs = static_cast<std::uint64_t>(layers[i].outputs());
    const std::uint64_t inputs = static_cast<std::uint64_t>(layers[i].inputs());
    const std::uint64_t weight_end = offset + outputs * inputs * kFloatBytes;
    const std::uint64_t bias_end = weight_end + outputs * kFloatBytes;
    header[weight_name(i)] = ordered_json{
        {"dtype", "F32"}, {"shape", {outputs, inputs}}, {"data_offsets", {offset, weight_end}}};
    header[bias_name(i)] = ordered_json{
        {"dtype", "F32"}, {"shape", {outputs}}, {"data_offsets", {weight_end, bias_end}}};
    offset = bias_end;
  }
  std::string text = header.dump();
  // Pad with spaces so that the data starts 8-byte aligned, as safetensors does.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<std::uint8_t> bytes(8 + text.size() + offset);
  write_le_u64(text.size(), bytes.data());
  std::memcpy(bytes.data() + 8, text.data(), text.size());
  std::uint8_t* out = bytes.data() + 8 + text.size();
  const Vector<float>& parameters = model.parameters();
  for (const DenseLayer<float>& layer : layers) {
    const auto weights = layer.weights(parameters);      // out x in, column-major
    for (Eigen::Index r = 0; r < weights.rows(); ++r) {  // written row-major, as nn.Linear
      for (Eigen::Index c = 0; c < weights.cols(); ++c, out += 4) write_le_f32(weights(r, c), out);
    }
    const auto bias = layer.bias(parameters);
    for (Eigen::Index r = 0; r < bias.size(); ++r, out += 4) write_le_f32(bias(r), out);
  }
  return bytes;
}

Autoencoder<float> load_model_file(const std::uint8_t* bytes, std::uint64_t size) {
  if (size < 8) {
    fail("truncated: " + std::to_string(size) +
         " bytes, but the file must start with an 8-byte header length");
  }
  const std::uint64_t header_bytes = read_le_u64(bytes);
  if (header_bytes > size - 8) {
    fail("the header length " + std::to_string(header_bytes) + " runs past the end of the file (" +
         std::to_string(size - 8) + " bytes follow it)");
  }
  if (header_bytes > kMaxHeaderBytes) {
    fail("the header length " + std::to_string(header_bytes) + " exceeds the limit of " +
         std::to_string(kMaxHeaderBytes) + " bytes");
  }
  json header;
  try {
    header = json::parse(bytes + 8, bytes + 8 + header_bytes);
  } catch (const json::exception& error) {
    fail(std::string("the header is not valid JSON: ") + error.what());
  }
  if (!header.is_object())
    fail("the header must be a JSON object, got " + std::string(header.type_name()));

  const AutoencoderConfig config = read_metadata(header);
  const std::uint64_t data_bytes = size - 8 - header_bytes;
  std::vector<TensorEntry> entries;
  for (const auto& item : header.items()) {
    if (item.key() != "__metadata__")
      entries.push_back(read_tensor_entry(item.key(), item.value(), data_bytes));
  }
  check_tensors_cover_data(entries, data_bytes);
  const std::vector<LayerShape> shapes = implied_layer_shapes(config);
  check_tensors_match_config(entries, shapes);

  // Every size is now known to match the bytes present: allocating is safe.
  Autoencoder<float> model(config);
  const auto& layers = model.layers();
  if (layers.size() != shapes.size()) {
    throw std::logic_error("model file: the engine built " + std::to_string(layers.size()) +
                           " layers where the file format expects " +
                           std::to_string(shapes.size()));
  }
  const std::uint8_t* data = bytes + 8 + header_bytes;
  Vector<float>& parameters = model.parameters();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (static_cast<std::uint64_t>(layers[i].outputs()) != shapes[i].outputs ||
        static_cast<std::uint64_t>(layers[i].inputs()) != shapes[i].inputs) {
      throw std::logic_error("model file: the engine's layer " + std::to_string(i) +
                             " differs from the shape the file format expects");
    }
    const auto find = [&](const std::string& name) {
      return std::find_if(entries.begin(), entries.end(),
                          [&](const TensorEntry& e) { return e.name == name; })
          ->begin;
    };
    const std::uint8_t* in = data + find(weight_name(i));
    auto weights = layers[i].weights(parameters);
    for (Eigen::Index r = 0; r < weights.rows(); ++r) {
      for (Eigen::Index c = 0; c < weights.cols(); ++c, in += 4) weights(r, c) = read_le_f32(in);
    }
    in = data + find(bias_name(i));
    auto bias = layers[i].bias(parameters);
    for (Eigen::Index r = 0; r < bias.size(); ++r, in += 4) bias(r) = read_le_f32(in);
  }
  return model;
}

}  // namespace latentlab
