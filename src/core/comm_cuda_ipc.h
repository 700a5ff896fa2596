#pragma once

#include <mpi.h>

#include <memory>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// Creates a device communicator over the processes of `mpiComm`, all on one node, this
// rank on CUDA device `device` (ranks may share a device); data moves by CUDA IPC
// (transport/cuda/ipc_executor.h). Collective over `mpiComm`; a bad device, a rank on
// another node or a CUDA failure on any rank fails every rank, none hangs.
Status createCudaIpcComm(MPI_Comm mpiComm, int device, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm);

}  // namespace hoop
