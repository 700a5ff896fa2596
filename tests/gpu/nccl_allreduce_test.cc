// hoopCommInitNcclMPI under mpirun, one rank per GPU: hoop's ring over grouped
// ncclSend/ncclRecv gives the exact results of tests/support/exact_data.h for every datatype
// x op, in place and out of place, identical on every rank; HOOP_ALGO=nccl (NCCL's own
// ncclAllReduce) gives them too for sum, prod, max and min, and for avg where the rank count
// makes NCCL's division exact (a power of two; NCCL's integer avg is its own). Skips on
// every rank when there are fewer GPUs than ranks.
#include <mpi.h>
#include <string.h>

#include <vector>

#include "exact_data.h"
#include "gpu_test.h"
#include "hoop/hoop_cuda.h"
#include "hoop/hoop_mpi.h"

namespace hoop {
namespace {

using gputest::DeviceBuffer;
using testing::datatypeName;
using testing::opName;

void checkExact(hoopComm_t comm, int rank, int nranks, hoopDataType_t datatype, hoopRedOp_t op, size_t count,
                bool inPlace, const char* algorithm) {
  const size_t bytes = count * testing::typeSize(datatype);
  DeviceBuffer input(bytes), output(bytes);
  std::vector<char> host(bytes + 1), expected(bytes + 1);
  testing::fillExactInput(host.data(), datatype, op, rank, count);
  testing::fillExpected(expected.data(), datatype, op, nranks, count);
  CHECK_CUDA(cudaMemcpy(input.get(), host.data(), bytes, cudaMemcpyHostToDevice));
  char* recv = inPlace ? input.get() : output.get();
  const hoopResult_t result = hoopAllReduce(input.get(), recv, count, datatype, op, comm, nullptr);
  CHECK(result == hoopSuccess, "%s %s %s count %zu: %s", algorithm, datatypeName(datatype), opName(op), count,
        hoopGetLastError(comm));
  CHECK_CUDA(cudaDeviceSynchronize());
  CHECK_CUDA(cudaMemcpy(host.data(), recv, bytes, cudaMemcpyDeviceToHost));
  CHECK(memcmp(host.data(), expected.data(), bytes) == 0, "rank %d of %d, %s, %s %s count %zu %s: wrong result", rank,
        nranks, algorithm, datatypeName(datatype), opName(op), count, inPlace ? "in place" : "out of place");
}

bool nativeIsExact(hoopDataType_t datatype, hoopRedOp_t op, int nranks) {
  if (op != hoopAvg) return true;
  return testing::isFloating(datatype) && (nranks & (nranks - 1)) == 0;
}

}  // namespace
}  // namespace hoop

int main(int argc, char** argv) {
  using namespace hoop;
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  int deviceCount = 0;
  const cudaError_t error = cudaGetDeviceCount(&deviceCount);
  int enough = error == cudaSuccess && deviceCount >= nranks ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &enough, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (!enough) {
    char reason[256];
    snprintf(reason, sizeof reason, "needs one CUDA device per rank (%d ranks; this rank: %s, %d device(s))", nranks,
             error == cudaSuccess ? "no error" : cudaGetErrorString(error), deviceCount);
    MPI_Finalize();
    gputest::skip(reason);
  }
  CHECK_CUDA(cudaSetDevice(rank));
  const size_t counts[] = {0, 1, 7, 4099, 65537};
  for (const char* algorithm : {"ring", "nccl"}) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    config.algorithm = algorithm;
    hoopComm_t comm = nullptr;
    CHECK(hoopCommInitNcclMPI(&comm, MPI_COMM_WORLD, rank, &config) == hoopSuccess, "hoopCommInitNcclMPI: %s",
          hoopGetLastError(nullptr));
    if (comm == nullptr) break;
    for (int t = 0; t < hoopNumTypes; ++t) {
      for (int o = 0; o < hoopNumOps; ++o) {
        const hoopDataType_t datatype = static_cast<hoopDataType_t>(t);
        const hoopRedOp_t op = static_cast<hoopRedOp_t>(o);
        if (strcmp(algorithm, "nccl") == 0 && !nativeIsExact(datatype, op, nranks)) continue;
        for (size_t count : counts) {
          for (bool inPlace : {false, true}) checkExact(comm, rank, nranks, datatype, op, count, inPlace, algorithm);
        }
      }
    }
    hoopCommDestroy(comm);
  }
  hoopComm_t comm = nullptr;
  CHECK(hoopCommInitNcclMPI(&comm, MPI_COMM_WORLD, deviceCount, nullptr) == hoopInvalidArgument && comm == nullptr,
        "a device out of range fails on every rank without hanging");
  const int status = gputest::finish();
  int worst = status;
  MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}
