// Bandwidth of the CUDA reduce kernels per datatype (sum), against a device-to-device copy on
// the same GPU. Bytes counted are bytes read plus bytes written: a copy of S bytes moves 2S,
// a reduction of two S-byte inputs into one output 3S, and the fused form with two outputs
// 4S. Each figure is the median of the timed repetitions (CUDA events). The goal is a
// reduction at 85% or more of the copy's rate.
//   reduce_kernel_perf [bytes per buffer, default 268435456] [repetitions, default 20]
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>

#include <algorithm>
#include <vector>

#include "bench_cuda.h"
#include "exact_data.h"
#include "reduce_kernels.h"

namespace {

// Median milliseconds of `repetitions` runs of `body`, after one warm-up.
template <typename Body>
float medianMs(int repetitions, Body body) {
  cudaEvent_t start, stop;
  BENCH_CUDA(cudaEventCreate(&start));
  BENCH_CUDA(cudaEventCreate(&stop));
  body();
  std::vector<float> times;
  for (int i = 0; i < repetitions; ++i) {
    BENCH_CUDA(cudaEventRecord(start));
    body();
    BENCH_CUDA(cudaEventRecord(stop));
    BENCH_CUDA(cudaEventSynchronize(stop));
    float ms = 0;
    BENCH_CUDA(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

double gbPerSecond(double bytes, float ms) { return bytes / (ms * 1e-3) / 1e9; }

}  // namespace

int main(int argc, char** argv) {
  const size_t bytes = argc > 1 ? strtoull(argv[1], nullptr, 10) : size_t{256} << 20;
  const int repetitions = argc > 2 ? atoi(argv[2]) : 20;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    printf("SKIPPED: no usable CUDA device\n");
    return 77;
  }
  cudaDeviceProp properties;
  BENCH_CUDA(cudaGetDeviceProperties(&properties, 0));
  void *a, *b, *dst, *dst2;
  BENCH_CUDA(cudaMalloc(&a, bytes));
  BENCH_CUDA(cudaMalloc(&b, bytes));
  BENCH_CUDA(cudaMalloc(&dst, bytes));
  BENCH_CUDA(cudaMalloc(&dst2, bytes));
  BENCH_CUDA(cudaMemset(a, 0, bytes));
  BENCH_CUDA(cudaMemset(b, 0, bytes));
  const int maxBlocks = hoop::cuda::deviceMaxBlocks(0);

  const float copyMs = medianMs(repetitions, [&] { BENCH_CUDA(cudaMemcpyAsync(dst, a, bytes, cudaMemcpyDeviceToDevice)); });
  const double copy = gbPerSecond(2.0 * bytes, copyMs);
  printf("# %s, %zu MiB per buffer, median of %d; GB/s count bytes read + written\n", properties.name, bytes >> 20,
         repetitions);
  printf("# device-to-device copy: %.0f GB/s\n", copy);
  printf("%-10s %14s %8s %16s %8s %s\n", "datatype", "reduce GB/s", "vs copy", "reduce+copy GB/s", "vs copy", "");
  for (int t = 0; t < hoopNumTypes; ++t) {
    const hoopDataType_t datatype = static_cast<hoopDataType_t>(t);
    const size_t count = bytes / hoop::testing::typeSize(datatype);
    const hoop::cuda::DeviceReduceFn reduce = hoop::cuda::deviceReduceFunction(datatype, hoopSum);
    const float oneMs = medianMs(repetitions, [&] { BENCH_CUDA(reduce(dst, nullptr, a, b, count, maxBlocks, nullptr)); });
    const float twoMs = medianMs(repetitions, [&] { BENCH_CUDA(reduce(dst, dst2, a, b, count, maxBlocks, nullptr)); });
    const double one = gbPerSecond(3.0 * bytes, oneMs);
    const double two = gbPerSecond(4.0 * bytes, twoMs);
    printf("%-10s %14.0f %7.0f%% %16.0f %7.0f%% %s\n", hoop::testing::datatypeName(datatype), one, 100 * one / copy, two,
           100 * two / copy, one >= 0.85 * copy ? "" : "(below 85% of copy)");
  }
  cudaFree(a);
  cudaFree(b);
  cudaFree(dst);
  cudaFree(dst2);
  return 0;
}
