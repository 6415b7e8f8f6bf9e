#include "model_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "errors.h"
#include "float16.h"
#include "model_schema.h"

namespace latentlab {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;  // keeps keys in insertion order: same model, same bytes

constexpr const char* kFormat = "latentlab";
// Version 2 added the config's "init"; version 1 files (no "init": PyTorch's
// initialisation) are read as they were.
constexpr const char* kVersion = "2";
// The safetensors reference implementation refuses larger headers too.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

// Bytes a value, and the values' name in messages, of each tensor type.
std::uint64_t value_bytes(TensorType type) { return type == TensorType::f16 ? 2 : 4; }
const char* value_kind(TensorType type) { return type == TensorType::f16 ? "float16" : "float32"; }

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("model file: " + message);
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// The index of element `flat` of a row-major tensor of `shape`.
std::vector<std::uint64_t> index_in(const std::vector<std::uint64_t>& shape, std::uint64_t flat) {
  std::vector<std::uint64_t> index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

// One tensor of the header, checked on its own: F32 or F16, a shape whose
// byte size in that type fits in 64 bits, and offsets that span exactly that
// many bytes of the data.
struct TensorEntry {
  std::string name;
  TensorType type;
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
  const std::optional<TensorType> type =
      dtype.is_string() ? tensor_type_named(dtype.get<std::string>()) : std::nullopt;
  if (!type) {
    fail(what + " has dtype " + dtype.dump() + ", only \"F32\" and \"F16\" are supported");
  }
  const std::uint64_t bytes_per_value = value_bytes(*type);
  TensorEntry entry{name, *type, {}, 0, 0};
  const json& shape = value["shape"];
  if (!shape.is_array()) fail(what + ": shape must be an array, got " + shape.dump());
  std::uint64_t count = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::uint64_t extent =
        unsigned_field(shape[i], what + ": shape[" + std::to_string(i) + "]");
    if (extent != 0 &&
        count > std::numeric_limits<std::uint64_t>::max() / bytes_per_value / extent) {
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
  if (entry.end - entry.begin != count * bytes_per_value) {
    fail(what + " has shape " + shape_text(entry.shape) + " (" + std::to_string(count) + " " +
         value_kind(*type) + " values, " + std::to_string(count * bytes_per_value) +
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

// A little-endian half as the float it stands for (exact), and back.
float read_le_f16(const std::uint8_t* p) {
  return float_from_half(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
}

void write_le_f16(std::uint16_t bits, std::uint8_t* p) {
  p[0] = static_cast<std::uint8_t>(bits);
  p[1] = static_cast<std::uint8_t>(bits >> 8);
}

// A weight in a message: the shortest text that reads back as the same float
// (JavaScript's way: integers below 1e9 written out, 70000 not 7e+04).
std::string float_text(float value) {
  if (!std::isfinite(value)) return number_text(value);
  if (value == std::nearbyint(value) && std::fabs(value) < 1e9f) {
    return std::to_string(static_cast<long long>(value));
  }
  char text[32];
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, static_cast<double>(value));
    if (std::strtof(text, nullptr) == value) break;
  }
  return text;
}

// `value`, element `flat` of `tensor`, as the half `write_le_f16` writes; a
// value that has no finite half is refused, naming where it is.
std::uint16_t half_of_weight(float value, const NamedTensor& tensor, std::uint64_t flat) {
  const std::uint16_t half = half_from_float(value);
  if ((half & 0x7c00u) == 0x7c00u) {  // Infinity or NaN
    const std::string where = "tensor '" + tensor.name + "' holds " + float_text(value) + " at " +
                              shape_text(index_in(tensor.view.shape, flat));
    if (!std::isfinite(value))
      fail("cannot save as F16: " + where + ": every weight must be finite");
    fail("cannot save as F16: " + where +
         ", beyond the float16 range (the largest half is 65504; from 65520 on a value would "
         "round to Infinity): save it as F32");
  }
  return half;
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
  if (version != kVersion && version != "1") {
    fail("unsupported version '" + version + "' (this engine reads versions 1 and " + kVersion +
         ")");
  }
  json config_json;
  try {
    config_json = json::parse(text("config"));
  } catch (const json::exception& error) {
    fail(std::string("__metadata__.config is not valid JSON: ") + error.what());
  }
  if (version == "1" && config_json.is_object() && config_json.contains("init")) {
    fail("config: 'init' is not part of version 1");
  }
  // A configuration error reads as it does from createModel: same kind, same words.
  return read_model_config(config_json);
}

// The header's tensors against the ones the config implies, name by name.
void check_tensors_match_config(const std::vector<TensorEntry>& entries,
                                const std::vector<NamedTensor>& expected) {
  std::map<std::string, const TensorEntry*> by_name;
  for (const TensorEntry& entry : entries) by_name[entry.name] = &entry;
  const std::string tensor_count = std::to_string(expected.size()) + " tensors";
  for (const NamedTensor& tensor : expected) {
    const auto it = by_name.find(tensor.name);
    if (it == by_name.end()) {
      fail("tensor '" + tensor.name + "' is missing (the config implies " + tensor_count + ")");
    }
    if (it->second->shape != tensor.view.shape) {
      fail("tensor '" + tensor.name + "' has shape " + shape_text(it->second->shape) +
           ", the config implies " + shape_text(tensor.view.shape));
    }
    by_name.erase(it);
  }
  if (!by_name.empty()) {
    fail("unexpected tensor '" + by_name.begin()->first + "' (the config implies " + tensor_count +
         ")");
  }
}

}  // namespace

std::string model_config_json(const AutoencoderConfig& config) {
  return write_model_config(config).dump();
}

const char* tensor_type_name(TensorType type) { return type == TensorType::f16 ? "F16" : "F32"; }

std::optional<TensorType> tensor_type_named(const std::string& dtype) {
  if (dtype == "F32") return TensorType::f32;
  if (dtype == "F16") return TensorType::f16;
  return std::nullopt;
}

std::vector<std::uint8_t> save_model_file(const Autoencoder<float>& model, TensorType type) {
  ordered_json header;
  header["__metadata__"] = ordered_json{
      {"format", kFormat}, {"version", kVersion}, {"config", model_config_json(model.config())}};
  const std::vector<NamedTensor> tensors = model.tensors();
  std::uint64_t offset = 0;
  for (const NamedTensor& tensor : tensors) {
    const std::uint64_t end = offset + tensor.view.count() * value_bytes(type);
    header[tensor.name] = ordered_json{{"dtype", tensor_type_name(type)},
                                       {"shape", tensor.view.shape},
                                       {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  // Pad with spaces so that the data starts 8-byte aligned, as safetensors does.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<std::uint8_t> bytes(8 + text.size() + offset);
  write_le_u64(text.size(), bytes.data());
  std::memcpy(bytes.data() + 8, text.data(), text.size());
  std::uint8_t* out = bytes.data() + 8 + text.size();
  const float* parameters = model.parameters().data();
  for (const NamedTensor& tensor : tensors) {
    const float* values = parameters + tensor.view.offset;
    for (std::uint64_t i = 0; i < tensor.view.count(); ++i) {
      const float value = values[tensor.view.buffer_index(i)];
      if (type == TensorType::f16) {
        write_le_f16(half_of_weight(value, tensor, i), out);
        out += 2;
      } else {
        write_le_f32(value, out);
        out += 4;
      }
    }
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
  check_tensors_match_config(entries, plan_layers<float>(config).tensors());

  // Every size is now known to match the bytes present: allocating is safe.
  Autoencoder<float> model(config);
  const std::uint8_t* data = bytes + 8 + header_bytes;
  float* parameters = model.parameters().data();
  for (const NamedTensor& tensor : model.tensors()) {
    const auto entry = std::find_if(entries.begin(), entries.end(),
                                    [&](const TensorEntry& e) { return e.name == tensor.name; });
    const std::uint8_t* in = data + entry->begin;
    const std::uint64_t step = value_bytes(entry->type);
    float* values = parameters + tensor.view.offset;
    for (std::uint64_t i = 0; i < tensor.view.count(); ++i, in += step) {
      // An F16 value becomes exactly the float it stands for.
      const float value = entry->type == TensorType::f16 ? read_le_f16(in) : read_le_f32(in);
      if (!std::isfinite(value)) {
        fail("tensor '" + tensor.name + "' holds " + number_text(value) + " at " +
             shape_text(index_in(entry->shape, i)) + ": every weight must be finite");
      }
      values[tensor.view.buffer_index(i)] = value;
    }
  }
  return model;
}

}  // namespace latentlab
