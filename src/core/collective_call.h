// Running one collective call: sequence number, signature, deadline and abort flag around
// the communicator's executor, and the call's name in front of any error.
#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

struct CollectiveCall {
  CollectiveKind kind;
  size_t count;
  hoopDataType_t datatype;
  int op;    // -1: the collective has no op
  int root;  // -1: the collective has no root
  int algorithm = -1;  // the schedule's algorithm (ranks must agree on it); -1: none
};

// Starts a call: its sequence number, signature, deadline and abort flag.
CallContext beginCall(hoopComm* comm, const CollectiveCall& call);

// Runs `schedule` (already built for this call) on the given buffers.
Status runCollective(hoopComm* comm, const CollectiveCall& call, const Schedule& schedule, const Buffers& buffers,
                     const ReduceSpec& spec);

// hoopInvalidUsage once hoopCommAbort was called on `comm`.
Status checkNotAborted(const char* function, const hoopComm* comm);

}  // namespace hoop
