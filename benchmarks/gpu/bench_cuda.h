// BENCH_CUDA(call): runs a CUDA runtime call and ends the benchmark with its error message
// when it fails. A benchmark has nothing to recover, so the first error is the last.
#pragma once

#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>

#define BENCH_CUDA(call)                                                          \
  do {                                                                            \
    const cudaError_t benchError_ = (call);                                       \
    if (benchError_ != cudaSuccess) {                                             \
      fprintf(stderr, "%s failed: %s\n", #call, cudaGetErrorString(benchError_)); \
      exit(1);                                                                    \
    }                                                                             \
  } while (0)
