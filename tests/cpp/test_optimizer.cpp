// Optimizers against arithmetic written out in the test, one scalar at a
// time: Adam (torch.optim.Adam semantics) and SGD with momentum
// (torch.optim.SGD semantics), over a buffer holding two tensors.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "dense_layer.h"
#include "optimizer.h"

using latentlab::DenseLayer;
using latentlab::OptimizerKind;
using latentlab::OptimizerOptions;
using latentlab::Vector;

namespace {

// Two tensors in one flat buffer, as in the model: a 2x2 weight W followed by
// a 2-vector bias b, laid out by a DenseLayer.
const DenseLayer<double> kLayer(2, 2);

Vector<double> initial_parameters() {
  Vector<double> params(kLayer.parameter_count());
  kLayer.weights(params) << 0.5, -0.25,  //
      1.0, 2.0;
  kLayer.bias(params) << -0.5, 0.125;
  return params;
}

// A different gradient at each of three steps, with mixed signs and scales so
// that the moments do not simply track one direction.
Vector<double> gradient_at(int step) {
  Vector<double> grads(kLayer.parameter_count());
  switch (step) {
    case 1:
      kLayer.weights(grads) << 0.1, -2.0, 0.5, 0.0;
      kLayer.bias(grads) << 3.0, -0.01;
      break;
    case 2:
      kLayer.weights(grads) << -0.3, -1.0, 0.5, 1.0;
      kLayer.bias(grads) << 1.0, 0.02;
      break;
    default:
      kLayer.weights(grads) << 0.2, 0.5, -4.0, -1.0;
      kLayer.bias(grads) << -2.0, 0.0;
      break;
  }
  return grads;
}

// Adam on scalars, written out from Kingma & Ba. Every element, of W as of b,
// uses the same global step t for its bias corrections.
struct AdamScalarState {
  double m = 0, v = 0;
};

double adam_reference_step(double p, double g, int t, AdamScalarState& s, double lr, double beta1,
                           double beta2, double eps) {
  s.m = beta1 * s.m + (1 - beta1) * g;
  s.v = beta2 * s.v + (1 - beta2) * g * g;
  const double m_hat = s.m / (1 - std::pow(beta1, t));
  const double v_hat = s.v / (1 - std::pow(beta2, t));
  return p - lr * m_hat / (std::sqrt(v_hat) + eps);
}

}  // namespace

TEST_CASE("Adam's first step moves each parameter by about lr against its gradient's sign") {
  // At t = 1 the corrected moments are m_hat = g and v_hat = g^2, so the
  // update is lr g / (|g| + eps): -lr sign(g), or 0 where g = 0.
  OptimizerOptions options;
  options.learning_rate = 0.1;
  latentlab::Adam<double> adam(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();
  adam.step(params, gradient_at(1), 1);
  auto first_step = [](double p0, double g) { return p0 - 0.1 * g / (std::abs(g) + 1e-8); };
  CHECK(params(0) == doctest::Approx(first_step(0.5, 0.1)).epsilon(1e-15));      // W(0,0)
  CHECK(params(1) == doctest::Approx(first_step(1.0, 0.5)).epsilon(1e-15));      // W(1,0)
  CHECK(params(2) == doctest::Approx(first_step(-0.25, -2.0)).epsilon(1e-15));   // W(0,1)
  CHECK(params(3) == 2.0);                                                       // W(1,1), g = 0
  CHECK(params(4) == doctest::Approx(first_step(-0.5, 3.0)).epsilon(1e-15));     // b(0)
  CHECK(params(5) == doctest::Approx(first_step(0.125, -0.01)).epsilon(1e-15));  // b(1)
  // That is about -lr sign(g): 0.4, 0.9, -0.15, -0.6 and 0.225.
  CHECK(params(0) == doctest::Approx(0.4).epsilon(1e-7));
  CHECK(params(2) == doctest::Approx(-0.15).epsilon(1e-7));
  CHECK(params(5) == doctest::Approx(0.225).epsilon(1e-6));
}

TEST_CASE("Adam over a weight and a bias for three steps matches the scalar formula") {
  OptimizerOptions options;
  options.learning_rate = 0.05;
  options.beta1 = 0.9;
  options.beta2 = 0.999;
  options.epsilon = 1e-8;
  latentlab::Adam<double> adam(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();

  std::vector<double> expected(params.data(), params.data() + params.size());
  std::vector<AdamScalarState> state(expected.size());
  for (int t = 1; t <= 3; ++t) {
    const Vector<double> grads = gradient_at(t);
    adam.step(params, grads, t);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expected[i] = adam_reference_step(expected[i], grads(i), t, state[i], 0.05, 0.9, 0.999, 1e-8);
    }
    CAPTURE(t);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(params(i) == doctest::Approx(expected[i]).epsilon(1e-12));
    }
  }
  // b(0) by hand, g = 3, 1, -2 (lr 0.05):
  //   t=1: m = 0.3,   v = 0.009,    m_hat = 3,      v_hat = 9      -> p = -0.55
  //   t=2: m = 0.37,  v = 0.009991, m_hat = 1.9474, v_hat = 4.9980 -> p = -0.593553
  //   t=3: m = 0.133, v = 0.013981, m_hat = 0.4908, v_hat = 4.6650 -> p = -0.604914
  // A per-tensor step counter (as in MiniDNN) would correct b with t = 2 at
  // the first step and move it by 0.744 lr instead of lr.
  CHECK(params(4) == doctest::Approx(-0.6049144582215344).epsilon(1e-12));
}

