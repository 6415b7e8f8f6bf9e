// A strict reader of IDX files, the format of the MNIST distribution:
//   bytes 0-1  zero
//   byte  2    element type (only 0x08, unsigned byte, is supported)
//   byte  3    number of dimensions d >= 1
//   d x 4      big-endian uint32 sizes
//   the elements, row-major, exactly as many as the sizes multiply to
// Every size is checked against the bytes really present, in 64-bit
// arithmetic, before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace latentlab {

struct IdxArray {
  std::vector<std::uint32_t> shape;
  std::vector<std::uint8_t> values;
};

// Throws std::invalid_argument saying what is wrong with the bytes.
IdxArray parse_idx(const std::uint8_t* bytes, std::uint64_t size);

// Checks that images (n x rows x cols) and labels (n) describe the same
// samples; throws std::invalid_argument otherwise.
void check_labelled_images(const IdxArray& images, const IdxArray& labels);

}  // namespace latentlab
