// Splitting a buffer into near-equal contiguous parts whose boundaries fall on multiples of
// `align` elements (so that every part starts on a cache line when the buffer does).
#pragma once

#include <stddef.h>

namespace hoop {

struct Range {
  size_t offset;
  size_t count;
};

// Start of part `index` of `parts` (index == parts gives count).
inline size_t partBoundary(size_t count, size_t parts, size_t index, size_t align) {
  if (index >= parts) return count;
  const size_t units = (count + align - 1) / align;
  const size_t unit = static_cast<size_t>(static_cast<unsigned __int128>(units) * index / parts);
  const size_t boundary = unit * align;
  return boundary < count ? boundary : count;
}

inline Range partRange(size_t count, size_t parts, size_t index, size_t align) {
  const size_t begin = partBoundary(count, parts, index, align);
  return Range{begin, partBoundary(count, parts, index + 1, align) - begin};
}

// Elements per 64-byte cache line for an element size (at least 1).
inline size_t cacheLineElements(size_t elemSize) { return elemSize >= 64 ? 1 : 64 / elemSize; }

}  // namespace hoop
