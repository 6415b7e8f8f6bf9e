// Element-wise activations. Each is stateless; its derivative is written in
// terms of the activation's output y = f(a), which is what the layer keeps,
// so the backward pass never needs the pre-activation a.
//
//   identity: y = a                 dy/da = 1
//   relu:     y = max(a, 0)         dy/da = 1 if y > 0 else 0 (0 at the kink)
//   sigmoid:  y = 1 / (1 + e^-a)    dy/da = y (1 - y)
//   tanh:     y = tanh(a)           dy/da = 1 - y^2
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "matrix.h"
#include "parallel.h"
#include "vector_math.h"

namespace latentlab {

enum class Activation { identity, relu, sigmoid, tanh };

inline const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::identity:
      return "identity";
    case Activation::relu:
      return "relu";
    case Activation::sigmoid:
      return "sigmoid";
    case Activation::tanh:
      return "tanh";
  }
  return "identity";
}

// Numerically stable logistic: never evaluates exp of a large positive number.
template <typename Scalar>
inline Scalar logistic(Scalar a) {
  if (a >= Scalar(0)) return Scalar(1) / (Scalar(1) + std::exp(-a));
  const Scalar e = std::exp(a);
  return e / (Scalar(1) + e);
}

// to[i] = f(from[i]) for i < count; `to` may be `from`. Floats go through the
// four-lane kernels of vector_math.h; doubles (the gradient checks) through libm.
template <typename Scalar>
void apply_activation(Activation activation, const Scalar* from, Scalar* to, long count) {
  constexpr bool lanes = std::is_same_v<Scalar, float>;
  switch (activation) {
    case Activation::identity:
      if (to != from) std::copy(from, from + count, to);
      break;
    case Activation::relu:
      // Written so that a NaN stays NaN (and is caught as divergence).
      for (long i = 0; i < count; ++i) to[i] = from[i] < Scalar(0) ? Scalar(0) : from[i];
      break;
    case Activation::sigmoid:
      if constexpr (lanes) {
        vector_math::map(from, to, count, [](simd::f32x4 x) { return vector_math::sigmoid(x); });
      } else {
        for (long i = 0; i < count; ++i) to[i] = logistic(from[i]);
      }
      break;
    case Activation::tanh:
      if constexpr (lanes) {
        vector_math::map(from, to, count, [](simd::f32x4 x) { return vector_math::tanh(x); });
      } else {
        for (long i = 0; i < count; ++i) to[i] = std::tanh(from[i]);
      }
      break;
  }
}

// y = f(a) for data[0, count), in place.
template <typename Scalar>
void apply_activation(Activation activation, Scalar* data, long count) {
  apply_activation(activation, data, data, count);
}

// outputs = f(inputs), resized to the inputs' shape, in one pass on every thread.
template <typename Scalar>
void apply_activation(Activation activation, const Matrix<Scalar>& inputs,
                      Matrix<Scalar>& outputs) {
  // Eigen keeps the memory when the shape is the same.
  outputs.resize(inputs.rows(), inputs.cols());
  const Scalar* from = inputs.data();
  Scalar* to = outputs.data();
  parallel_elements(inputs.size(), [&](long begin, long end) {
    apply_activation(activation, from + begin, to + begin, end - begin);
  });
}

// y = f(a), in place, on every thread.
template <typename Scalar>
void apply_activation(Activation activation, Matrix<Scalar>& values) {
  if (activation != Activation::identity) apply_activation(activation, values, values);
}

// dy/da of one output y.
template <typename Scalar>
Scalar activation_slope(Activation activation, Scalar y) {
  switch (activation) {
    case Activation::relu:
      return y > Scalar(0) ? Scalar(1) : Scalar(0);
    case Activation::sigmoid:
      return y * (Scalar(1) - y);
    case Activation::tanh:
      return Scalar(1) - y * y;
    case Activation::identity:
      break;
  }
  return Scalar(1);
}

// d(dy/da)/dy of one output y: sigmoid 1 - 2y, tanh -2y, relu and identity 0.
template <typename Scalar>
Scalar activation_curvature(Activation activation, Scalar y) {
  switch (activation) {
    case Activation::sigmoid:
      return Scalar(1) - Scalar(2) * y;
    case Activation::tanh:
      return Scalar(-2) * y;
    case Activation::relu:
    case Activation::identity:
      break;
  }
  return Scalar(0);
}

// dy/da element-wise, from the outputs y.
template <typename Scalar>
Matrix<Scalar> activation_slopes(Activation activation, const Matrix<Scalar>& outputs) {
  return outputs.unaryExpr([activation](Scalar y) { return activation_slope(activation, y); });
}

// gradient *= dy/da, element-wise on every thread, given the outputs y:
// turns dL/dy into dL/da.
template <typename Scalar>
void multiply_by_derivative(Activation activation, const Matrix<Scalar>& outputs,
                            Matrix<Scalar>& gradient) {
  if (activation == Activation::identity) return;
  const Scalar* y = outputs.data();
  Scalar* g = gradient.data();
  parallel_elements(outputs.size(), [&](long begin, long end) {
    switch (activation) {
      case Activation::relu:
        for (long i = begin; i < end; ++i) g[i] = y[i] > Scalar(0) ? g[i] : Scalar(0);
        break;
      case Activation::sigmoid:
        for (long i = begin; i < end; ++i) g[i] *= y[i] * (Scalar(1) - y[i]);
        break;
      case Activation::tanh:
        for (long i = begin; i < end; ++i) g[i] *= Scalar(1) - y[i] * y[i];
        break;
      case Activation::identity:
        break;
    }
  });
}

}  // namespace latentlab
