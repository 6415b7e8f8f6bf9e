// binary16 <-> float (core/float16.h): known bit patterns both ways; every one
// of the 65536 halves against its value computed from the definition in
// double; rounding to nearest, ties to even, checked against the neighbouring
// halves over a sweep of a million floats (and against the compiler's own
// _Float16 conversion where it has one).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>

#include "float16.h"

using latentlab::float_from_half;
using latentlab::half_from_float;

namespace {

float float_of_bits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::uint32_t bits_of(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// The half's value from its definition, in double (independent of float16.h).
double half_value(std::uint16_t bits) {
  const double sign = (bits & 0x8000) ? -1.0 : 1.0;
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  if (exponent == 0x1f) {
    return mantissa == 0 ? sign * std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::quiet_NaN();
  }
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

bool is_nan_half(std::uint16_t bits) { return (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0; }

}  // namespace

TEST_CASE("float -> half: known bit patterns") {
  struct Case {
    float value;
    std::uint16_t half;
    const char* what;
  };
  const Case cases[] = {
      {1.0f, 0x3c00, "1"},
      {-2.0f, 0xc000, "-2"},
      {0.5f, 0x3800, "0.5"},
      {65504.0f, 0x7bff, "65504, the largest half"},
      {-65504.0f, 0xfbff, "-65504"},
      {std::ldexp(1.0f, -14), 0x0400, "2^-14, the smallest normal"},
      {std::ldexp(1.0f, -24), 0x0001, "2^-24, the smallest subnormal"},
      {std::ldexp(1023.0f, -24), 0x03ff, "1023 x 2^-24, the largest subnormal"},
      {-std::ldexp(1.0f, -24), 0x8001, "-2^-24"},
      // 0.1f is 0x3dcccccd: the 13 bits dropped (0x0ccd) are below half a step.
      {0.1f, 0x2e66, "0.1 rounds down to 0.0999755859375"},
      {1.0f / 3.0f, 0x3555, "1/3 rounds down"},
      {0.2f, 0x3266, "0.2"},
      {3.14159265f, 0x4248, "pi rounds to 3.140625"},
      // Ties: 1 + 2^-11 is halfway between 1 (even) and 1 + 2^-10 (odd).
      {1.0f + std::ldexp(1.0f, -11), 0x3c00, "a tie rounds down to the even 1"},
      {1.0f + 3 * std::ldexp(1.0f, -11), 0x3c02, "a tie rounds up to the even 1 + 2^-9"},
      {1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20), 0x3c01, "just past a tie rounds up"},
      {2049.0f, 0x6800, "2049: a tie between 2048 (even) and 2050"},
      {2051.0f, 0x6802, "2051: a tie between 2050 and 2052 (even)"},
      // Subnormal ties: 2^-25 between 0 and 2^-24; 3 x 2^-25 between 2^-24 and 2 x 2^-24.
      {std::ldexp(1.0f, -25), 0x0000, "2^-25 is a tie: to the even 0"},
      {std::ldexp(3.0f, -25), 0x0002, "3 x 2^-25 is a tie: to the even 2 x 2^-24"},
      {std::ldexp(1.0f, -25) * 1.0000001f, 0x0001, "just past 2^-25 rounds up to 2^-24"},
      {std::ldexp(1.0f, -26), 0x0000, "2^-26 rounds to 0"},
      {-std::ldexp(1.0f, -26), 0x8000, "-2^-26 rounds to -0"},
      // The largest subnormal plus half a step: a tie between 0x03ff (odd) and 0x0400.
      {std::ldexp(2047.0f, -25), 0x0400, "a subnormal rounds up into the normals"},
      {std::numeric_limits<float>::denorm_min(), 0x0000, "float's smallest subnormal"},
      {0.0f, 0x0000, "+0"},
      {-0.0f, 0x8000, "-0"},
      // Range: below 65520 a value rounds to 65504; 65520 is a tie with 65536 (even): Infinity.
      {65519.0f, 0x7bff, "65519 rounds to 65504"},
      {65520.0f, 0x7c00, "65520 rounds to Infinity"},
      {-65520.0f, 0xfc00, "-65520 rounds to -Infinity"},
      {1e10f, 0x7c00, "1e10"},
      {std::numeric_limits<float>::max(), 0x7c00, "float's largest"},
      {std::numeric_limits<float>::infinity(), 0x7c00, "Infinity"},
      {-std::numeric_limits<float>::infinity(), 0xfc00, "-Infinity"},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.what));
    CHECK(half_from_float(c.value) == c.half);
  }
  // NaN stays NaN, quiet, its sign and the top of its payload kept.
  CHECK(half_from_float(float_of_bits(0x7fc00000u)) == 0x7e00);
  CHECK(half_from_float(float_of_bits(0xffc00000u)) == 0xfe00);
  CHECK(half_from_float(float_of_bits(0x7f802000u)) == 0x7e01);  // signalling: quietened
  CHECK(half_from_float(float_of_bits(0x7f800001u)) == 0x7e00);  // payload below the kept bits
}

