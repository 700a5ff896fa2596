// hoopCommInitCudaMPI under mpirun: rank r on device r mod the device count, so on a
// one-GPU machine every rank shares the device. Checks the exact results of
// tests/support/exact_data.h for every datatype x op, in place and out of place, identical on
// every rank; buffers that move between calls (new allocations, so new IPC mappings); a
// non-default stream per rank with the results read only after synchronizing it; and the
// failures: a count that differs on one rank fails every rank without hanging and leaves
// the communicator refusing calls, memory CUDA IPC cannot share is refused, and a device out
// of range fails every rank. Skips on every rank when any rank sees no GPU.
#include <mpi.h>

#include "gpu_mpi_test.h"
#include "hoop/hoop_cuda.h"
#include "hoop/hoop_mpi.h"

namespace hoop {
namespace {

using gputest::DeviceBuffer;

hoopComm_t create(int device, double timeoutSeconds) {
  hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
  config.timeoutSeconds = timeoutSeconds;
  hoopComm_t comm = nullptr;
  const hoopResult_t result = hoopCommInitCudaMPI(&comm, MPI_COMM_WORLD, device, &config);
  CHECK(result == hoopSuccess && comm != nullptr, "hoopCommInitCudaMPI: %s", hoopGetLastError(nullptr));
  return comm;
}

void checkEveryDatatypeAndOp(int device, int rank, int nranks) {
  hoopComm_t comm = create(device, 120);
  if (comm == nullptr) return;
  cudaStream_t stream = nullptr;
  CHECK_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  const size_t counts[] = {0, 1, 3, static_cast<size_t>(nranks) - 1, 1000, 65537};
  for (int t = 0; t < hoopNumTypes; ++t) {
    for (int o = 0; o < hoopNumOps; ++o) {
      for (size_t count : counts) {
        for (bool inPlace : {false, true}) {
          gputest::checkExactAllReduce(comm, rank, nranks, static_cast<hoopDataType_t>(t), static_cast<hoopRedOp_t>(o),
                                       count, inPlace, stream, "user stream");
        }
      }
    }
  }
  // Large enough for many mappings to be opened and, past the cache, closed again.
  for (int repeat = 0; repeat < 80; ++repeat) {
    gputest::checkExactAllReduce(comm, rank, nranks, hoopFloat32, hoopSum, 4099, false, nullptr, "new buffers");
  }
  CHECK_CUDA(cudaStreamDestroy(stream));
  CHECK(hoopCommDestroy(comm) == hoopSuccess, "hoopCommDestroy");
}

void checkFailures(int device, int rank, int nranks, int deviceCount) {
  if (nranks > 1) {
    hoopComm_t comm = create(device, 60);
    if (comm == nullptr) return;
    DeviceBuffer buffer(4096 * sizeof(float));
    const size_t count = rank == 0 ? 4096 : 4095;
    const hoopResult_t result = hoopAllReduce(buffer.get(), buffer.get(), count, hoopFloat32, hoopSum, comm, nullptr);
    CHECK(result == hoopInvalidUsage || result == hoopRemoteError, "rank %d: differing counts gave %s: %s", rank,
          hoopGetErrorString(result), hoopGetLastError(comm));
    const hoopResult_t later = hoopAllReduce(buffer.get(), buffer.get(), 4096, hoopFloat32, hoopSum, comm, nullptr);
    CHECK(later == hoopInvalidUsage, "rank %d: a call after a failure gave %s", rank, hoopGetErrorString(later));
    CHECK_CUDA(cudaDeviceSynchronize());
    CHECK(hoopCommDestroy(comm) == hoopSuccess, "hoopCommDestroy after a failure");

    comm = create(device, 60);
    if (comm == nullptr) return;
    void* managed = nullptr;
    CHECK_CUDA(cudaMallocManaged(&managed, 4096 * sizeof(float)));
    void* input = rank == 0 ? managed : buffer.get();
    const hoopResult_t refused = hoopAllReduce(input, input, 4096, hoopFloat32, hoopSum, comm, nullptr);
    CHECK(rank != 0 || refused == hoopInvalidArgument, "managed memory gave %s: %s", hoopGetErrorString(refused),
          hoopGetLastError(comm));
    CHECK(refused != hoopSuccess, "rank %d: a peer's unshareable buffer gave success", rank);
    CHECK_CUDA(cudaDeviceSynchronize());
    CHECK(hoopCommDestroy(comm) == hoopSuccess, "hoopCommDestroy after a refused buffer");
    CHECK_CUDA(cudaFree(managed));
  }
  hoopComm_t comm = nullptr;
  CHECK(hoopCommInitCudaMPI(&comm, MPI_COMM_WORLD, deviceCount, nullptr) == hoopInvalidArgument && comm == nullptr,
        "a device out of range fails on every rank without hanging");
}

}  // namespace
}  // namespace hoop

int main(int argc, char** argv) {
  using namespace hoop;
  const gputest::MpiGpuRun run = gputest::startOrSkip(&argc, &argv, false);
  const int device = run.rank % run.devices;
  CHECK_CUDA(cudaSetDevice(device));
  checkEveryDatatypeAndOp(device, run.rank, run.nranks);
  checkFailures(device, run.rank, run.nranks, run.devices);
  return gputest::finishEveryRank();
}
