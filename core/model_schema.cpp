#include "model_schema.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "architecture.h"
#include "errors.h"

namespace latentlab {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr double kMaxWidth = 65536;            // every weight count then fits 32-bit wasm memory
constexpr double kMaxSeed = 9007199254740991;  // 2^53 - 1: exact in a JS number
constexpr double kMaxKernel = 64;              // kernels, strides, paddings and factors

const std::vector<std::string> kActivations{"identity", "relu", "sigmoid", "tanh"};

OptionSpec size_option(std::string name, std::string summary) {
  return {std::move(name), OptionType::integer, std::move(summary), true, nullptr, "",
          {1, kMaxWidth}};
}

OptionSpec activation_option(std::string name, std::string summary, json fallback,
                             std::string derived = "") {
  OptionSpec spec{std::move(name), OptionType::choice,  std::move(summary),
                  false,           std::move(fallback), std::move(derived)};
  spec.choices = kActivations;
  return spec;
}

OptionSpec weight_option(std::string name, std::string summary,
                         std::vector<std::string> kinds = {}) {
  OptionSpec spec{
      std::move(name),           OptionType::number, std::move(summary), true, nullptr, "",
      {0, INFINITY, false, true}};
  spec.kinds = std::move(kinds);
  return spec;
}

OptionSpec integer_field(std::string name, std::string summary, json fallback, Bounds bounds) {
  return {std::move(name),
          OptionType::integer,
          std::move(summary),
          fallback.is_null(),
          std::move(fallback),
          "",
          bounds};
}

// The kinds of layer objects in the encoder and decoder lists, each a part
// named by its kind, whose field of the same name is its size.
std::vector<OptionSpec> layer_kinds() {
  const Bounds channels{1, kMaxWidth}, positive{1, kMaxKernel}, natural{0, kMaxKernel};
  const std::vector<OptionSpec> geometry{
      integer_field("kernel", "The kernel's height and width.", nullptr, positive),
      integer_field("stride", "The step between two kernel positions.", 1, positive),
      integer_field("padding", "Zeros added on every side.", 0, natural)};
  OptionSpec conv{"conv", OptionType::part,
                  "A convolution (nn.Conv2d), followed by the activation."};
  conv.fields = {integer_field("conv", "The output channels.", nullptr, channels)};
  conv.fields.insert(conv.fields.end(), geometry.begin(), geometry.end());
  OptionSpec deconv{"deconv", OptionType::part,
                    "A transposed convolution (nn.ConvTranspose2d), followed by the activation."};
  deconv.fields = conv.fields;
  deconv.fields[0].name = "deconv";
  deconv.fields.push_back(integer_field(
      "outputPadding", "Rows and columns added to the output's far side (less than stride).", 0,
      natural));
  OptionSpec pool{"pool", OptionType::part, "Max pooling (nn.MaxPool2d) over f x f windows."};
  pool.fields = {integer_field("pool", "The window's size f, also its stride.", nullptr, positive)};
  OptionSpec upsample{"upsample", OptionType::part,
                      "Nearest-neighbour upsampling (nn.Upsample) by a factor f."};
  upsample.fields = {integer_field("upsample", "The factor f.", nullptr, positive)};
  OptionSpec reshape{"reshape", OptionType::part,
                     "The same values read as an image [C, H, W] (before image layers that "
                     "follow a dense one)."};
  reshape.fields = {
      {"reshape", OptionType::shape, "The shape [C, H, W].", true, nullptr, "", channels}};
  return {conv, deconv, pool, upsample, reshape};
}

OptionSpec layers_option(std::string name, std::string summary, json fallback,
                         std::string derived) {
  OptionSpec spec{std::move(name),     OptionType::layers, std::move(summary), false,
                  std::move(fallback), std::move(derived), {1, kMaxWidth}};
  spec.fields = layer_kinds();
  return spec;
}

std::vector<OptionSpec> build_options() {
  std::vector<OptionSpec> options;
  OptionSpec input_size =
      size_option("inputSize", "Features per sample, e.g. 784 for 28 x 28 MNIST digits.");
  input_size.required = false;
  input_size.derived_default = "the size of inputShape";
  options.push_back(input_size);
  options.push_back({"inputShape",
                     OptionType::shape,
                     "Images: [channels, height, width]; a sample holds its values in that "
                     "order (PyTorch's). Needed by convolution and pooling layers.",
                     false,
                     nullptr,
                     "",
                     {1, kMaxWidth}});
  options.push_back(layers_option(
      "encoder",
      "The encoder's layers, input side first: a number is a dense layer of that size; "
      "objects are image layers ({conv}, {pool}, ...).",
      json::array(), ""));
  options.push_back(size_option("latentSize", "Size of the code (the bottleneck)."));
  options.push_back(layers_option(
      "decoder",
      "The decoder's layers, latent side first, as the encoder's. Ending in an image layer, "
      "that layer is the output; else a dense output layer follows.",
      nullptr, "the encoder mirrored"));
  options.push_back(
      activation_option("activation", "The activation of the encoder's hidden layers.", "relu"));
  options.push_back(activation_option("decoderActivation",
                                      "The activation of the decoder's hidden layers.", nullptr,
                                      "activation"));
  options.push_back(
      activation_option("latentActivation", "The activation of the code layer.", "identity"));
  options.push_back(
      activation_option("outputActivation", "The activation of the output layer.", "sigmoid"));
  OptionSpec loss{"loss", OptionType::choice,
                  "The reconstruction loss, averaged over samples and features: 'bce' is binary "
                  "cross-entropy on the logits.",
                  false, "mse"};
  loss.choices = {"mse", "bce"};
  options.push_back(loss);
  options.push_back(
      {"seed",
       OptionType::integer,
       "Seed of the weights, the shuffling and the noise: the same seed gives the same model.",
       false,
       0,
       "",
       {0, kMaxSeed}});
  OptionSpec init{
      "init", OptionType::choice,
      "Weight initialisation: 'pytorch' W, b ~ U(+-1/sqrt(fan_in)) (nn.Linear's default); "
      "'glorot' W ~ U(+-sqrt(6 / (fan_in + fan_out))), b = 0 (Keras, TF.js); 'he' W ~ "
      "U(+-sqrt(6 / fan_in)), b = 0 (Kaiming uniform).",
      false, "pytorch"};
  init.choices = {"pytorch", "glorot", "he"};
  options.push_back(init);

  OptionSpec sparsity{
      "sparsity", OptionType::part,
      "Sparse autoencoder: an activity penalty on one encoder layer. 'l1' adds weight * "
      "mean over samples of sum |h|; 'kl' adds weight * sum over units of KL(target || "
      "mean activation)."};
  OptionSpec sparsity_kind{"kind", OptionType::choice, "The penalty.", true};
  sparsity_kind.choices = {"l1", "kl"};
  OptionSpec target{
      "target", OptionType::number, "The target mean activation rho of every unit.", true, nullptr,
      "",       {0, 1, true, true}};
  target.kinds = {"kl"};
  OptionSpec layer{
      "layer",
      OptionType::integer,
      "The encoder layer penalised: 0 is the first hidden layer, the last is the code layer.",
      false,
      0,
      "",
      {0, kMaxWidth}};
  sparsity.fields = {sparsity_kind, weight_option("weight", "The penalty's weight."), target,
                     layer};
  options.push_back(sparsity);

  OptionSpec noise{
      "noise", OptionType::part,
      "Denoising autoencoder: training inputs are corrupted afresh every mini-batch, the "
      "clean input is the target."};
  OptionSpec noise_kind{
      "kind", OptionType::choice,
      "'gaussian' adds std * N(0, 1), clamped to [0, 1]; 'mask' zeroes a fraction rate "
      "of the values; 'salt-pepper' sets a fraction rate to 0 or 1.",
      true};
  noise_kind.choices = {"gaussian", "mask", "salt-pepper"};
  OptionSpec noise_std = weight_option("std", "The standard deviation of the noise.", {"gaussian"});
  OptionSpec noise_rate{
      "rate", OptionType::number, "The fraction of values corrupted.", true, nullptr, "", {0, 1}};
  noise_rate.kinds = {"mask", "salt-pepper"};
  noise.fields = {noise_kind, noise_std, noise_rate};
  options.push_back(noise);

  OptionSpec variational{
      "variational", OptionType::part,
      "Variational autoencoder: a Gaussian code; the reconstruction loss summed over "
      "features plus beta * KL(q(z|x) || N(0, I))."};
  OptionSpec beta{"beta", OptionType::number,        "The weight of the KL term.", false, 1,
                  "",     {0, INFINITY, false, true}};
  variational.fields = {beta};
  options.push_back(variational);

  OptionSpec contractive{
      "contractive", OptionType::part,
      "Contractive autoencoder: weight * mean over samples of the squared Frobenius norm "
      "of the first encoder layer's Jacobian."};
  contractive.fields = {weight_option("weight", "The penalty's weight.")};
  options.push_back(contractive);
  return options;
}

// ---- messages ----------------------------------------------------------------

// A value as JavaScript would show it in a message.
std::string value_text(const json& value) {
  if (value.is_number_float()) return number_text(value.get<double>());
  return value.dump();
}

std::string bounds_text(const Bounds& b) {
  return std::string(b.low_open ? "(" : "[") + number_text(b.low) + ", " + number_text(b.high) +
         (b.high_open ? ")" : "]");
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string text;
  for (std::size_t i = 0; i < choices.size(); ++i) text += (i ? ", '" : "'") + choices[i] + "'";
  return text;
}

std::string names_text(const std::vector<OptionSpec>& specs) {
  std::string text;
  for (std::size_t i = 0; i < specs.size(); ++i) text += (i ? ", " : "") + specs[i].name;
  return text;
}

bool within(double value, const Bounds& b) {
  return (b.low_open ? value > b.low : value >= b.low) &&
         (b.high_open ? value < b.high : value <= b.high);
}

// ---- reading -------------------------------------------------------------------

double integer_value(const json& value, const Bounds& bounds, const std::string& name) {
  const bool integral =
      value.is_number_integer() || (value.is_number_float() && std::isfinite(value.get<double>()) &&
                                    std::floor(value.get<double>()) == value.get<double>());
  const double number = value.is_number() ? value.get<double>() : NAN;
  if (!integral || !within(number, bounds)) {
    throw OutOfRange(name + " must be an integer in " + bounds_text(bounds) + ", got " +
                     value_text(value));
  }
  return number;
}

// `value` checked against `spec`, with defaults filled in below it.
json checked(const OptionSpec& spec, const json& value, const std::string& name);

json checked_part(const OptionSpec& spec, const json& value, const std::string& name) {
  if (!value.is_object()) throw InvalidKind(name + " must be an object, got " + value_text(value));
  const std::string prefix = name.empty() ? "" : name + ".";
  for (const auto& item : value.items()) {
    const bool known =
        std::any_of(spec.fields.begin(), spec.fields.end(),
                    [&](const OptionSpec& field) { return field.name == item.key(); });
    if (!known) {
      throw InvalidKind((name.empty() ? "" : name + ": ") + "unknown option '" + item.key() +
                        "' (known: " + names_text(spec.fields) + ")");
    }
  }
  // A part with a `kind` takes the fields of that kind only.
  std::string kind;
  const auto kind_spec = std::find_if(spec.fields.begin(), spec.fields.end(),
                                      [](const OptionSpec& field) { return field.name == "kind"; });
  if (kind_spec != spec.fields.end() && value.contains("kind")) {
    kind = checked(*kind_spec, value["kind"], prefix + "kind").get<std::string>();
  }
  auto applies = [&](const OptionSpec& field) {
    return field.kinds.empty() ||
           std::find(field.kinds.begin(), field.kinds.end(), kind) != field.kinds.end();
  };
  // A field of another kind is the mistake to report, before what is missing.
  for (const OptionSpec& field : spec.fields) {
    if (!applies(field) && value.contains(field.name) && !kind.empty()) {
      throw InvalidKind(prefix + field.name + " applies to kind " + choices_text(field.kinds) +
                        " only, not '" + kind + "'");
    }
  }
  json result = json::object();
  for (const OptionSpec& field : spec.fields) {
    const auto it = value.find(field.name);
    if (!applies(field)) continue;
    if (it != value.end()) {
      result[field.name] = checked(field, *it, prefix + field.name);
    } else if (field.required) {
      throw InvalidKind(prefix + field.name + " is missing: " + field.summary);
    } else if (!field.default_value.is_null()) {
      result[field.name] = field.default_value;
    }
  }
  return result;
}

json checked(const OptionSpec& spec, const json& value, const std::string& name) {
  switch (spec.type) {
    case OptionType::integer:
      return static_cast<std::int64_t>(integer_value(value, spec.bounds, name));
    case OptionType::number:
      if (!value.is_number() || !within(value.get<double>(), spec.bounds)) {
        throw OutOfRange(name + " must be a number in " + bounds_text(spec.bounds) + ", got " +
                         value_text(value));
      }
      return value.get<double>();
    case OptionType::choice:
      if (!value.is_string() || std::find(spec.choices.begin(), spec.choices.end(),
                                          value.get<std::string>()) == spec.choices.end()) {
        throw OutOfRange(name + " must be one of " + choices_text(spec.choices) + ", got " +
                         value_text(value));
      }
      return value;
    case OptionType::shape: {
      if (!value.is_array() || value.size() != 3) {
        throw InvalidKind(name + " must be an image shape [channels, height, width], got " +
                          value_text(value));
      }
      json shape = json::array();
      for (std::size_t i = 0; i < 3; ++i) {
        shape.push_back(static_cast<std::int64_t>(
            integer_value(value[i], spec.bounds, name + "[" + std::to_string(i) + "]")));
      }
      return shape;
    }
    case OptionType::layers: {
      if (!value.is_array()) {
        throw InvalidKind(name + " must be an array of layers (numbers for dense layers), got " +
                          value_text(value));
      }
      json layers = json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string item = name + "[" + std::to_string(i) + "]";
        if (!value[i].is_object()) {
          layers.push_back(static_cast<std::int64_t>(integer_value(value[i], spec.bounds, item)));
          continue;
        }
        std::vector<const OptionSpec*> kinds;
        for (const OptionSpec& kind : spec.fields) {
          if (value[i].contains(kind.name)) kinds.push_back(&kind);
        }
        if (kinds.size() != 1) {
          throw InvalidKind(item + " must name one kind of layer, one of " +
                            names_text(spec.fields) + ", got " + value_text(value[i]));
        }
        layers.push_back(checked_part(*kinds[0], value[i], item));
      }
      return layers;
    }
    case OptionType::part:
      return checked_part(spec, value, name);
  }
  return value;
}

