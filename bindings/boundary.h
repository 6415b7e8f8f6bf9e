// What every embind entry point shares: `guarded` turns a C++ exception into
// a JS Error of the matching class carrying its message, and arrays cross
// the boundary as one copy in and fresh copies out (never views into the
// heap, which die when it grows).
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <limits>
#include <new>
#include <string>

#include "errors.h"
#include "matrix.h"

namespace latentlab::bindings {

// Throws `new globalThis[error_class](message)` (boundary.cpp). Called from
// outside any C++ catch block, so the C++ exception has been released before
// JS unwinds the stack.
extern "C" void throw_js_error(const char* error_class, const char* message);

template <typename Body>
auto guarded(Body&& body) -> decltype(body()) {
  std::string message;
  const char* error_class = "Error";
  try {
    return body();
  } catch (const std::bad_alloc&) {
    message = "out of memory: the WebAssembly heap cannot grow enough for this call";
  } catch (const InvalidKind& error) {
    error_class = "TypeError";
    message = error.what();
  } catch (const OutOfRange& error) {
    error_class = "RangeError";
    message = error.what();
  } catch (const std::exception& error) {
    message = error.what();
  }
  throw_js_error(error_class, message.c_str());
  __builtin_unreachable();
}

// A typed array of n * rows values -> rows x n matrix (one copy).
inline Matrix<float> matrix_from_js(const emscripten::val& array, int rows, const char* name) {
  const std::uint64_t length = array["length"].as<double>();
  if (length == 0 || length % rows != 0) {
    throw std::invalid_argument(std::string(name) + " must hold a positive multiple of " +
                                std::to_string(rows) + " values, got " + std::to_string(length));
  }
  Matrix<float> matrix(rows, static_cast<Eigen::Index>(length / rows));
  emscripten::val(emscripten::typed_memory_view(matrix.size(), matrix.data()))
      .call<void>("set", array);
  return matrix;
}

inline emscripten::val float32_array_from(const float* data, std::size_t size) {
  return emscripten::val::global("Float32Array").new_(emscripten::typed_memory_view(size, data));
}

inline emscripten::val float32_array_from(const Matrix<float>& matrix) {
  return float32_array_from(matrix.data(), static_cast<std::size_t>(matrix.size()));
}

inline emscripten::val float64_array_from(const double* data, std::size_t size) {
  return emscripten::val::global("Float64Array").new_(emscripten::typed_memory_view(size, data));
}

// `long` is 32 bits in wasm32; Infinity means "no limit".
inline long clamp_to_long(double value) {
  constexpr long most = std::numeric_limits<long>::max();
  return value >= static_cast<double>(most) ? most : static_cast<long>(value);
}

}  // namespace latentlab::bindings
