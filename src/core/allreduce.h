#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

// The all-reduce behind hoopAllReduce, for arguments that passed the API's checks.
Status allReduce(hoopComm* comm, const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                 hoopRedOp_t op, hoopStream_t stream);

}  // namespace hoop
