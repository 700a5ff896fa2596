// The all-reduce: the communicator's node route when it has a path for the algorithm and
// layout (shared memory inside a node, hierarchical across nodes), else the ring schedule on
// the communicator's executor.
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
  const CollectiveCall call{CollectiveKind::AllReduce, count, datatype, op, -1};
  const AllReduceAlgorithm algorithm = comm->config.allReduceAlgorithm;
  if (comm->node != nullptr && comm->node->handlesAllReduce(algorithm)) {
    return comm->node->allReduce(algorithm, sendbuff, recvbuff, count, spec, beginCall(comm, call));
  }
  buildRingAllReduce(comm->rank, comm->nranks, count, spec.elemSize, comm->schedule);
  return runCollective(comm, call, Buffers{sendbuff, recvbuff, stream}, spec);
}

}  // namespace hoop