Activation activation_of(const json& value) {
  const std::string name = value.get<std::string>();
  for (Activation a :
       {Activation::identity, Activation::relu, Activation::sigmoid, Activation::tanh}) {
    if (name == activation_name(a)) return a;
  }
  return Activation::identity;  // unreachable: checked against the choices
}

WeightInit init_of(const std::string& name) {
  for (WeightInit init : {WeightInit::pytorch, WeightInit::glorot, WeightInit::he}) {
    if (name == weight_init_name(init)) return init;
  }
  return WeightInit::pytorch;  // unreachable: checked against the choices
}

NoiseKind noise_kind_of(const std::string& name) {
  for (NoiseKind kind : {NoiseKind::gaussian, NoiseKind::mask, NoiseKind::salt_pepper}) {
    if (name == noise_kind_name(kind)) return kind;
  }
  return NoiseKind::none;  // unreachable: checked against the choices
}

NoiseConfig noise_of(const json& checked_noise) {
  NoiseConfig noise;
  noise.kind = noise_kind_of(checked_noise["kind"].get<std::string>());
  noise.level =
      (checked_noise.contains("std") ? checked_noise["std"] : checked_noise["rate"]).get<double>();
  return noise;
}

const OptionSpec& option_named(const std::string& name) {
  const std::vector<OptionSpec>& options = model_options();
  return *std::find_if(options.begin(), options.end(),
                       [&](const OptionSpec& option) { return option.name == name; });
}

