#pragma once

#include <mpi.h>

#include <memory>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// Creates a host communicator over a private duplicate of `mpiComm`. Collective.
Status createMpiComm(MPI_Comm mpiComm, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm);

}  // namespace hoop
