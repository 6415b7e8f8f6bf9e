// A JavaScript value as JSON, so that a configuration from createModel takes
// the same road through the core as one from a model file. Pure conversion:
// numbers that are whole and exact in a double become JSON integers, NaN and
// the infinities stay doubles (the core names them in its messages),
// undefined object properties are absent, functions and symbols are refused.
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "errors.h"

namespace latentlab::bindings {

inline nlohmann::json json_from_val(const emscripten::val& value, const std::string& where) {
  using emscripten::val;
  const std::string type = value.typeOf().as<std::string>();
  if (type == "number") {
    const double number = value.as<double>();
    if (std::isfinite(number) && std::floor(number) == number &&
        std::fabs(number) <= 9007199254740991.0) {
      return static_cast<std::int64_t>(number);
    }
    return number;
  }
  if (type == "string") return value.as<std::string>();
  if (type == "boolean") return value.as<bool>();
  if (type == "undefined" || value.isNull()) return nullptr;
  if (type != "object") throw InvalidKind(where + " must not be a " + type);
  if (val::global("Array").call<bool>("isArray", value)) {
    nlohmann::json array = nlohmann::json::array();
    const int length = value["length"].as<int>();
    for (int i = 0; i < length; ++i) {
      array.push_back(json_from_val(value[i], where + "[" + std::to_string(i) + "]"));
    }
    return array;
  }
  nlohmann::json object = nlohmann::json::object();
  const val keys = val::global("Object").call<val>("keys", value);
  const int count = keys["length"].as<int>();
  for (int i = 0; i < count; ++i) {
    const std::string key = keys[i].as<std::string>();
    const val item = value[key];
    if (item.isUndefined()) continue;
    object[key] = json_from_val(item, where.empty() ? key : where + "." + key);
  }
  return object;
}

}  // namespace latentlab::bindings
