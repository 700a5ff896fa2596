#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// The CUDA devices this process sees; an error when there is none.
Status visibleCudaDevices(int* count);

// Creates the ndev communicators of a single-process clique, rank i on devlist[i] (device i
// when devlist is NULL), for arguments that passed the API's checks.
Status createCliqueComms(int ndev, const int* devlist, std::vector<std::unique_ptr<hoopComm>>* comms);

}  // namespace hoop
