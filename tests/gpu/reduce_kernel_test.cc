// The CUDA reduce kernels against the CPU reducers, bitwise, for every datatype x op: random
// bit patterns (every 16-bit pattern for float16 and bfloat16), aligned and misaligned
// pointers, one and two outputs, in place, odd counts, and the avg division. NaN results
// only have to be NaN on both sides: the sign and payload of a NaN made by arithmetic
// follow the hardware (x86 keeps an operand's, the GPU makes a canonical one).
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <random>
#include <vector>

#include "exact_data.h"
#include "gpu_test.h"
#include "reduce/cpu_reducer.h"
#include "reduce/reduce_ops.h"
#include "reduce_kernels.h"

namespace hoop {
namespace {

using gputest::DeviceBuffer;
using testing::datatypeName;
using testing::opName;

bool isNan(hoopDataType_t datatype, const char* element) {
  switch (datatype) {
    case hoopFloat16: { uint16_t h; memcpy(&h, element, 2); return (h & 0x7fffu) > 0x7c00u; }
    case hoopBfloat16: { uint16_t b; memcpy(&b, element, 2); return (b & 0x7fffu) > 0x7f80u; }
    case hoopFloat32: { float f; memcpy(&f, element, 4); return isnan(f); }
    case hoopFloat64: { double d; memcpy(&d, element, 8); return isnan(d); }
    default: return false;
  }
}

// Index of the first element that differs (NaN matches NaN), or count when none does.
size_t firstDifference(hoopDataType_t datatype, const char* a, const char* b, size_t count) {
  const size_t size = dataTypeSize(datatype);
  for (size_t i = 0; i < count; ++i) {
    if (memcmp(a + i * size, b + i * size, size) == 0) continue;
    if (isNan(datatype, a + i * size) && isNan(datatype, b + i * size)) continue;
    return i;
  }
  return count;
}

void fillRandom(std::vector<char>& bytes, std::mt19937_64& random) {
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    const uint64_t word = random();
    memcpy(&bytes[i], &word, 8);
  }
  for (; i < bytes.size(); ++i) bytes[i] = static_cast<char>(random());
}

// Every 16-bit pattern paired with every other in turn, so the float16/bfloat16 conversions
// are checked on all inputs.
void fillAllPatterns(std::vector<char>& a, std::vector<char>& b, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const uint16_t x = static_cast<uint16_t>(i);
    const uint16_t y = static_cast<uint16_t>(i * 40503u + (i >> 16) * 7u);
    memcpy(&a[2 * i], &x, 2);
    memcpy(&b[2 * i], &y, 2);
  }
}

struct Layout {
  size_t dstOffset;  // in elements, from a 256-byte aligned allocation
  size_t aOffset;
  size_t bOffset;
  bool secondOutput;
  bool inPlace;  // dst is a
};

