// The two kinds of bad input the engine tells apart, so that every entry
// point can report them as JavaScript does (TypeError, RangeError):
//   InvalidKind:  a value of the wrong type or shape, an unknown name
//   OutOfRange:   a value of the right kind outside what is legal
// Other std::invalid_argument errors (e.g. a malformed file) are plain errors.
#pragma once

#include <stdexcept>

namespace latentlab {

struct InvalidKind : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct OutOfRange : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace latentlab