Shape shape_of(const json& value) {
  return {value[0].get<int>(), value[1].get<int>(), value[2].get<int>()};
}

// A checked entry of the encoder or decoder list.
LayerSpec layer_of(const json& value) {
  if (!value.is_object()) return LayerSpec(value.get<int>());
  LayerSpec spec;
  const auto field = [&](const char* name, int fallback) {
    return value.contains(name) ? value[name].get<int>() : fallback;
  };
  if (value.contains("reshape")) {
    spec.kind = LayerKind::reshape;
    spec.shape = shape_of(value["reshape"]);
    return spec;
  }
  static const std::pair<const char*, LayerKind> kinds[] = {{"conv", LayerKind::conv},
                                                            {"deconv", LayerKind::deconv},
                                                            {"pool", LayerKind::pool},
                                                            {"upsample", LayerKind::upsample}};
  for (const auto& [name, kind] : kinds) {
    if (value.contains(name)) {
      spec.kind = kind;
      spec.size = value[name].get<int>();
    }
  }
  spec.kernel = field("kernel", 1);
  spec.stride = field("stride", 1);
  spec.padding = field("padding", 0);
  spec.output_padding = field("outputPadding", 0);
  return spec;
}

std::vector<LayerSpec> layers_of(const json& value) {
  std::vector<LayerSpec> layers;
  for (const json& item : value) layers.push_back(layer_of(item));
  return layers;
}

