#include "core/comm_nccl.h"

#include <cuda_runtime.h>
#include <nccl.h>

#include "core/comm_mpi.h"
#include "core/log.h"
#include "reduce_kernels.h"
#include "transport/cuda/device_guard.h"
#include "transport/nccl/nccl_executor.h"

namespace hoop {

namespace {

// What rank 0 broadcasts: whether every rank can go on, and the NCCL id.
struct Bootstrap {
  int ok;
  ncclUniqueId id;
};

}  // namespace

Status createNcclComm(MPI_Comm mpiComm, int device, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm) {
  HOOP_RETURN_IF_ERROR(checkMpiUsable(mpiComm));

  auto fresh = std::make_unique<hoopComm>();
  Status local = resolveConfig(config, &fresh->config);
  int deviceCount = 0;
  if (local.isOk()) {
    const cudaError_t error = cudaGetDeviceCount(&deviceCount);
    if (error != cudaSuccess) {
      local = Status(hoopUnhandledCudaError, format("cudaGetDeviceCount failed: %s", cudaGetErrorString(error)));
    } else if (device < 0 || device >= deviceCount) {
      local = Status(hoopInvalidArgument, format("device %d is not one of the %d visible CUDA device(s)", device, deviceCount));
    }
  }
  MPI_Comm_rank(mpiComm, &fresh->rank);
  MPI_Comm_size(mpiComm, &fresh->nranks);

  // Every rank learns whether all ranks can go on before anyone enters ncclCommInitRank.
  Bootstrap bootstrap{};
  int ok = local.isOk() ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, mpiComm);
  if (fresh->rank == 0 && ok) {
    const ncclResult_t result = ncclGetUniqueId(&bootstrap.id);
    if (result != ncclSuccess) {
      local = Status(resultFromNccl(result), format("ncclGetUniqueId failed: %s", ncclGetErrorString(result)));
      ok = 0;
    }
  }
  bootstrap.ok = ok;
  MPI_Bcast(&bootstrap, sizeof bootstrap, MPI_BYTE, 0, mpiComm);
  if (!local.isOk()) return local;
  if (!bootstrap.ok) return Status(hoopRemoteError, "another rank could not create its NCCL communicator (see its error)");

  DeviceGuard guard;
  const cudaError_t error = cudaSetDevice(device);
  if (error != cudaSuccess) return Status(hoopUnhandledCudaError, format("cudaSetDevice(%d) failed: %s", device, cudaGetErrorString(error)));
  ncclComm_t nccl = nullptr;
  const ncclResult_t result = ncclCommInitRank(&nccl, fresh->nranks, bootstrap.id, fresh->rank);
  if (result != ncclSuccess) {
    return Status(resultFromNccl(result), format("ncclCommInitRank failed: %s", ncclGetErrorString(result)));
  }
  fresh->device = device;
  fresh->executor = std::make_unique<NcclExecutor>(nccl, device, cuda::deviceMaxBlocks(device));
  HOOP_INFO(kLogInit, "rank %d/%d: NCCL communicator ready on device %d", fresh->rank, fresh->nranks, device);
  *comm = std::move(fresh);
  return Status::ok();
}

}  // namespace hoop
