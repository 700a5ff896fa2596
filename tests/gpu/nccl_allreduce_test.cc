// hoopCommInitNcclMPI under mpirun, one rank per GPU: hoop's ring over grouped
// ncclSend/ncclRecv gives the exact results of tests/support/exact_data.h for every datatype
// x op, in place and out of place, identical on every rank; HOOP_ALGO=nccl (NCCL's own
// ncclAllReduce) gives them too for sum, prod, max and min, and for avg where the rank count
// makes NCCL's division exact (a power of two; NCCL's integer avg is its own). Skips on
// every rank when there are fewer GPUs than ranks.
#include <mpi.h>
#include <string.h>

#include "exact_data.h"
#include "gpu_mpi_test.h"
#include "hoop/hoop_cuda.h"
#include "hoop/hoop_mpi.h"

namespace hoop {
namespace {

bool nativeIsExact(hoopDataType_t datatype, hoopRedOp_t op, int nranks) {
  if (op != hoopAvg) return true;
  return testing::isFloating(datatype) && (nranks & (nranks - 1)) == 0;
}

}  // namespace
}  // namespace hoop

int main(int argc, char** argv) {
  using namespace hoop;
  const gputest::MpiGpuRun run = gputest::startOrSkip(&argc, &argv, true);
  const int rank = run.rank;
  const int nranks = run.nranks;
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
          for (bool inPlace : {false, true}) {
            gputest::checkExactAllReduce(comm, rank, nranks, datatype, op, count, inPlace, nullptr, algorithm);
          }
        }
      }
    }
    hoopCommDestroy(comm);
  }
  hoopComm_t comm = nullptr;
  CHECK(hoopCommInitNcclMPI(&comm, MPI_COMM_WORLD, run.devices, nullptr) == hoopInvalidArgument && comm == nullptr,
        "a device out of range fails on every rank without hanging");
  return gputest::finishEveryRank();
}