ordered_json layer_json(const LayerSpec& spec) {
  if (spec.kind == LayerKind::dense) return spec.size;
  ordered_json j;
  switch (spec.kind) {
    case LayerKind::conv:
    case LayerKind::deconv:
      j[spec.kind == LayerKind::conv ? "conv" : "deconv"] = spec.size;
      j["kernel"] = spec.kernel;
      j["stride"] = spec.stride;
      j["padding"] = spec.padding;
      if (spec.kind == LayerKind::deconv) j["outputPadding"] = spec.output_padding;
      break;
    case LayerKind::pool:
      j["pool"] = spec.size;
      break;
    case LayerKind::upsample:
      j["upsample"] = spec.size;
      break;
    default:  // reshape
      j["reshape"] = {spec.shape.channels, spec.shape.height, spec.shape.width};
      break;
  }
  return j;
}

ordered_json layers_json(const std::vector<LayerSpec>& layers) {
  ordered_json j = ordered_json::array();
  for (const LayerSpec& spec : layers) j.push_back(layer_json(spec));
  return j;
}

// The checked JSON (every default filled in) as the engine's struct.
AutoencoderConfig config_of(const json& c) {
  AutoencoderConfig config;
  if (c.contains("inputShape")) config.input_shape = shape_of(c["inputShape"]);
  if (c.contains("inputSize")) {
    config.input_size = c["inputSize"].get<int>();
  } else if (config.input_shape) {
    config.input_size = static_cast<int>(config.input_shape->size());
  } else {
    throw InvalidKind("inputSize is missing: " + option_named("inputSize").summary +
                      " (or give inputShape)");
  }
  config.encoder = layers_of(c["encoder"]);
  config.latent_size = c["latentSize"].get<int>();
  if (c.contains("decoder")) config.decoder = layers_of(c["decoder"]);
  config.activation = activation_of(c["activation"]);
  if (c.contains("decoderActivation"))
    config.decoder_activation = activation_of(c["decoderActivation"]);
  config.latent_activation = activation_of(c["latentActivation"]);
  config.output_activation = activation_of(c["outputActivation"]);
  config.loss = c["loss"] == "bce" ? ReconstructionLoss::bce : ReconstructionLoss::mse;
  config.seed = c["seed"].get<std::uint64_t>();
  config.init = init_of(c["init"].get<std::string>());
  if (c.contains("sparsity")) {
    const json& s = c["sparsity"];
    config.sparsity.kind = s["kind"] == "kl" ? SparsityKind::kl : SparsityKind::l1;
    config.sparsity.weight = s["weight"].get<double>();
    if (s.contains("target")) config.sparsity.target = s["target"].get<double>();
    config.sparsity.layer = s["layer"].get<int>();
  }
  if (c.contains("noise")) config.noise = noise_of(c["noise"]);
  if (c.contains("variational")) {
    config.variational.enabled = true;
    config.variational.beta = c["variational"]["beta"].get<double>();
  }
  if (c.contains("contractive")) {
    config.contractive.enabled = true;
    config.contractive.weight = c["contractive"]["weight"].get<double>();
  }
  return config;
}

