// Reduce kernels: one template per shape, instantiated for every datatype x op.
//
// Each thread moves 16-byte vectors (uint4), kUnroll of them in flight per iteration so that
// enough loads are outstanding to saturate memory, and strides over the grid. A vector holds
// 16 / sizeof(S) whole elements and is reduced element by element with reduceElement from
// reduce_ops.h. When the pointers share their misalignment modulo 16 the leading elements up
// to the first aligned address (the head) and the remainder after the last whole vector (the
// tail) are done one element per thread; when they do not, the whole range is done that way.
#include "reduce_kernels.h"

#include <stdint.h>

#include "reduce/reduce_ops.h"

namespace hoop {
namespace cuda {
namespace {

constexpr int kThreads = 512;
constexpr int kUnroll = 4;
constexpr int kBlocksPerMultiprocessor = 4;

enum OpKind { kSum, kProd, kMax, kMin };

template <typename S, int K>
__device__ __forceinline__ S reduceOne(S a, S b) {
  if constexpr (K == kSum) return reduceElement<S, OpSum>(a, b);
  else if constexpr (K == kProd) return reduceElement<S, OpProd>(a, b);
  else if constexpr (K == kMax) return reduceElement<S, OpMax>(a, b);
  else return reduceElement<S, OpMin>(a, b);
}

template <typename S>
struct Pack {
  static constexpr int kElements = 16 / sizeof(S);
  S element[kElements];
};

template <typename S>
__device__ __forceinline__ Pack<S> toPack(uint4 raw) {
  Pack<S> pack;
  memcpy(&pack, &raw, sizeof raw);
  return pack;
}

template <typename S>
__device__ __forceinline__ uint4 fromPack(const Pack<S>& pack) {
  uint4 raw;
  memcpy(&raw, &pack, sizeof raw);
  return raw;
}

// How a range of `count` elements splits into head elements, whole vectors and tail elements.
struct Split {
  size_t head;
  size_t vectors;
  size_t tail;
};

template <typename S>
Split splitRange(size_t count, const void* const* pointers, int npointers) {
  const uintptr_t misalignment = reinterpret_cast<uintptr_t>(pointers[0]) % 16;
  bool shared = misalignment % sizeof(S) == 0;
  for (int i = 1; i < npointers; ++i) {
    if (pointers[i] != nullptr && reinterpret_cast<uintptr_t>(pointers[i]) % 16 != misalignment) shared = false;
  }
  if (!shared) return Split{count, 0, 0};
  size_t head = misalignment == 0 ? 0 : (16 - misalignment) / sizeof(S);
  if (head > count) head = count;
  const size_t perVector = Pack<S>::kElements;
  const size_t vectors = (count - head) / perVector;
  return Split{head, vectors, count - head - vectors * perVector};
}

template <typename S, int K>
__global__ void __launch_bounds__(kThreads) reduceKernel(S* dst, S* dst2, const S* a, const S* b, Split split) {
  const size_t thread = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  const uint4* va = reinterpret_cast<const uint4*>(a + split.head);
  const uint4* vb = reinterpret_cast<const uint4*>(b + split.head);
  uint4* vdst = reinterpret_cast<uint4*>(dst + split.head);
  uint4* vdst2 = dst2 != nullptr ? reinterpret_cast<uint4*>(dst2 + split.head) : nullptr;
  for (size_t base = thread; base < split.vectors; base += stride * kUnroll) {
    uint4 x[kUnroll];
    uint4 y[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      const size_t v = base + u * stride;
      if (v < split.vectors) {
        x[u] = va[v];
        y[u] = vb[v];
      }
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      const size_t v = base + u * stride;
      if (v >= split.vectors) continue;
      const Pack<S> left = toPack<S>(x[u]);
      const Pack<S> right = toPack<S>(y[u]);
      Pack<S> out;
#pragma unroll
      for (int e = 0; e < Pack<S>::kElements; ++e) out.element[e] = reduceOne<S, K>(left.element[e], right.element[e]);
      const uint4 raw = fromPack(out);
      vdst[v] = raw;
      if (dst2 != nullptr) vdst2[v] = raw;
    }
  }
  const size_t tailStart = split.head + split.vectors * Pack<S>::kElements;
  for (size_t i = thread; i < split.head + split.tail; i += stride) {
    const size_t index = i < split.head ? i : tailStart + (i - split.head);
    const S value = reduceOne<S, K>(a[index], b[index]);
    dst[index] = value;
    if (dst2 != nullptr) dst2[index] = value;
  }
}

template <typename S>
__global__ void __launch_bounds__(kThreads) divideKernel(S* buf, int nranks, Split split) {
  const size_t thread = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  uint4* vbuf = reinterpret_cast<uint4*>(buf + split.head);
  for (size_t v = thread; v < split.vectors; v += stride) {
    Pack<S> pack = toPack<S>(vbuf[v]);
#pragma unroll
    for (int e = 0; e < Pack<S>::kElements; ++e) pack.element[e] = divideElement(pack.element[e], nranks);
    vbuf[v] = fromPack(pack);
  }
  const size_t tailStart = split.head + split.vectors * Pack<S>::kElements;
  for (size_t i = thread; i < split.head + split.tail; i += stride) {
    const size_t index = i < split.head ? i : tailStart + (i - split.head);
    buf[index] = divideElement(buf[index], nranks);
  }
}

// Enough blocks for the work, capped at maxBlocks (and at least one).
unsigned int gridFor(const Split& split, int maxBlocks) {
  const size_t items = split.vectors / kUnroll + split.head + split.tail + 1;
  const size_t wanted = (items + kThreads - 1) / kThreads;
  const size_t cap = maxBlocks > 0 ? static_cast<size_t>(maxBlocks) : 1;
  return static_cast<unsigned int>(wanted < cap ? wanted : cap);
}

template <typename S, int K>
cudaError_t launchReduce(void* dst, void* dst2, const void* a, const void* b, size_t count, int maxBlocks,
                         cudaStream_t stream) {
  if (count == 0) return cudaSuccess;
  const void* pointers[] = {dst, dst2, a, b};
  const Split split = splitRange<S>(count, pointers, 4);
  reduceKernel<S, K><<<gridFor(split, maxBlocks), kThreads, 0, stream>>>(
      static_cast<S*>(dst), static_cast<S*>(dst2), static_cast<const S*>(a), static_cast<const S*>(b), split);
  return cudaGetLastError();
}

template <typename S>
cudaError_t launchDivide(void* buf, size_t count, int nranks, int maxBlocks, cudaStream_t stream) {
  if (count == 0) return cudaSuccess;
  const void* pointers[] = {buf};
  const Split split = splitRange<S>(count, pointers, 1);
  divideKernel<S><<<gridFor(split, maxBlocks), kThreads, 0, stream>>>(static_cast<S*>(buf), nranks, split);
  return cudaGetLastError();
}

template <typename S>
DeviceReduceFn reduceForOp(hoopRedOp_t op) {
  switch (op) {
    case hoopSum:
    case hoopAvg: return &launchReduce<S, kSum>;
    case hoopProd: return &launchReduce<S, kProd>;
    case hoopMax: return &launchReduce<S, kMax>;
    case hoopMin: return &launchReduce<S, kMin>;
    default: return nullptr;
  }
}

}  // namespace

DeviceReduceFn deviceReduceFunction(hoopDataType_t datatype, hoopRedOp_t op) {
  switch (datatype) {
    case hoopInt8: return reduceForOp<int8_t>(op);
    case hoopUint8: return reduceForOp<uint8_t>(op);
    case hoopInt32: return reduceForOp<int32_t>(op);
    case hoopUint32: return reduceForOp<uint32_t>(op);
    case hoopInt64: return reduceForOp<int64_t>(op);
    case hoopUint64: return reduceForOp<uint64_t>(op);
    case hoopFloat16: return reduceForOp<half_t>(op);
    case hoopFloat32: return reduceForOp<float>(op);
    case hoopFloat64: return reduceForOp<double>(op);
    case hoopBfloat16: return reduceForOp<bfloat16_t>(op);
    default: return nullptr;
  }
}

DeviceDivideFn deviceDivideFunction(hoopDataType_t datatype) {
  switch (datatype) {
    case hoopInt8: return &launchDivide<int8_t>;
    case hoopUint8: return &launchDivide<uint8_t>;
    case hoopInt32: return &launchDivide<int32_t>;
    case hoopUint32: return &launchDivide<uint32_t>;
    case hoopInt64: return &launchDivide<int64_t>;
    case hoopUint64: return &launchDivide<uint64_t>;
    case hoopFloat16: return &launchDivide<half_t>;
    case hoopFloat32: return &launchDivide<float>;
    case hoopFloat64: return &launchDivide<double>;
    case hoopBfloat16: return &launchDivide<bfloat16_t>;
    default: return nullptr;
  }
}

int deviceMaxBlocks(int device) {
  int multiprocessors = 0;
  if (cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device) != cudaSuccess) return 0;
  return multiprocessors * kBlocksPerMultiprocessor;
}

}  // namespace cuda
}  // namespace hoop
