#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// Copies rank 0's `count` elements at `data` to `data` on every rank. Collective, blocking.
Status broadcastFromRankZero(hoopComm* comm, void* data, size_t count, hoopDataType_t datatype);

}  // namespace hoop
