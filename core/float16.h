// IEEE 754 binary16 ("half", safetensors' F16) <-> float, bit by bit, for
// model files that store their tensors in half the bytes.
//
// binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
//   exponent 1..30   normal     (-1)^s × (1 + m/1024) × 2^(e-15)   up to 65504
//   exponent 0       subnormal  (-1)^s × m × 2^-24                 (m = 0: ±0)
//   exponent 31      ±Infinity (m = 0), NaN (m ≠ 0)
// Every half is exactly a float, so half -> float is exact. float -> half
// rounds to nearest, ties to even (IEEE's default, and what PyTorch's .half()
// and numpy's float16 do); a float from 65520 on (the midpoint between 65504
// and the next step, 65536) rounds to ±Infinity, below 2^-25 in magnitude to
// ±0 (2^-25 itself is a tie and goes to the even 0).
#pragma once

#include <cstdint>
#include <cstring>

namespace latentlab {

// The float that half `bits` stands for: exact, NaN payloads kept in the top bits.
inline float float_from_half(std::uint16_t bits) {
  const std::uint32_t sign = std::uint32_t(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t result;
  if (exponent == 0x1f) {
    result = sign | 0x7f800000u | (mantissa << 13);  // Infinity, NaN
  } else if (exponent != 0) {
    // Rebias: float exponent = e - 15 + 127.
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    result = sign;  // ±0
  } else {
    // Subnormal m × 2^-24 = (m / 1024) × 2^-14: shift m left k times until
    // its bit 10 (the implicit 1 of a float) is set; the value is then
    // 1.f × 2^(-14-k), float exponent field 113 - k.
    std::uint32_t float_exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --float_exponent;
    }
    result = sign | (float_exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &result, sizeof value);
  return value;
}

// The half nearest `value`, ties to even; ±Infinity from 65520 on in
// magnitude; NaN stays NaN (quiet, top payload bits kept).
inline std::uint16_t half_from_float(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude >= 0x7f800000u) {  // Infinity, NaN
    if (magnitude == 0x7f800000u) return sign | 0x7c00u;
    return static_cast<std::uint16_t>(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
  }
  if (magnitude >= 0x477ff000u) return sign | 0x7c00u;  // >= 65520: rounds past 65504
  // Round the low `dropped` bits of `kept_and_dropped` away, to nearest, ties to even.
  auto round_off = [](std::uint32_t kept_and_dropped, int dropped) {
    const std::uint32_t kept = kept_and_dropped >> dropped;
    const std::uint32_t rest = kept_and_dropped & ((1u << dropped) - 1);
    const std::uint32_t halfway = 1u << (dropped - 1);
    return kept + ((rest > halfway || (rest == halfway && (kept & 1u))) ? 1u : 0u);
  };
  if (magnitude >= 0x38800000u) {
    // Normal (>= 2^-14): rebias the exponent (e - 127 + 15) and drop 13
    // mantissa bits. A carry out of the mantissa moves into the exponent,
    // which is the right result (up to 0x7bff, as 65520 was handled above).
    return static_cast<std::uint16_t>(sign | round_off(magnitude - (112u << 23), 13));
  }
  if (magnitude <= 0x33000000u) return sign;  // <= 2^-25: ±0 (2^-25 is a tie, to even)
  // Subnormal: the value in units of 2^-24. The float is M × 2^(e-150), M the
  // 24-bit significand with its implicit 1, so in units of 2^-24 it is
  // M × 2^(e-126): shift right by 126 - e, 14 to 24 bits for e in [102, 112].
  // Rounding up to 1024 gives 0x0400, the smallest normal: also right.
  const std::uint32_t exponent = magnitude >> 23;
  const std::uint32_t significand = (magnitude & 0x7fffffu) | 0x800000u;
  return static_cast<std::uint16_t>(sign |
                                    round_off(significand, static_cast<int>(126 - exponent)));
}

}  // namespace latentlab