void checkReduce(hoopDataType_t datatype, hoopRedOp_t op, size_t count, const Layout& layout, std::mt19937_64& random) {
  const size_t size = dataTypeSize(datatype);
  const size_t slack = 16;
  std::vector<char> a((count + slack) * size), b((count + slack) * size), expected(count * size);
  if (size == 2 && count >= 65536) {
    fillAllPatterns(a, b, count + slack);
  } else {
    fillRandom(a, random);
    fillRandom(b, random);
  }
  reduceFunction(datatype, op)(expected.data(), a.data() + layout.aOffset * size, b.data() + layout.bOffset * size, count);

  DeviceBuffer da(a.size()), db(b.size()), dd(a.size()), dd2(a.size());
  CHECK_CUDA(cudaMemcpy(da.get(), a.data(), a.size(), cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(db.get(), b.data(), b.size(), cudaMemcpyHostToDevice));
  char* dst = layout.inPlace ? da.get() + layout.aOffset * size : dd.get() + layout.dstOffset * size;
  char* dst2 = layout.secondOutput ? dd2.get() + layout.dstOffset * size : nullptr;
  const int maxBlocks = cuda::deviceMaxBlocks(0);
  CHECK_CUDA(cuda::deviceReduceFunction(datatype, op)(dst, dst2, da.get() + layout.aOffset * size,
                                                      db.get() + layout.bOffset * size, count, maxBlocks, nullptr));
  CHECK_CUDA(cudaDeviceSynchronize());
  std::vector<char> got(count * size + 1);
  CHECK_CUDA(cudaMemcpy(got.data(), dst, count * size, cudaMemcpyDeviceToHost));
  const size_t bad = firstDifference(datatype, expected.data(), got.data(), count);
  CHECK(bad == count, "%s %s count %zu offsets dst %zu a %zu b %zu%s: element %zu differs from the CPU reducer",
        datatypeName(datatype), opName(op), count, layout.dstOffset, layout.aOffset, layout.bOffset,
        layout.inPlace ? " in place" : "", bad);
  if (dst2 != nullptr) {
    CHECK_CUDA(cudaMemcpy(got.data(), dst2, count * size, cudaMemcpyDeviceToHost));
    CHECK(firstDifference(datatype, expected.data(), got.data(), count) == count, "%s %s count %zu: second output differs",
          datatypeName(datatype), opName(op), count);
  }
}

void checkDivide(hoopDataType_t datatype, size_t count, int nranks, size_t offset, std::mt19937_64& random) {
  const size_t size = dataTypeSize(datatype);
  std::vector<char> data((count + offset) * size);
  fillRandom(data, random);
  std::vector<char> expected(data);
  divideFunction(datatype)(expected.data() + offset * size, count, nranks);
  DeviceBuffer buffer(data.size());
  CHECK_CUDA(cudaMemcpy(buffer.get(), data.data(), data.size(), cudaMemcpyHostToDevice));
  CHECK_CUDA(cuda::deviceDivideFunction(datatype)(buffer.get() + offset * size, count, nranks, cuda::deviceMaxBlocks(0), nullptr));
  CHECK_CUDA(cudaDeviceSynchronize());
  std::vector<char> got(data.size());
  CHECK_CUDA(cudaMemcpy(got.data(), buffer.get(), data.size(), cudaMemcpyDeviceToHost));
  const size_t bad = firstDifference(datatype, expected.data(), got.data(), count + offset);
  CHECK(bad == count + offset, "%s divide by %d, count %zu offset %zu: element %zu differs", datatypeName(datatype),
        nranks, count, offset, bad);
}

}  // namespace
}  // namespace hoop

int main() {
  using namespace hoop;
  gputest::devicesOrSkip(1);
  CHECK_CUDA(cudaSetDevice(0));
  std::mt19937_64 random(20240611);
  const size_t counts[] = {0, 1, 7, 15, 16, 17, 1000, 4099, 65536 + 5, (1u << 20) + 3};
  const Layout layouts[] = {
      {0, 0, 0, false, false}, {0, 0, 0, true, false}, {1, 1, 1, true, false},
      {0, 1, 0, false, false}, {3, 0, 2, true, false}, {0, 0, 0, false, true},
  };
  for (int t = 0; t < hoopNumTypes; ++t) {
    const hoopDataType_t datatype = static_cast<hoopDataType_t>(t);
    for (int o = 0; o < hoopNumOps; ++o) {
      for (size_t count : counts) {
        for (const Layout& layout : layouts) checkReduce(datatype, static_cast<hoopRedOp_t>(o), count, layout, random);
      }
    }
    for (int nranks : {1, 3, 7, 8}) {
      for (size_t count : {size_t{0}, size_t{1}, size_t{33}, size_t{4099}, size_t{1} << 20}) {
        checkDivide(datatype, count, nranks, 0, random);
        checkDivide(datatype, count, nranks, 1, random);
      }
    }
  }
  return gputest::finish();
}
