// The all-reduce paths that depend on where a communicator's ranks sit (shared memory
// inside a node, hierarchical across nodes), behind an interface free of MPI so that the
// core's glue compiles in every build. core/node_paths.h implements it over MPI.
#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/config.h"
#include "transport/call_context.h"
#include "transport/executor.h"

namespace hoop {

class NodeRoute {
 public:
  virtual ~NodeRoute() = default;
  // Whether allReduce below runs the all-reduce for this algorithm and rank layout: the
  // shared-memory one inside a node, the hierarchical one across nodes.
  virtual bool handlesAllReduce(AllReduceAlgorithm algorithm) const = 0;
  virtual Status allReduce(const void* sendbuff, void* recvbuff, size_t count, const ReduceSpec& spec,
                           const CallContext& call) = 0;
  // The payload bytes this rank makes available to its peers and takes from them in such
  // an all-reduce of `bytes`.
  virtual void allReduceTraffic(size_t bytes, size_t* sent, size_t* received) const = 0;
};

}  // namespace hoop
