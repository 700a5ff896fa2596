// CUDA reduce kernels for every datatype x op, callable from host C++ code.
//
// The element semantics are those of src/reduce/reduce_ops.h, shared with the CPU reducers,
// so the CPU tests pin down what these kernels compute and the GPU tests compare the two
// bitwise. Lookups happen once per collective call; the returned functions only launch.
//
// Every launch is grid-stride over 16-byte vectors (whole elements; the unaligned head and
// the tail are done element by element), at most maxBlocks blocks, on `stream`, and returns
// the launch's cudaError_t. Pointers are device memory readable from the stream's device
// (peer memory included where peer access is enabled).
#pragma once

#include <cuda_runtime.h>
#include <stddef.h>

#include "hoop/hoop.h"

namespace hoop {
namespace cuda {

// dst[i] = a[i] op b[i] for i < count, and dst2[i] the same when dst2 is not NULL: the fused
// receive-reduce-copy of a ring step. hoopAvg reduces as a sum (see DeviceDivideFn). dst and
// dst2 may equal a or b, but overlap no input partially.
typedef cudaError_t (*DeviceReduceFn)(void* dst, void* dst2, const void* a, const void* b, size_t count,
                                      int maxBlocks, cudaStream_t stream);

// buf[i] = buf[i] / nranks, the avg finalisation (integers truncate toward zero).
typedef cudaError_t (*DeviceDivideFn)(void* buf, size_t count, int nranks, int maxBlocks, cudaStream_t stream);

// NULL for an unknown datatype or op.
DeviceReduceFn deviceReduceFunction(hoopDataType_t datatype, hoopRedOp_t op);
DeviceDivideFn deviceDivideFunction(hoopDataType_t datatype);

// A grid-size limit that keeps every multiprocessor of `device` busy with a few resident
// blocks; 0 when the device cannot be queried.
int deviceMaxBlocks(int device);

}  // namespace cuda
}  // namespace hoop
