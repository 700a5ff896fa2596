// The surface every transport implements: execute one rank's schedule on the caller's
// buffers. See algorithms/schedule.h for the round semantics an executor must honour, and
// transport/call_context.h for what else a call carries.
#pragma once

#include <stddef.h>

#include "algorithms/schedule.h"
#include "base/status.h"
#include "reduce/cpu_reducer.h"
#include "transport/call_context.h"

namespace hoop {

struct Buffers {
  const void* input;
  void* output;
  void* scratch = nullptr;        // at least the schedule's scratchCount() elements
  hoopStream_t stream = nullptr;  // the caller's stream (device communicators); NULL on host
};

// How received data is combined, fixed for one collective call.
struct ReduceSpec {
  size_t elemSize;
  ReduceFn reduce;  // NULL for collectives that never reduce
  DivideFn divide;  // NULL unless the op is hoopAvg
  int nranks;       // the divisor of the avg finalisation
  hoopDataType_t datatype = hoopNumTypes;  // for transports that pick their own kernels
  hoopRedOp_t op = hoopNumOps;
};

// A whole all-reduce handed to a transport that implements it itself (HOOP_ALGO=nccl).
struct NativeAllReduce {
  const void* sendbuff;
  void* recvbuff;
  size_t count;
  hoopDataType_t datatype;
  hoopRedOp_t op;
  hoopStream_t stream;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs the schedule. On failure the call's signature, the failing step and the peers
  // involved are named in the status; the executor stays usable for later calls.
  virtual Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                     const CallContext& call) = 0;
  // Transports with collectives of their own override this; the others refuse.
  virtual Status runNative(const NativeAllReduce& call);
};

// Address of a span's first element.
inline char* spanPointer(const Buffers& buffers, const Span& span, size_t elemSize) {
  char* base = span.buffer == BufferId::Input    ? const_cast<char*>(static_cast<const char*>(buffers.input))
               : span.buffer == BufferId::Output ? static_cast<char*>(buffers.output)
                                                 : static_cast<char*>(buffers.scratch);
  return base + span.offset * elemSize;
}

// dst = op(local, other) or op(other, local), as `order` says (see schedule.h).
inline void reduceInOrder(const ReduceSpec& spec, OperandOrder order, void* dst, const void* local, const void* other,
                          size_t count) {
  if (order == OperandOrder::SrcFirst) {
    spec.reduce(dst, local, other, count);
  } else {
    spec.reduce(dst, other, local, count);
  }
}

// Runs a Copy, Reduce or Finalize step; they are the same on every transport that sees host
// memory.
void runLocalStep(const Step& step, const Buffers& buffers, const ReduceSpec& spec);

inline bool isLocalStep(const Step& step) {
  return step.kind == StepKind::Copy || step.kind == StepKind::Reduce || step.kind == StepKind::Finalize;
}

}  // namespace hoop
