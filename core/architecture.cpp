#include "architecture.h"

#include "errors.h"

namespace latentlab {
namespace {

std::string values_text(const Values& values) {
  if (values.image) {
    return values.image->text() + " (" + std::to_string(values.size) + " values)";
  }
  return std::to_string(values.size) + " values";
}

Values flat(long size) { return {size, std::nullopt}; }

// What `spec` outputs for `in`, or OutOfRange naming `name`. Sizes are
// counted in 64 bits and bounded before any is used as an int.
Values output_of(const LayerSpec& spec, const Values& in, const std::string& name,
                 bool first_encoder_entry) {
  if (spec.kind == LayerKind::dense) return flat(spec.size);
  if (spec.kind == LayerKind::reshape) {
    if (spec.shape.size() != in.size) {
      throw OutOfRange(name + ": reshape " + spec.shape.text() + " holds " +
                       std::to_string(spec.shape.size()) + " values, its input " + values_text(in));
    }
    return {in.size, spec.shape};
  }
  if (!in.image) {
    throw OutOfRange(
        name + ": " + layer_text(spec) + " needs an image [C, H, W] as its input, got " +
        values_text(in) +
        (first_encoder_entry ? ": give inputShape" : ": put a {reshape: [C, H, W]} before it"));
  }
  const Shape& image = *in.image;
  Shape out;
  switch (spec.kind) {
    case LayerKind::conv:
      if (spec.kernel > image.height + 2 * spec.padding ||
          spec.kernel > image.width + 2 * spec.padding) {
        throw OutOfRange(name + ": a " + std::to_string(spec.kernel) + " x " +
                         std::to_string(spec.kernel) + " kernel does not fit its input " +
                         image.text() + " padded by " + std::to_string(spec.padding));
      }
      out = convolution_output(image, spec.size, spec.kernel, spec.stride, spec.padding);
      break;
    case LayerKind::deconv:
      // PyTorch's rule: the output padding only picks among the sizes that
      // a stride-s convolution maps back to the same input size.
      if (spec.output_padding >= spec.stride) {
        throw OutOfRange(name + ": outputPadding must be less than stride (" +
                         std::to_string(spec.stride) + "), got " +
                         std::to_string(spec.output_padding));
      }
      out = transposed_convolution_output(image, spec.size, spec.kernel, spec.stride, spec.padding,
                                          spec.output_padding);
      if (out.height < 1 || out.width < 1) {
        throw OutOfRange(name + ": " + layer_text(spec) + " gives an empty image from its input " +
                         image.text() + " (padding removes more than the kernel adds)");
      }
      break;
    case LayerKind::pool:
      if (spec.size > image.height || spec.size > image.width) {
        throw OutOfRange(name + ": a pool of " + std::to_string(spec.size) +
                         " is larger than its input " + image.text());
      }
      out = pool_output(image, spec.size);
      break;
    default:  // upsample
      out = upsample_output(image, spec.size);
      break;
  }
  const std::uint64_t size = static_cast<std::uint64_t>(out.channels) *
                             static_cast<std::uint64_t>(out.height) *
                             static_cast<std::uint64_t>(out.width);
  if (size > kMaxLayerValues) {
    throw OutOfRange(name + ": " + layer_text(spec) + " would output " + std::to_string(size) +
                     " values per sample from its input " + image.text() +
                     "; a layer can output at most " + std::to_string(kMaxLayerValues));
  }
  return {static_cast<long>(size), out};
}

// The layer that maps `out` back to `in`, undoing `spec` (see the header),
// or OutOfRange when none does exactly.
std::vector<LayerSpec> mirror_of(const LayerSpec& spec, const Values& in, const Values& out,
                                 const std::string& name) {
  const auto cannot = [&](const std::string& why) {
    return OutOfRange("the decoder cannot mirror " + name + " (" + layer_text(spec) + "): " + why +
                      "; give a decoder");
  };
  std::vector<LayerSpec> layers;
  LayerSpec mirror = spec;
  switch (spec.kind) {
    case LayerKind::dense:
      layers.push_back(LayerSpec(static_cast<int>(in.size)));
      break;
    case LayerKind::reshape:
      break;  // the reshape of `in` below restores it
    case LayerKind::conv: {
      mirror.kind = LayerKind::deconv;
      mirror.size = in.image->channels;
      const Shape plain = transposed_convolution_output(*out.image, mirror.size, spec.kernel,
                                                        spec.stride, spec.padding, 0);
      const int rows = in.image->height - plain.height, columns = in.image->width - plain.width;
      if (rows != columns || rows < 0 || rows >= spec.stride) {
        throw cannot("no output padding restores " + in.image->text() + " from " +
                     out.image->text());
      }
      mirror.output_padding = rows;
      layers.push_back(mirror);
      break;
    }
    case LayerKind::deconv:
      mirror.kind = LayerKind::conv;
      mirror.size = in.image->channels;
      mirror.output_padding = 0;
      if (!(convolution_output(*out.image, mirror.size, spec.kernel, spec.stride, spec.padding) ==
            *in.image)) {
        throw cannot("a convolution does not restore " + in.image->text());
      }
      layers.push_back(mirror);
      break;
    case LayerKind::pool:
      if (!(upsample_output(*out.image, spec.size) == *in.image)) {
        throw cannot("pooling dropped the last rows or columns of " + in.image->text());
      }
      mirror.kind = LayerKind::upsample;
      layers.push_back(mirror);
      break;
    case LayerKind::upsample:
      mirror.kind = LayerKind::pool;
      layers.push_back(mirror);
      break;
  }
  // Back to the image `spec` read, from a flat vector or another shape.
  if (in.image && (layers.empty() || layers.back().kind == LayerKind::dense)) {
    LayerSpec reshape;
    reshape.kind = LayerKind::reshape;
    reshape.shape = *in.image;
    layers.push_back(reshape);
  }
  return layers;
}

}  // namespace

std::string layer_text(const LayerSpec& spec) {
  const auto geometry = [&] {
    return ", kernel " + std::to_string(spec.kernel) + ", stride " + std::to_string(spec.stride) +
           ", padding " + std::to_string(spec.padding);
  };
  switch (spec.kind) {
    case LayerKind::dense:
      return "dense " + std::to_string(spec.size);
    case LayerKind::conv:
      return "conv " + std::to_string(spec.size) + geometry();
    case LayerKind::deconv:
      return "deconv " + std::to_string(spec.size) + geometry() + ", outputPadding " +
             std::to_string(spec.output_padding);
    case LayerKind::pool:
      return "pool " + std::to_string(spec.size);
    case LayerKind::upsample:
      return "upsample " + std::to_string(spec.size);
    case LayerKind::reshape:
      return "reshape " + spec.shape.text();
  }
  return "";
}

Architecture resolve_architecture(const AutoencoderConfig& config) {
  Architecture architecture;
  Values current = flat(config.input_size);
  if (config.input_shape) {
    if (config.input_shape->size() != config.input_size) {
      throw OutOfRange("inputSize " + std::to_string(config.input_size) +
                       " does not match inputShape " + config.input_shape->text() + " (" +
                       std::to_string(config.input_shape->size()) + " values)");
    }
    current.image = config.input_shape;
  }
  const auto add = [&](const LayerSpec& spec, LayerStep::Role role, const std::string& name,
                       bool first_encoder_entry = false) {
    const Values out = output_of(spec, current, name, first_encoder_entry);
    architecture.steps.push_back({spec, role, name, current, out});
    current = out;
  };
  for (std::size_t i = 0; i < config.encoder.size(); ++i) {
    add(config.encoder[i], LayerStep::Role::encoder, "encoder[" + std::to_string(i) + "]", i == 0);
  }
  architecture.code = architecture.steps.size();
  const bool variational = config.variational.enabled;
  add(LayerSpec(variational ? 2 * config.latent_size : config.latent_size), LayerStep::Role::code,
      "the code layer");
  if (variational) current = flat(config.latent_size);  // the bottleneck passes z on

  if (config.decoder) {
    architecture.decoder = *config.decoder;
  } else {
    // The code layer's mirror, then the encoder's entries' from the last.
    const LayerStep& code = architecture.steps[architecture.code];
    std::vector<LayerSpec> mirrored = mirror_of(code.spec, code.in, code.out, code.name);
    for (std::size_t i = architecture.code; i-- > 0;) {
      const LayerStep& step = architecture.steps[i];
      const std::vector<LayerSpec> back = mirror_of(step.spec, step.in, step.out, step.name);
      mirrored.insert(mirrored.end(), back.begin(), back.end());
    }
    // The dense output layer is implied, and a flat output needs no reshape.
    while (!mirrored.empty() && mirrored.back().kind == LayerKind::reshape) mirrored.pop_back();
    if (!mirrored.empty() && !mirrored.back().spatial()) mirrored.pop_back();
    architecture.decoder = mirrored;
  }
  const std::vector<LayerSpec>& decoder = architecture.decoder;
  const bool image_output = !decoder.empty() && decoder.back().spatial();
  for (std::size_t i = 0; i < decoder.size(); ++i) {
    const bool output = image_output && i + 1 == decoder.size();
    add(decoder[i], output ? LayerStep::Role::output : LayerStep::Role::decoder,
        "decoder[" + std::to_string(i) + "]");
  }
  if (!decoder.empty() && decoder.back().kind == LayerKind::reshape) {
    throw OutOfRange("decoder[" + std::to_string(decoder.size() - 1) +
                     "]: a reshape cannot end the decoder: its last layer makes the output");
  }
  if (!image_output) {
    add(LayerSpec(config.input_size), LayerStep::Role::output, "the output layer");
  } else if (current.size != config.input_size) {
    throw OutOfRange("the decoder's last layer, decoder[" + std::to_string(decoder.size() - 1) +
                     "], outputs " + values_text(current) + "; the input has " +
                     std::to_string(config.input_size));
  }
  return architecture;
}

}  // namespace latentlab
