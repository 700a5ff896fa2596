#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/node_paths.h"
#include "transport/executor.h"

namespace hoop {

// The hierarchical all-reduce (see hierarchical_allreduce.cc). Needs paths.shm.
Status hierarchicalAllReduce(NodePaths& paths, const void* sendbuff, void* recvbuff, size_t count,
                             const ReduceSpec& spec, const CallContext& call, Waiter& waiter);

}  // namespace hoop
