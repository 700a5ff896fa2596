// How a communicator's ranks sit on nodes, and the shared-memory paths that follow from it.
//
// The ranks of a node are those MPI_Comm_split_type(MPI_COMM_TYPE_SHARED) groups together;
// HOOP_VIRTUAL_NODE_SIZE cuts each of them further into pretend nodes of that many ranks
// (the last one takes the rest), so that the hierarchical algorithms can be tested on one
// machine. Parts of the hierarchical all-reduce belong to the first `parts` ranks of every
// node (parts = the smallest node's size); the ranks that own the same part on every node
// form a slice communicator, across which the parts are all-reduced over MPI.
#pragma once

#include <mpi.h>

#include <memory>

#include "algorithms/schedule.h"
#include "base/status.h"
#include "core/config.h"
#include "core/node_route.h"
#include "transport/executor.h"
#include "transport/shm/shm_call_gate.h"
#include "transport/shm/shm_collectives.h"
#include "transport/shm/shm_wait.h"

namespace hoop {

struct NodePaths : NodeRoute {
  NodePaths() = default;
  NodePaths(const NodePaths&) = delete;
  NodePaths& operator=(const NodePaths&) = delete;
  ~NodePaths() override;

  // One node: the direct shared-memory all-reduce for every algorithm but the ring (which
  // runs on the mailbox executor). Several nodes: the hierarchical all-reduce when asked for,
  // and by default (auto) when some node has more than one rank.
  bool handlesAllReduce(AllReduceAlgorithm algorithm) const override;
  Status allReduce(const void* sendbuff, void* recvbuff, size_t count, const ReduceSpec& spec,
                   const CallContext& call) override;
  void allReduceTraffic(size_t bytes, size_t* sent, size_t* received) const override;

  MPI_Comm nodeComm = MPI_COMM_NULL;  // this node's ranks, in communicator order
  int nodeCount = 1;
  int nodeIndex = 0;
  int localRank = 0;
  int localSize = 1;
  int parts = 1;  // the smallest node's size
  bool hierarchicalByDefault = false;  // several nodes, not all of one rank: auto is hierarchical
  bool oversubscribed = false;  // more ranks on the node than cores: waits yield at once
  std::unique_ptr<ShmCallGate> gate;        // where every shared-memory call starts
  std::unique_ptr<ShmCollectives> shm;      // direct collectives inside the node
  int sliceRank = -1;                       // rank in the slice communicator; -1 if none
  std::unique_ptr<Executor> sliceExecutor;  // MPI between the owners of the same part
  Schedule sliceSchedule;                   // rebuilt per call, keeping its memory
};

// Collective over `comm`: finds the nodes and, when `config` allows shared memory, builds
// the node's shared segments (and the slice communicator when there are several nodes).
Status createNodePaths(MPI_Comm comm, const CommConfig& config, std::unique_ptr<NodePaths>* paths);

// Whether a communicator with these nodes runs its schedules on the shared-memory mailboxes.
inline bool useShmExecutor(const NodePaths& paths) { return paths.nodeCount == 1 && paths.shm != nullptr; }

}  // namespace hoop
