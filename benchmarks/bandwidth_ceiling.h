// The memory-bandwidth ceiling of an all-reduce inside one node, measured rather than
// assumed: the work of the ideal algorithm in which every rank could load and store every
// other rank's buffers with no copy at all. Rank r then reduces part r (bytes/n) straight
// out of all n input buffers and writes the result into all n output buffers: it reads
// `bytes` and writes `bytes`, and nothing else. Each rank runs exactly that traffic on n
// private input parts and n private output parts, in 64 KiB chunks (reduce into the first
// output, then copy the cache-hot chunk into the others), all ranks at the same time. It
// adds float32 (the traffic, not the arithmetic, is what is measured); no all-reduce over
// separate process memories can beat it.
#pragma once

#include <stddef.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "base/aligned_buffer.h"

namespace hoop {
namespace bench {

class BandwidthCeiling {
 public:
  // Room for `bytes` at `nranks`; false when memory is short.
  bool reserve(int nranks, size_t maxBytes) {
    nranks_ = nranks;
    part_ = (maxBytes / static_cast<size_t>(nranks) + 63) / 64 * 64;
    const size_t total = 2 * static_cast<size_t>(nranks) * part_;
    if (!memory_.reserve(total)) return false;
    memset(memory_.data(), 0, total);
    return true;
  }

  // One ideal all-reduce of `bytes`.
  void run(size_t bytes) {
    const size_t part = bytes / static_cast<size_t>(nranks_) / 64 * 64;
    for (size_t offset = 0; offset < part; offset += kChunk) {
      const size_t length = std::min(kChunk, part - offset);
      float* out = reinterpret_cast<float*>(output(0) + offset);
      add(out, reinterpret_cast<const float*>(input(0) + offset),
          reinterpret_cast<const float*>(input(nranks_ > 1 ? 1 : 0) + offset), length / sizeof(float));
      for (int s = 2; s < nranks_; ++s) add(out, out, reinterpret_cast<const float*>(input(s) + offset), length / sizeof(float));
      for (int j = 1; j < nranks_; ++j) memcpy(output(j) + offset, out, length);
    }
  }

 private:
  static constexpr size_t kChunk = 64 << 10;
  typedef float Vector __attribute__((vector_size(64), aligned(64)));

  static void add(float* dst, const float* a, const float* b, size_t count) {
    for (size_t i = 0; i < count; i += 16) {
      *reinterpret_cast<Vector*>(dst + i) = *reinterpret_cast<const Vector*>(a + i) + *reinterpret_cast<const Vector*>(b + i);
    }
  }
  char* input(int j) { return memory_.data() + static_cast<size_t>(j) * part_; }
  char* output(int j) { return memory_.data() + static_cast<size_t>(nranks_ + j) * part_; }

  int nranks_ = 1;
  size_t part_ = 0;
  AlignedBuffer memory_;
};

}  // namespace bench
}  // namespace hoop
