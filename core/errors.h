// The two kinds of bad input the engine tells apart, so that every entry
// point can report them as JavaScript does (TypeError, RangeError):
//   InvalidKind:  a value of the wrong type or shape, an unknown name
//   OutOfRange:   a value of the right kind outside what is legal
// Other std::invalid_argument errors (e.g. a malformed file) are plain errors.
#pragma once

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace latentlab {

struct InvalidKind : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct OutOfRange : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// A number in a message as JavaScript shows it: the shortest form that reads
// back as the same double; NaN, Infinity, -Infinity.
inline std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  std::string text;
  for (int precision = 1; precision <= 17; ++precision) {
    std::ostringstream out;
    out.precision(precision);
    out << value;
    text = out.str();
    if (std::stod(text) == value) break;
  }
  return text;
}

}  // namespace latentlab
