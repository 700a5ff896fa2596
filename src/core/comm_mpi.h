#pragma once

#include <mpi.h>

#include <memory>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// hoopInvalidUsage unless MPI is initialized and not finalized; hoopInvalidArgument for
// MPI_COMM_NULL. Every creator from MPI checks this first.
Status checkMpiUsable(MPI_Comm mpiComm);

// Creates a host communicator over a private duplicate of `mpiComm`. Collective.
Status createMpiComm(MPI_Comm mpiComm, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm);

}  // namespace hoop
