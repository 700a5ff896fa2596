// CUDA runtime errors as Status, naming the call that failed.
#pragma once

#include <cuda_runtime.h>

#include "base/status.h"

namespace hoop {

inline Status cudaFailure(const char* call, cudaError_t error) {
  return Status(hoopUnhandledCudaError, format("%s failed: %s (%s)", call, cudaGetErrorName(error), cudaGetErrorString(error)));
}

}  // namespace hoop

// Returns a hoopUnhandledCudaError Status from the enclosing function when the call fails.
#define HOOP_CUDA_RETURN_IF_ERROR(call)                               \
  do {                                                                \
    const cudaError_t cudaError_ = (call);                            \
    if (cudaError_ != cudaSuccess) return ::hoop::cudaFailure(#call, cudaError_); \
  } while (0)