// ---- combinations --------------------------------------------------------------

struct Rule {
  std::string why;
  // The message for `config` if it breaks the rule, else empty.
  std::function<std::string(const AutoencoderConfig&)> broken_by;
};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all{
      {"loss 'bce' needs outputActivation 'sigmoid': it is computed from the logits.",
       [](const AutoencoderConfig& c) -> std::string {
         if (c.loss != ReconstructionLoss::bce || c.output_activation == Activation::sigmoid)
           return "";
         return std::string(
                    "loss 'bce' needs outputActivation 'sigmoid' (it is computed from the logits), "
                    "got '") +
                activation_name(c.output_activation) + "'";
       }},
      {"sparsity.layer must name an encoder layer: 0 to encoder.length (the code layer).",
       [](const AutoencoderConfig& c) -> std::string {
         const int last = static_cast<int>(c.encoder.size());
         if (c.sparsity.kind == SparsityKind::none || c.sparsity.layer <= last) return "";
         return "sparsity.layer must be an encoder layer index in [0, " + std::to_string(last) +
                "], got " + std::to_string(c.sparsity.layer);
       }},
      {"sparsity cannot act on the code layer of a variational model: its outputs are the mean and "
       "log-variance, not activations.",
       [](const AutoencoderConfig& c) -> std::string {
         if (c.sparsity.kind == SparsityKind::none || !c.variational.enabled ||
             c.sparsity.layer != static_cast<int>(c.encoder.size())) {
           return "";
         }
         return "sparsity.layer cannot be the code layer of a variational model: its outputs are "
                "the mean "
                "and log-variance, not activations";
       }},
      {"sparsity 'kl' needs a sigmoid layer: it compares mean activations with a target in (0, 1).",
       [](const AutoencoderConfig& c) -> std::string {
         if (c.sparsity.kind != SparsityKind::kl) return "";
         const Activation a = c.encoder_activation(static_cast<std::size_t>(c.sparsity.layer));
         if (a == Activation::sigmoid) return "";
         return "sparsity 'kl' compares mean activations with a target in (0, 1), so encoder "
                "layer " +
                std::to_string(c.sparsity.layer) + " needs activation 'sigmoid', not '" +
                activation_name(a) + "'";
       }},
      {"contractive in a variational model needs an encoder hidden layer: the penalty acts on the "
       "first layer's activations, and a variational code layer has none.",
       [](const AutoencoderConfig& c) -> std::string {
         if (!c.contractive.enabled || !c.variational.enabled || !c.encoder.empty()) return "";
         return "contractive needs an encoder hidden layer in a variational model (encoder is "
                "empty)";
       }},
      {"contractive needs a first encoder layer with weights (dense, conv or deconv): the "
       "penalty is the norm of that layer's Jacobian through its activation.",
       [](const AutoencoderConfig& c) -> std::string {
         if (!c.contractive.enabled || c.encoder.empty() || c.encoder[0].has_parameters()) {
           return "";
         }
         return "contractive needs a first encoder layer with weights (dense, conv or deconv), "
                "got " +
                layer_text(c.encoder[0]) + ", which has no activation to differentiate";
       }},
      {"The layers must fit together: each takes what the one before gives (image layers an "
       "image), and the last gives inputSize values.",
       [](const AutoencoderConfig& c) -> std::string {
         try {
           resolve_architecture(c);
         } catch (const OutOfRange& error) {
           return error.what();
         }
         return "";
       }},
  };
  return all;
}

