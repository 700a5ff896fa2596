// All-reduce bus bandwidth of hoopCommInitAll cliques of several logical ranks on one GPU
// (float32 sum, out of place), in the manner of nccl-tests: algbw = bytes / time and
// busbw = algbw * 2(n-1)/n. One thread drives all ranks in a hoopGroupStart/End group; the
// time of an iteration is the host's wall clock over a batch of iterations, from the first
// call until every rank's stream has finished, divided by the batch size.
//   clique_allreduce_perf [ranks...]          (default 2 4 8), sizes 8 B to 1 GiB, x4
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>

#include <chrono>
#include <vector>

#include "bench_cuda.h"
#include "hoop/hoop_cuda.h"

namespace {

struct Rank {
  hoopComm_t comm = nullptr;
  cudaStream_t stream = nullptr;
  void* send = nullptr;
  void* recv = nullptr;
};

void allReduce(std::vector<Rank>& ranks, size_t count) {
  hoopGroupStart();
  for (Rank& rank : ranks) {
    if (hoopAllReduce(rank.send, rank.recv, count, hoopFloat32, hoopSum, rank.comm, rank.stream) != hoopSuccess) {
      fprintf(stderr, "hoopAllReduce: %s\n", hoopGetLastError(rank.comm));
      exit(1);
    }
  }
  if (hoopGroupEnd() != hoopSuccess) {
    fprintf(stderr, "hoopGroupEnd: %s\n", hoopGetLastError(nullptr));
    exit(1);
  }
}

double secondsPerCall(std::vector<Rank>& ranks, size_t count, int iterations) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) allReduce(ranks, count);
  for (Rank& rank : ranks) BENCH_CUDA(cudaStreamSynchronize(rank.stream));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / iterations;
}

void run(int n, size_t maxBytes) {
  std::vector<int> devices(static_cast<size_t>(n), 0);
  std::vector<hoopComm_t> comms(static_cast<size_t>(n));
  if (hoopCommInitAll(comms.data(), n, devices.data()) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitAll: %s\n", hoopGetLastError(nullptr));
    exit(1);
  }
  std::vector<Rank> ranks(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) {
    ranks[r].comm = comms[r];
    BENCH_CUDA(cudaStreamCreateWithFlags(&ranks[r].stream, cudaStreamNonBlocking));
    BENCH_CUDA(cudaMalloc(&ranks[r].send, maxBytes));
    BENCH_CUDA(cudaMalloc(&ranks[r].recv, maxBytes));
    BENCH_CUDA(cudaMemset(ranks[r].send, 0, maxBytes));
  }
  printf("# %d logical ranks on GPU 0, float32 sum, out of place\n", n);
  printf("%14s %12s %10s %10s\n", "size (B)", "time (us)", "algbw GB/s", "busbw GB/s");
  for (size_t bytes = 8; bytes <= maxBytes; bytes *= 4) {
    const size_t count = bytes / 4;
    const int iterations = bytes <= (size_t{1} << 20) ? 50 : bytes <= (size_t{64} << 20) ? 20 : 5;
    secondsPerCall(ranks, count, 2);
    const double seconds = secondsPerCall(ranks, count, iterations);
    const double algbw = static_cast<double>(bytes) / seconds / 1e9;
    printf("%14zu %12.1f %10.2f %10.2f\n", bytes, seconds * 1e6, algbw, algbw * 2.0 * (n - 1) / n);
  }
  for (Rank& rank : ranks) {
    cudaFree(rank.send);
    cudaFree(rank.recv);
    cudaStreamDestroy(rank.stream);
    hoopCommDestroy(rank.comm);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    printf("SKIPPED: no usable CUDA device\n");
    return 77;
  }
  std::vector<int> rankCounts;
  for (int i = 1; i < argc; ++i) rankCounts.push_back(atoi(argv[i]));
  if (rankCounts.empty()) rankCounts = {2, 4, 8};
  for (int n : rankCounts) run(n, size_t{1} << 30);
  return 0;
}
