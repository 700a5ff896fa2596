// Hierarchical all-reduce: reduce-scatter inside each node, all-reduce of each part across
// the nodes, all-gather inside each node.
//
// The buffer is cut into `parts` parts (the smallest node's size); rank j of every node owns
// part j. (0) The ranks of each node meet at the node's call gate, which compares their
// arguments (across nodes, the slice executor's hellos compare them). (1) Inside each node, the shared-memory reduce-scatter leaves in each owner's
// output the node's reduction of its part. (2) The owners of the same part, one per node,
// all-reduce that part in place with the ring algorithm over MPI; its finalisation divides
// by the whole communicator's size. (3) Inside each node, the shared-memory all-gather copies
// every owner's part into every rank's output. Between nodes each part travels over its own
// ring, so every node's link carries 2(m-1)/m of the buffer for m nodes, against 2(n-1)/n
// for a flat ring over all n ranks, and a message crosses the network in 2(m-1) steps
// instead of 2(n-1). The reduction order is fixed by the node layout and the count, and
// every output holds the owners' bits: results are bitwise identical on every rank.
#include "core/hierarchical_allreduce.h"

#include "algorithms/builders.h"

namespace hoop {

Status hierarchicalAllReduce(NodePaths& paths, const void* sendbuff, void* recvbuff, size_t count,
                             const ReduceSpec& spec, const CallContext& call, Waiter& waiter) {
  HOOP_RETURN_IF_ERROR(paths.gate->enter(call, nullptr, 0, waiter));
  HOOP_RETURN_IF_ERROR(paths.shm->reduceScatter(sendbuff, recvbuff, count, spec, waiter));
  if (paths.sliceExecutor != nullptr) {
    const Range part = paths.shm->part(count, paths.localRank, spec.elemSize);
    buildRingAllReduce(CollectiveShape{Collective::AllReduce, paths.sliceRank, paths.nodeCount, 0, part.count,
                                       spec.elemSize, 0},
                       paths.sliceSchedule);
    char* base = static_cast<char*>(recvbuff) + part.offset * spec.elemSize;
    HOOP_RETURN_IF_ERROR(paths.sliceExecutor->run(paths.sliceSchedule, Buffers{base, base}, spec, call));
  }
  return paths.shm->allGather(recvbuff, count, spec.elemSize, waiter);
}

}  // namespace hoop
