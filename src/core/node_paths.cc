#include "core/node_paths.h"

#include <sched.h>

#include <algorithm>
#include <vector>

#include "core/hierarchical_allreduce.h"
#include "core/log.h"
#include "transport/mpi/mpi_executor.h"

namespace hoop {

namespace {

Status mpiCheck(int rc, const char* call) {
  if (rc == MPI_SUCCESS) return Status::ok();
  return Status(hoopSystemError, format("%s failed with code %d", call, rc));
}

int usableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

// The node communicator, then its index among the nodes and the node count, in rank order.
Status findNodes(MPI_Comm comm, int virtualNodeSize, NodePaths* paths) {
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &nranks);
  MPI_Comm shared = MPI_COMM_NULL;
  HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &shared),
                                "MPI_Comm_split_type"));
  if (virtualNodeSize > 0) {
    int sharedRank = 0;
    MPI_Comm_rank(shared, &sharedRank);
    const int rc = MPI_Comm_split(shared, sharedRank / virtualNodeSize, rank, &paths->nodeComm);
    MPI_Comm_free(&shared);
    HOOP_RETURN_IF_ERROR(mpiCheck(rc, "MPI_Comm_split (virtual nodes)"));
  } else {
    paths->nodeComm = shared;
  }
  MPI_Comm_rank(paths->nodeComm, &paths->localRank);
  MPI_Comm_size(paths->nodeComm, &paths->localSize);

  // A node is named by the communicator rank of its first rank.
  int leader = rank;
  HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Bcast(&leader, 1, MPI_INT, 0, paths->nodeComm), "MPI_Bcast"));
  std::vector<int> leaders(static_cast<size_t>(nranks));
  HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Allgather(&leader, 1, MPI_INT, leaders.data(), 1, MPI_INT, comm), "MPI_Allgather"));
  std::sort(leaders.begin(), leaders.end());
  leaders.erase(std::unique(leaders.begin(), leaders.end()), leaders.end());
  paths->nodeCount = static_cast<int>(leaders.size());
  paths->nodeIndex = static_cast<int>(std::lower_bound(leaders.begin(), leaders.end(), leader) - leaders.begin());
  HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Allreduce(&paths->localSize, &paths->parts, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce"));
  return Status::ok();
}

}  // namespace

bool NodePaths::handlesAllReduce(AllReduceAlgorithm algorithm) const {
  if (shm == nullptr || algorithm == AllReduceAlgorithm::Ring || algorithm == AllReduceAlgorithm::Nccl) return false;
  return nodeCount == 1 || algorithm == AllReduceAlgorithm::Hierarchical || hierarchicalByDefault;
}

Status NodePaths::allReduce(const void* sendbuff, void* recvbuff, size_t count, const ReduceSpec& spec,
                            const CallContext& call) {
  Waiter waiter(gate->limits(call, oversubscribed));
  const Status status = nodeCount == 1 ? shm->allReduce(sendbuff, recvbuff, count, spec, call, waiter)
                                       : hierarchicalAllReduce(*this, sendbuff, recvbuff, count, spec, call, waiter);
  if (!status.isOk()) gate->fail(call, status);
  return status;
}

void NodePaths::allReduceTraffic(size_t bytes, size_t* sent, size_t* received) const {
  const size_t peers = static_cast<size_t>(localSize - 1);
  if (nodeCount == 1) {
    if (peers == 0) {  // a lone rank copies its input and moves nothing
      *sent = 0;
      *received = 0;
    } else if (bytes <= shm->smallBytes()) {  // every rank reads every input
      *sent = bytes;
      *received = peers * bytes;
    } else {  // the inputs of the own part from every peer, then the other parts' results
      const size_t part = bytes / static_cast<size_t>(localSize);
      *sent = bytes;
      *received = peers * part + (bytes - part);
    }
    return;
  }
  const bool owner = localRank < parts;
  const size_t part = bytes / static_cast<size_t>(parts);
  const size_t across = 2 * (static_cast<size_t>(nodeCount) - 1) * part / static_cast<size_t>(nodeCount);
  *sent = owner ? bytes + across : bytes;
  *received = owner ? peers * part + across + bytes - part : bytes;
}

NodePaths::~NodePaths() {
  sliceExecutor.reset();
  shm.reset();
  gate.reset();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (nodeComm != MPI_COMM_NULL && !finalized) MPI_Comm_free(&nodeComm);
}

Status createNodePaths(MPI_Comm comm, const CommConfig& config, std::unique_ptr<NodePaths>* result) {
  auto paths = std::make_unique<NodePaths>();
  HOOP_RETURN_IF_ERROR(findNodes(comm, config.virtualNodeSize, paths.get()));
  paths->oversubscribed = paths->localSize > usableCpus();
  if (config.shmMode != ShmMode::Off) {
    ShmCollectivesConfig shmConfig{config.shmChunkBytes,   config.pipelineDepth,  config.shmSmallBytes,
                                   config.shmStreamBytes,  config.shmSingleCopy, config.shmSingleCopyChunkBytes};
    paths->gate = std::make_unique<ShmCallGate>();
    paths->shm = std::make_unique<ShmCollectives>(shmConfig);
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    Status status = paths->gate->init(paths->nodeComm, rank, std::max(config.shmSmallBytes, sizeof(ShmBufferAddresses)));
    if (status.isOk()) {
      status = paths->shm->init(paths->nodeComm, paths->nodeCount == 1 ? paths->localSize : paths->parts,
                                paths->gate.get());
    }
    int ready = status.isOk() ? 1 : 0;
    HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Allreduce(MPI_IN_PLACE, &ready, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce"));
    if (!ready) {
      if (config.shmMode == ShmMode::On) {
        return status.isOk() ? Status(hoopSystemError, "HOOP_SHM=on: shared memory failed on another rank") : status;
      }
      HOOP_WARN("shared memory unavailable, using MPI only: %s", status.message().c_str());
      paths->shm.reset();
      paths->gate.reset();
    }
  }
  if (paths->shm != nullptr && paths->nodeCount > 1) {
    int size = 0;
    MPI_Comm_size(comm, &size);
    paths->hierarchicalByDefault = paths->nodeCount < size;
    const bool owner = paths->localRank < paths->parts;
    MPI_Comm slice = MPI_COMM_NULL;
    HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Comm_split(comm, owner ? paths->localRank : MPI_UNDEFINED, paths->nodeIndex, &slice),
                                  "MPI_Comm_split (slices)"));
    if (owner) {
      MPI_Comm_set_errhandler(slice, MPI_ERRORS_RETURN);
      MPI_Comm_rank(slice, &paths->sliceRank);
      paths->sliceExecutor = std::make_unique<MpiExecutor>(slice, config.segmentBytes, config.pipelineDepth);
    }
  }
  HOOP_INFO(kLogInit, "node %d of %d, local rank %d of %d, %d parts per node, shared memory %s%s", paths->nodeIndex,
            paths->nodeCount, paths->localRank, paths->localSize, paths->parts, paths->shm ? "on" : "off",
            paths->oversubscribed ? " (oversubscribed: waits yield)" : "");
  *result = std::move(paths);
  return Status::ok();
}

}  // namespace hoop