ordered_json spec_json(const OptionSpec& spec) {
  static const char* type_names[] = {"integer", "number", "choice", "shape", "layers", "part"};
  ordered_json j;
  j["name"] = spec.name;
  j["type"] = type_names[static_cast<int>(spec.type)];
  j["summary"] = spec.summary;
  j["required"] = spec.required;
  if (!spec.default_value.is_null()) j["default"] = spec.default_value;
  if (!spec.derived_default.empty()) j["derivedDefault"] = spec.derived_default;
  if (spec.type == OptionType::integer || spec.type == OptionType::number ||
      spec.type == OptionType::shape || spec.type == OptionType::layers) {
    j["bounds"] =
        ordered_json{{"low", spec.bounds.low},
                     {"high", std::isinf(spec.bounds.high) ? ordered_json("Infinity")
                                                           : ordered_json(spec.bounds.high)},
                     {"lowOpen", spec.bounds.low_open},
                     {"highOpen", spec.bounds.high_open}};
  }
  if (!spec.choices.empty()) j["choices"] = spec.choices;
  if (!spec.kinds.empty()) j["kinds"] = spec.kinds;
  if (!spec.fields.empty()) {
    j["fields"] = ordered_json::array();
    for (const OptionSpec& field : spec.fields) j["fields"].push_back(spec_json(field));
  }
  return j;
}

}  // namespace