TEST_CASE("Adam<float> follows the double-precision scalar formula") {
  OptimizerOptions options;
  options.learning_rate = 0.01;
  latentlab::Adam<float> adam(options, kLayer.parameter_count());
  Vector<float> params = initial_parameters().cast<float>();
  std::vector<double> expected(params.data(), params.data() + params.size());
  std::vector<AdamScalarState> state(expected.size());
  for (int t = 1; t <= 3; ++t) {
    const Vector<double> grads = gradient_at(t);
    adam.step(params, grads.cast<float>(), t);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expected[i] = adam_reference_step(expected[i], grads(i), t, state[i], 0.01, 0.9, 0.999, 1e-8);
    }
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(params(i) == doctest::Approx(expected[i]).epsilon(1e-6));
  }
}

TEST_CASE("Adam's bias correction uses the step it is given") {
  // A fresh optimizer told it is at t = 3: m = 0.1 g, v = 0.001 g^2, so the
  // update is lr (0.1 / (1 - 0.9^3)) / sqrt(0.001 / (1 - 0.999^3)) |g| / g,
  // about 0.639 lr instead of the lr of a first step.
  OptimizerOptions options;
  options.learning_rate = 0.1;
  latentlab::Adam<double> adam(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();
  adam.step(params, gradient_at(1), 3);
  const double ratio = (0.1 / (1 - 0.729)) / std::sqrt(0.001 / (1 - std::pow(0.999, 3)));
  CHECK(ratio == doctest::Approx(0.639).epsilon(1e-3));
  CHECK(params(0) == doctest::Approx(0.5 - 0.1 * ratio).epsilon(1e-7));
  CHECK(params(4) == doctest::Approx(-0.5 - 0.1 * ratio).epsilon(1e-7));
}

TEST_CASE("SGD with momentum matches torch semantics: v = mu v + g, p -= lr v") {
  OptimizerOptions options;
  options.kind = OptimizerKind::sgd;
  options.learning_rate = 0.1;
  options.momentum = 0.9;
  latentlab::SgdMomentum<double> sgd(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();

  // First step: no history, v = g, so p = p0 - lr g.
  sgd.step(params, gradient_at(1), 1);
  CHECK(params(0) == doctest::Approx(0.5 - 0.1 * 0.1).epsilon(1e-15));
  CHECK(params(2) == doctest::Approx(-0.25 + 0.1 * 2.0).epsilon(1e-15));
  CHECK(params(4) == doctest::Approx(-0.5 - 0.1 * 3.0).epsilon(1e-15));

  // Steps 2 and 3 against the scalar recurrence.
  const Vector<double> p0 = initial_parameters();
  Vector<double> expected(p0.size());
  for (Eigen::Index i = 0; i < p0.size(); ++i) {
    double v = 0, p = p0(i);
    for (int t = 1; t <= 3; ++t) {
      v = t == 1 ? gradient_at(t)(i) : 0.9 * v + gradient_at(t)(i);
      p -= 0.1 * v;
    }
    expected(i) = p;
  }
  sgd.step(params, gradient_at(2), 2);
  sgd.step(params, gradient_at(3), 3);
  for (Eigen::Index i = 0; i < p0.size(); ++i) {
    CAPTURE(i);
    CHECK(params(i) == doctest::Approx(expected(i)).epsilon(1e-14));
  }
  // One element by hand: b(0) has g = 3, 1, -2.
  //   v = 3 -> p = -0.8;  v = 2.7 + 1 = 3.7 -> p = -1.17;  v = 3.33 - 2 = 1.33 -> p = -1.303.
  CHECK(params(4) == doctest::Approx(-1.303).epsilon(1e-14));
}

TEST_CASE("set_options changes the learning rate but keeps Adam's moments") {
  OptimizerOptions options;
  options.learning_rate = 0.1;
  latentlab::Adam<double> adam(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();
  adam.step(params, gradient_at(1), 1);
  adam.step(params, gradient_at(2), 2);
  options.learning_rate = 0.01;
  adam.set_options(options);
  CHECK(adam.options().learning_rate == 0.01);
  adam.step(params, gradient_at(3), 3);

  // Reference: moments accumulate over all three steps; lr is 0.1, 0.1, 0.01.
  const Vector<double> p0 = initial_parameters();
  for (Eigen::Index i = 0; i < p0.size(); ++i) {
    AdamScalarState s;
    double p = p0(i);
    for (int t = 1; t <= 3; ++t) {
      p = adam_reference_step(p, gradient_at(t)(i), t, s, t < 3 ? 0.1 : 0.01, 0.9, 0.999, 1e-8);
    }
    CAPTURE(i);
    CHECK(params(i) == doctest::Approx(p).epsilon(1e-12));
  }
}

TEST_CASE("set_options changes the learning rate but keeps the SGD velocity") {
  OptimizerOptions options;
  options.kind = OptimizerKind::sgd;
  options.learning_rate = 0.1;
  options.momentum = 0.5;
  latentlab::SgdMomentum<double> sgd(options, kLayer.parameter_count());
  Vector<double> params = initial_parameters();
  sgd.step(params, gradient_at(1), 1);
  options.learning_rate = 0.2;
  sgd.set_options(options);
  sgd.step(params, gradient_at(2), 2);
  // b(0): v = 3 -> p = -0.5 - 0.3 = -0.8; v = 1.5 + 1 = 2.5 -> p = -0.8 - 0.5 = -1.3.
  // A reset velocity would give v = 1 and p = -1.0 instead.
  CHECK(params(4) == doctest::Approx(-1.3).epsilon(1e-15));
  // W(0,1): g = -2, -1: v = -2 -> p = -0.05; v = -2 -> p = 0.35.
  CHECK(params(2) == doctest::Approx(0.35).epsilon(1e-15));
}

TEST_CASE("make_optimizer and parse_optimizer") {
  OptimizerOptions options;
  options.kind = latentlab::parse_optimizer("sgd");
  auto sgd = latentlab::make_optimizer<float>(options, 4);
  CHECK(dynamic_cast<latentlab::SgdMomentum<float>*>(sgd.get()) != nullptr);
  options.kind = latentlab::parse_optimizer("adam");
  auto adam = latentlab::make_optimizer<float>(options, 4);
  CHECK(dynamic_cast<latentlab::Adam<float>*>(adam.get()) != nullptr);
  CHECK_THROWS_WITH_AS(latentlab::parse_optimizer("rmsprop"), doctest::Contains("optimizer"),
                       std::invalid_argument);
}

// When g^2 overflows float (|g| > ~1.8e19, a finite gradient), v becomes +inf;
// torch then takes sqrt(inf) = inf and the update is 0. Eigen's fast-math SSE
// sqrt returns NaN at +inf (rsqrt(inf) = 0, then inf * 0), which is why the
// core is built with EIGEN_FAST_MATH=0.
TEST_CASE("Adam<float> never turns finite parameters and gradients into NaN") {
  OptimizerOptions options;
  options.learning_rate = 0.01;
  latentlab::Adam<float> adam(options, 8);
  Vector<float> params = Vector<float>::Constant(8, 0.5f);
  const Vector<float> grads = Vector<float>::Constant(8, 1e20f);
  REQUIRE(grads.allFinite());
  adam.step(params, grads, 1);
  CHECK(params.allFinite());
}
