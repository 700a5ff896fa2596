// All-reduce bus bandwidth of a hoopCommInitCudaMPI communicator (CUDA IPC between the
// processes of one node; rank r on device r mod the device count, so on a one-GPU machine
// all ranks share it), float32 sum, out of place, in the manner of nccl-tests: algbw =
// bytes / time and busbw = algbw * 2(n-1)/n. The time of an iteration is the slowest rank's
// wall clock over a batch of iterations, from a barrier until its stream has finished,
// divided by the batch size.
//   mpirun -np N ipc_allreduce_perf [max bytes, default 1 GiB]      sizes from 8 B, x4
#include <cuda_runtime.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_cuda.h"
#include "bench_timing.h"
#include "hoop/hoop_cuda.h"
#include "hoop/hoop_mpi.h"

namespace {

// One round of `iterations` calls, timed until this rank's stream has finished them.
double secondsPerCall(hoopComm_t comm, const void* send, void* recv, size_t count, cudaStream_t stream, int iterations) {
  return hoop::bench::roundSeconds(1, [&] {
    for (int i = 0; i < iterations; ++i) {
      if (hoopAllReduce(send, recv, count, hoopFloat32, hoopSum, comm, stream) != hoopSuccess) {
        fprintf(stderr, "hoopAllReduce: %s\n", hoopGetLastError(comm));
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
    }
    BENCH_CUDA(cudaStreamSynchronize(stream));
  }) / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  int devices = 0;
  int usable = cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0 ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &usable, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (!usable) {
    if (rank == 0) printf("SKIPPED: no usable CUDA device on some rank\n");
    MPI_Finalize();
    return 77;
  }
  const size_t maxBytes = argc > 1 ? strtoull(argv[1], nullptr, 10) : size_t{1} << 30;
  const int device = rank % devices;
  BENCH_CUDA(cudaSetDevice(device));
  hoopComm_t comm = nullptr;
  if (hoopCommInitCudaMPI(&comm, MPI_COMM_WORLD, device, nullptr) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitCudaMPI: %s\n", hoopGetLastError(nullptr));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  cudaStream_t stream = nullptr;
  void* send = nullptr;
  void* recv = nullptr;
  BENCH_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  BENCH_CUDA(cudaMalloc(&send, maxBytes));
  BENCH_CUDA(cudaMalloc(&recv, maxBytes));
  BENCH_CUDA(cudaMemset(send, 0, maxBytes));
  if (rank == 0) {
    printf("# %d processes, CUDA IPC, %d GPU(s), float32 sum, out of place\n", nranks, devices < nranks ? devices : nranks);
    printf("%14s %12s %10s %10s\n", "size (B)", "time (us)", "algbw GB/s", "busbw GB/s");
  }
  for (size_t bytes = 8; bytes <= maxBytes; bytes *= 4) {
    const size_t count = bytes / 4;
    const int iterations = bytes <= (size_t{1} << 20) ? 50 : bytes <= (size_t{64} << 20) ? 20 : 5;
    secondsPerCall(comm, send, recv, count, stream, 2);
    const double seconds = secondsPerCall(comm, send, recv, count, stream, iterations);
    const double algbw = static_cast<double>(bytes) / seconds / 1e9;
    if (rank == 0) printf("%14zu %12.1f %10.2f %10.2f\n", bytes, seconds * 1e6, algbw, algbw * 2.0 * (nranks - 1) / nranks);
  }
  BENCH_CUDA(cudaStreamSynchronize(stream));
  hoopCommDestroy(comm);
  cudaFree(send);
  cudaFree(recv);
  cudaStreamDestroy(stream);
  MPI_Finalize();
  return 0;
}
