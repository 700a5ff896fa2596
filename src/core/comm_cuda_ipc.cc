#include "core/comm_cuda_ipc.h"

#include <cuda_runtime.h>

#include "core/comm_mpi.h"
#include "core/log.h"
#include "transport/cuda/ipc_executor.h"

namespace hoop {

namespace {

// This rank's own checks: its settings, its device, and whether all ranks share its node
// (`nodeSize` ranks of mpiComm do, counted collectively beforehand).
Status checkLocally(int device, const hoopConfig_t* config, int nodeSize, hoopComm* comm) {
  HOOP_RETURN_IF_ERROR(resolveConfig(config, &comm->config));
  int deviceCount = 0;
  const cudaError_t error = cudaGetDeviceCount(&deviceCount);
  if (error != cudaSuccess) {
    return Status(hoopUnhandledCudaError, format("cudaGetDeviceCount failed: %s", cudaGetErrorString(error)));
  }
  if (device < 0 || device >= deviceCount) {
    return Status(hoopInvalidArgument, format("device %d is not one of the %d visible CUDA device(s)", device, deviceCount));
  }
  if (nodeSize != comm->nranks) {
    return Status(hoopInvalidUsage, format("rank %d shares its node with %d of the %d ranks; CUDA IPC works within one "
                                           "node (use hoopCommInitNcclMPI across nodes)", comm->rank, nodeSize,
                                           comm->nranks));
  }
  return Status::ok();
}

}  // namespace

Status createCudaIpcComm(MPI_Comm mpiComm, int device, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm) {
  HOOP_RETURN_IF_ERROR(checkMpiUsable(mpiComm));

  auto fresh = std::make_unique<hoopComm>();
  MPI_Comm_rank(mpiComm, &fresh->rank);
  MPI_Comm_size(mpiComm, &fresh->nranks);
  MPI_Comm node = MPI_COMM_NULL;
  int nodeSize = 0;
  MPI_Comm_split_type(mpiComm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &nodeSize);
  MPI_Comm_free(&node);
  const Status local = checkLocally(device, config, nodeSize, fresh.get());
  int ok = local.isOk() ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, mpiComm);
  HOOP_RETURN_IF_ERROR(local);
  if (!ok) return Status(hoopRemoteError, "another rank could not create its CUDA IPC communicator (see its error)");

  MPI_Comm duplicate = MPI_COMM_NULL;
  const int rc = MPI_Comm_dup(mpiComm, &duplicate);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Comm_dup failed with code %d", rc));
  std::unique_ptr<CudaIpcExecutor> executor;
  HOOP_RETURN_IF_ERROR(CudaIpcExecutor::create(duplicate, device, &executor));
  fresh->device = device;
  fresh->executor = std::move(executor);
  HOOP_INFO(kLogInit, "rank %d/%d: CUDA IPC communicator ready on device %d", fresh->rank, fresh->nranks, device);
  *comm = std::move(fresh);
  return Status::ok();
}

}  // namespace hoop
