#pragma once

#include <mpi.h>

#include <memory>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// Creates a device communicator over the processes of `mpiComm` with NCCL: rank 0 makes the
// NCCL unique id and broadcasts it over MPI. This rank runs on CUDA device `device`.
// Collective over `mpiComm`; a bad device on any rank fails every rank, none hangs.
Status createNcclComm(MPI_Comm mpiComm, int device, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm);

}  // namespace hoop