TEST_CASE("half -> float: known bit patterns, exact") {
  CHECK(bits_of(float_from_half(0x3c00)) == bits_of(1.0f));
  CHECK(bits_of(float_from_half(0xc000)) == bits_of(-2.0f));
  CHECK(float_from_half(0x7bff) == 65504.0f);
  CHECK(float_from_half(0x0400) == std::ldexp(1.0f, -14));
  CHECK(float_from_half(0x0001) == std::ldexp(1.0f, -24));
  CHECK(float_from_half(0x03ff) == std::ldexp(1023.0f, -24));
  CHECK(float_from_half(0x0200) == std::ldexp(1.0f, -15));
  CHECK(float_from_half(0x2e66) == 0.0999755859375f);
  CHECK(bits_of(float_from_half(0x0000)) == 0x00000000u);
  CHECK(bits_of(float_from_half(0x8000)) == 0x80000000u);  // -0 keeps its sign
  CHECK(float_from_half(0x7c00) == std::numeric_limits<float>::infinity());
  CHECK(float_from_half(0xfc00) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(float_from_half(0x7e00)));
  CHECK(std::isnan(float_from_half(0x7c01)));  // a signalling NaN is still NaN
  CHECK(std::isnan(float_from_half(0xffff)));
  CHECK(bits_of(float_from_half(0x7e01)) == 0x7fc02000u);  // the payload moves to the top bits
}

TEST_CASE("every half converts to the float its definition gives, and back to itself") {
  long wrong_value = 0, wrong_round_trip = 0;
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto half = static_cast<std::uint16_t>(bits);
    const float value = float_from_half(half);
    if (is_nan_half(half)) {
      if (!std::isnan(value) || !is_nan_half(half_from_float(value))) ++wrong_round_trip;
      continue;
    }
    if (static_cast<double>(value) != half_value(half) ||
        std::signbit(value) != bool(bits & 0x8000))
      ++wrong_value;
    if (half_from_float(value) != half) ++wrong_round_trip;
  }
  CHECK(wrong_value == 0);
  CHECK(wrong_round_trip == 0);
}

TEST_CASE("float -> half rounds to the nearest half, ties to even, over a sweep of floats") {
  // Every 4099th float bit pattern (a million, every exponent and sign), and
  // the floats either side of each half's midpoints near 1 and in the subnormals.
  long checked = 0, not_nearest = 0, tie_not_even = 0, wrong_sign = 0, wrong_overflow = 0;
  auto check = [&](float x) {
    if (std::isnan(x)) return;
    ++checked;
    const std::uint16_t half = half_from_float(x);
    if (std::signbit(x) != bool(half & 0x8000)) ++wrong_sign;
    const double magnitude = std::fabs(static_cast<double>(x));
    const std::uint16_t h = half & 0x7fff;
    if (magnitude >= 65520.0) {
      if (h != 0x7c00) ++wrong_overflow;
      return;
    }
    if (h >= 0x7c00) {
      ++wrong_overflow;
      return;
    }
    // The distance to this half, and to its neighbours in magnitude (past
    // 65504 the next step would be 65536).
    const double here = std::fabs(magnitude - half_value(h));
    const double below = h > 0 ? std::fabs(magnitude - half_value(h - 1)) : HUGE_VAL;
    const double above = std::fabs(magnitude - (h < 0x7bff ? half_value(h + 1) : 65536.0));
    if (here > below || here > above) ++not_nearest;
    if ((here == below || here == above) && (h & 1) != 0) ++tie_not_even;
  };
  for (std::uint64_t bits = 0; bits <= 0xffffffffu; bits += 4099) {
    check(float_of_bits(static_cast<std::uint32_t>(bits)));
  }
  for (std::uint32_t h = 0; h < 0x7bff; ++h) {
    const float midpoint = static_cast<float>((half_value(h) + half_value(h + 1)) / 2);  // exact
    for (float x : {std::nextafter(midpoint, 0.0f), midpoint, std::nextafter(midpoint, 1e9f)}) {
      check(x);
      check(-x);
    }
  }
  CHECK(checked > 1'000'000);
  CHECK(not_nearest == 0);
  CHECK(tie_not_even == 0);
  CHECK(wrong_sign == 0);
  CHECK(wrong_overflow == 0);
}

#if defined(__FLT16_MAX__) && !defined(__EMSCRIPTEN__)
TEST_CASE("float -> half agrees with the compiler's _Float16 conversion") {
  long differences = 0;
  for (std::uint64_t bits = 0; bits <= 0xffffffffu; bits += 257) {
    const float x = float_of_bits(static_cast<std::uint32_t>(bits));
    if (std::isnan(x)) continue;
    const _Float16 reference = static_cast<_Float16>(x);
    std::uint16_t reference_bits;
    std::memcpy(&reference_bits, &reference, sizeof reference_bits);
    if (half_from_float(x) != reference_bits) ++differences;
  }
  CHECK(differences == 0);
}
#endif
