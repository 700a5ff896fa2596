#include "core/allreduce.h"

#include "algorithms/ring_allreduce.h"
#include "core/collective_call.h"
#include "reduce/cpu_reducer.h"

namespace hoop {

Status allReduce(hoopComm* comm, const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                 hoopRedOp_t op, hoopStream_t stream) {
  if (comm->config.allReduceAlgorithm == AllReduceAlgorithm::Nccl) {
    ++comm->sequence;
    return comm->executor->runNative(NativeAllReduce{sendbuff, recvbuff, count, datatype, op, stream});
  }
  const ReduceSpec spec{dataTypeSize(datatype), reduceFunction(datatype, op),
                        op == hoopAvg ? divideFunction(datatype) : nullptr, comm->nranks, datatype, op};
  buildRingAllReduce(comm->rank, comm->nranks, count, spec.elemSize, comm->schedule);
  return runCollective(comm, CollectiveCall{CollectiveKind::AllReduce, count, datatype, op, -1},
                       Buffers{sendbuff, recvbuff, stream}, spec);
}

}  // namespace hoop
