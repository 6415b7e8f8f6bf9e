#include "idx.h"

#include <limits>
#include <stdexcept>
#include <string>

namespace latentlab {
namespace {

constexpr std::uint8_t unsigned_byte_type = 0x08;

std::uint32_t read_big_endian_u32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

}  // namespace

IdxArray parse_idx(const std::uint8_t* bytes, std::uint64_t size) {
  if (size < 4) {
    throw std::invalid_argument("IDX: truncated header: " + std::to_string(size) +
                                " bytes, need at least 4");
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    throw std::invalid_argument("IDX: bad magic number: the first two bytes must be zero");
  }
  if (bytes[2] != unsigned_byte_type) {
    throw std::invalid_argument("IDX: unsupported element type 0x" +
                                std::string(1, "0123456789abcdef"[bytes[2] >> 4]) +
                                std::string(1, "0123456789abcdef"[bytes[2] & 15]) +
                                ", only 0x08 (unsigned byte) is supported");
  }
  const std::uint32_t dimensions = bytes[3];
  if (dimensions == 0) throw std::invalid_argument("IDX: the file declares 0 dimensions");
  const std::uint64_t header = 4 + 4ull * dimensions;
  if (size < header) {
    throw std::invalid_argument("IDX: truncated header: " + std::to_string(dimensions) +
                                " dimensions need " + std::to_string(header) +
                                " bytes, the file has " + std::to_string(size));
  }
  IdxArray array;
  std::uint64_t count = 1;
  for (std::uint32_t i = 0; i < dimensions; ++i) {
    const std::uint32_t extent = read_big_endian_u32(bytes + 4 + 4 * i);
    if (extent == 0) {
      throw std::invalid_argument("IDX: dimension " + std::to_string(i) + " has size 0");
    }
    if (count > std::numeric_limits<std::uint64_t>::max() / extent) {
      throw std::invalid_argument("IDX: the dimension sizes multiply past 2^64 elements");
    }
    count *= extent;
    array.shape.push_back(extent);
  }
  const std::uint64_t available = size - header;
  if (count > available) {
    throw std::invalid_argument("IDX: truncated data: the dimensions declare " +
                                std::to_string(count) + " elements, the file holds " +
                                std::to_string(available));
  }
  if (count < available) {
    throw std::invalid_argument("IDX: " + std::to_string(available - count) +
                                " unexpected bytes after the " + std::to_string(count) +
                                " declared elements");
  }
  array.values.assign(bytes + header, bytes + header + count);
  return array;
}

void check_labelled_images(const IdxArray& images, const IdxArray& labels) {
  if (images.shape.size() != 3) {
    throw std::invalid_argument("IDX: images must have 3 dimensions (count, rows, columns), got " +
                                std::to_string(images.shape.size()));
  }
  if (labels.shape.size() != 1) {
    throw std::invalid_argument("IDX: labels must have 1 dimension, got " +
                                std::to_string(labels.shape.size()));
  }
  if (images.shape[0] != labels.shape[0]) {
    throw std::invalid_argument("IDX: " + std::to_string(images.shape[0]) + " images but " +
                                std::to_string(labels.shape[0]) + " labels");
  }
}

}  // namespace latentlab
