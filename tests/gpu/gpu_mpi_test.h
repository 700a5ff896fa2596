// For the GPU test programs that run under mpirun, one device rank per process: an exact
// all-reduce check, and every rank skipping, or finishing, together.
#pragma once

#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include <vector>

#include "exact_data.h"
#include "gpu_test.h"
#include "hoop/hoop.h"

namespace hoop {
namespace gputest {

// One all-reduce of exactly reducible data (tests/support/exact_data.h) on `stream`,
// compared bitwise with the expected result once the stream is done; `label` names the
// configuration in failures.
inline void checkExactAllReduce(hoopComm_t comm, int rank, int nranks, hoopDataType_t datatype, hoopRedOp_t op,
                                size_t count, bool inPlace, cudaStream_t stream, const char* label) {
  using testing::datatypeName;
  using testing::opName;
  const size_t bytes = count * testing::typeSize(datatype);
  DeviceBuffer input(bytes), output(bytes);
  std::vector<char> host(bytes + 1), expected(bytes + 1);
  testing::fillExactInput(host.data(), datatype, op, rank, count);
  testing::fillExpected(expected.data(), datatype, op, nranks, count);
  CHECK_CUDA(cudaMemcpy(input.get(), host.data(), bytes, cudaMemcpyHostToDevice));
  char* recv = inPlace ? input.get() : output.get();
  const hoopResult_t result = hoopAllReduce(input.get(), recv, count, datatype, op, comm, stream);
  CHECK(result == hoopSuccess, "%s %s %s count %zu: %s", label, datatypeName(datatype), opName(op), count,
        hoopGetLastError(comm));
  CHECK_CUDA(cudaStreamSynchronize(stream));
  CHECK_CUDA(cudaMemcpy(host.data(), recv, bytes, cudaMemcpyDeviceToHost));
  CHECK(memcmp(host.data(), expected.data(), bytes) == 0, "rank %d of %d, %s, %s %s count %zu %s: wrong result", rank,
        nranks, label, datatypeName(datatype), opName(op), count, inPlace ? "in place" : "out of place");
}

// This process's place in MPI_COMM_WORLD and the CUDA devices it sees.
struct MpiGpuRun {
  int rank = 0;
  int nranks = 1;
  int devices = 0;
};

// MPI_Init, then a skip on every rank (after MPI_Finalize) unless every rank sees a CUDA
// device, or, with `devicePerRank`, at least as many devices as there are ranks.
inline MpiGpuRun startOrSkip(int* argc, char*** argv, bool devicePerRank) {
  MPI_Init(argc, argv);
  MpiGpuRun run;
  MPI_Comm_rank(MPI_COMM_WORLD, &run.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &run.nranks);
  const cudaError_t error = cudaGetDeviceCount(&run.devices);
  const int needed = devicePerRank ? run.nranks : 1;
  int usable = error == cudaSuccess && run.devices >= needed ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &usable, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (usable) return run;
  char reason[256];
  snprintf(reason, sizeof reason, "needs %d CUDA device(s) on every rank (%d ranks; this rank: %s, %d device(s))",
           needed, run.nranks, error == cudaSuccess ? "no error" : cudaGetErrorString(error), run.devices);
  MPI_Finalize();
  skip(reason);
}

// finish() on every rank, then MPI_Finalize: the exit code of the worst rank.
inline int finishEveryRank() {
  int worst = finish();
  MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}

}  // namespace gputest
}  // namespace hoop
