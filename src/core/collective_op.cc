#include "core/collective_op.h"

#include "algorithms/flat_broadcast.h"
#include "algorithms/flat_reduce.h"
#include "core/collective_call.h"
#include "core/collectives.h"
#include "core/progress_engine.h"
#include "reduce/cpu_reducer.h"

namespace hoop {

Status executeOp(hoopComm* comm, const CollectiveOp& op, Traffic* traffic) {
  const size_t elemSize = dataTypeSize(op.datatype);
  Status status;
  if (op.kind == OpKind::FlatReduce || op.kind == OpKind::FlatBroadcast) {
    const bool reduces = op.kind == OpKind::FlatReduce;
    const ReduceSpec spec{elemSize, reduces ? reduceFunction(op.datatype, op.op) : nullptr,
                          reduces && op.op == hoopAvg ? divideFunction(op.datatype) : nullptr, comm->nranks};
    if (reduces) {
      buildFlatReduce(comm->rank, comm->nranks, op.root, op.count, comm->schedule);
    } else {
      buildFlatBroadcast(comm->rank, comm->nranks, op.root, op.count, comm->schedule);
    }
    const CollectiveCall call{reduces ? CollectiveKind::Reduce : CollectiveKind::Broadcast, op.count, op.datatype,
                              reduces ? static_cast<int>(op.op) : -1, op.root};
    status = runCollective(comm, call, comm->schedule, Buffers{op.sendbuff, op.recvbuff}, spec);
    if (traffic != nullptr) *traffic = scheduleTraffic(comm->schedule, elemSize);
  } else if (op.kind == OpKind::Barrier) {
    status = barrier(comm, traffic);
  } else {
    static const Collective kCollectives[] = {Collective::AllReduce, Collective::Broadcast, Collective::Reduce,
                                              Collective::AllGather, Collective::ReduceScatter};
    const Collective collective = kCollectives[static_cast<int>(op.kind)];
    status = runCollectiveArgs(
        comm, CollectiveArgs{collective, op.sendbuff, op.recvbuff, op.count, op.datatype, op.op, op.root, op.stream},
        nullptr, traffic);
  }
  return status;
}

Status runBlocking(hoopComm* comm, const CollectiveOp& op) {
  if (comm->progress == nullptr || comm->progress->idle()) return executeOp(comm, op, nullptr);
  hoopRequest* request = nullptr;
  HOOP_RETURN_IF_ERROR(comm->progress->submit(op, &request));
  const Status status = comm->progress->wait(request);
  comm->progress->release(request);
  return status;
}

}  // namespace hoop
