// The one description of a model's configuration: every option's name, type,
// default, bounds and meaning, and the rules that say which combinations are
// legal and why. Everything else derives from it:
//   - read_model_config reads a configuration (from createModel, a model
//     file or the page) into an AutoencoderConfig, so every entry point
//     gives the same error, of the same kind, for the same mistake;
//   - write_model_config writes the resolved configuration (every default
//     filled in), as the model file stores it and the API reports it;
//   - model_schema_json describes it all as JSON, from which the TypeScript
//     types are generated (scripts/generate-config-types.mjs).
// Option names are those of the model file's config JSON, which the
// JavaScript API shares.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "autoencoder_config.h"

namespace latentlab {

enum class OptionType {
  integer,  // a whole number in `bounds`
  number,   // a finite number in `bounds`
  choice,   // one of `choices`
  shape,    // an image shape [C, H, W], each a whole number in `bounds`
  layers,   // a list of layers: a number (a dense layer's size, in `bounds`) or an
            // object of one of the kinds in `fields` (a part each, named by its kind)
  part,     // an object of `fields`; optional parts switch a model family on
};

struct Bounds {
  double low;
  double high;
  bool low_open = false;
  bool high_open = false;
};

struct OptionSpec {
  std::string name;
  OptionType type;
  std::string summary;
  bool required = false;
  // The default as JSON (null: none), or, for a default that depends on other
  // options, the words that say which (e.g. "the encoder mirrored").
  nlohmann::json default_value;
  std::string derived_default;
  Bounds bounds{0, 0};
  std::vector<std::string> choices;
  // Inside a part with a `kind` choice: the kinds this field belongs to
  // (empty: every kind).
  std::vector<std::string> kinds;
  std::vector<OptionSpec> fields;
};

// The options of a model, top level first.
const std::vector<OptionSpec>& model_options();

// The combinations that are illegal, each in a sentence that says why.
const std::vector<std::string>& model_rules();

// Reads a configuration, checking it in full. Throws InvalidKind for a value
// of the wrong type or an unknown name, OutOfRange for a value outside its
// bounds or an illegal combination; the message names the option.
AutoencoderConfig read_model_config(const nlohmann::json& config);

// A noise option on its own (e.g. to corrupt images for a before/after
// view), read and checked as the configuration's `noise` is; `name` is what
// messages call it.
NoiseConfig read_noise_config(const nlohmann::json& noise, const std::string& name);

// The resolved configuration: every option written out, defaults filled in.
nlohmann::ordered_json write_model_config(const AutoencoderConfig& config);

// The schema itself: {"options": [...], "rules": [...]}.
nlohmann::ordered_json model_schema_json();

}  // namespace latentlab