const std::vector<OptionSpec>& model_options() {
  static const std::vector<OptionSpec> options = build_options();
  return options;
}

const std::vector<std::string>& model_rules() {
  static const std::vector<std::string> whys = [] {
    std::vector<std::string> list;
    for (const Rule& rule : rules()) list.push_back(rule.why);
    return list;
  }();
  return whys;
}

AutoencoderConfig read_model_config(const json& value) {
  if (!value.is_object())
    throw InvalidKind("a model config must be an object, got " + value_text(value));
  OptionSpec top{"", OptionType::part, ""};
  top.fields = model_options();
  const AutoencoderConfig config = config_of(checked_part(top, value, ""));
  for (const Rule& rule : rules()) {
    const std::string message = rule.broken_by(config);
    if (!message.empty()) throw OutOfRange(message);
  }
  return config;
}

NoiseConfig read_noise_config(const json& noise, const std::string& name) {
  return noise_of(checked(option_named("noise"), noise, name));
}

namespace {

// The configuration as JSON; `resolved` writes the decoder that an absent
// one stands for (the mirror, which only a valid configuration has).
ordered_json config_json(const AutoencoderConfig& config, bool resolved) {
  ordered_json j;
  j["inputSize"] = config.input_size;
  if (config.input_shape) {
    const Shape& shape = *config.input_shape;
    j["inputShape"] = {shape.channels, shape.height, shape.width};
  }
  j["encoder"] = layers_json(config.encoder);
  j["latentSize"] = config.latent_size;
  if (config.decoder) {
    j["decoder"] = layers_json(*config.decoder);
  } else if (resolved) {
    j["decoder"] = layers_json(resolve_architecture(config).decoder);
  }
  j["activation"] = activation_name(config.activation);
  j["decoderActivation"] = activation_name(config.decoder_hidden_activation());
  j["latentActivation"] = activation_name(config.latent_activation);
  j["outputActivation"] = activation_name(config.output_activation);
  j["loss"] = loss_name(config.loss);
  j["seed"] = config.seed;
  j["init"] = weight_init_name(config.init);
  if (config.sparsity.kind != SparsityKind::none) {
    ordered_json s;
    s["kind"] = config.sparsity.kind == SparsityKind::kl ? "kl" : "l1";
    s["weight"] = config.sparsity.weight;
    if (config.sparsity.kind == SparsityKind::kl) s["target"] = config.sparsity.target;
    s["layer"] = config.sparsity.layer;
    j["sparsity"] = s;
  }
  if (config.noise.kind != NoiseKind::none) {
    ordered_json n;
    n["kind"] = noise_kind_name(config.noise.kind);
    n[config.noise.kind == NoiseKind::gaussian ? "std" : "rate"] = config.noise.level;
    j["noise"] = n;
  }
  if (config.variational.enabled)
    j["variational"] = ordered_json{{"beta", config.variational.beta}};
  if (config.contractive.enabled)
    j["contractive"] = ordered_json{{"weight", config.contractive.weight}};
  return j;
}

}  // namespace

void check_model_config(const AutoencoderConfig& config) {
  read_model_config(json(config_json(config, false)));
}

ordered_json write_model_config(const AutoencoderConfig& config) {
  return config_json(config, true);
}

ordered_json model_schema_json() {
  ordered_json schema;
  schema["options"] = ordered_json::array();
  for (const OptionSpec& spec : model_options()) schema["options"].push_back(spec_json(spec));
  schema["rules"] = model_rules();
  return schema;
}

}  // namespace latentlab
