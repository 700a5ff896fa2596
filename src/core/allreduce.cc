#include "core/allreduce.h"

#include "algorithms/ring_allreduce.h"
#include "core/collective_call.h"
#include "reduce/cpu_reducer.h"

namespace hoop {

Status allReduce(hoopComm* comm, const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                 hoopRedOp_t op) {
  const ReduceSpec spec{dataTypeSize(datatype), reduceFunction(datatype, op),
                        op == hoopAvg ? divideFunction(datatype) : nullptr, comm->nranks};
  buildRingAllReduce(comm->rank, comm->nranks, count, spec.elemSize, comm->schedule);
  return runCollective(comm, CollectiveCall{CollectiveKind::AllReduce, count, datatype, op, -1},
                       Buffers{sendbuff, recvbuff}, spec);
}

}  // namespace hoop
