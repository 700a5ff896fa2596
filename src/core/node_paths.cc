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
  return nodeCount == 1 || algorithm == AllReduceAlgorithm::Hierarchical;
}

Status NodePaths::allReduce(AllReduceAlgorithm algorithm, const void* sendbuff, void* recvbuff, size_t count,
                            const ReduceSpec& spec, const CallContext& call) {
  const WaitLimits limits{call.timeoutSeconds, call.aborted, oversubscribed};
  if (nodeCount == 1 || algorithm != AllReduceAlgorithm::Hierarchical) {
    return shm->allReduce(sendbuff, recvbuff, count, spec, limits);
  }
  return hierarchicalAllReduce(*this, sendbuff, recvbuff, count, spec, call, limits);
}

NodePaths::~NodePaths() {
  sliceExecutor.reset();
  shm.reset();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (nodeComm != MPI_COMM_NULL && !finalized) MPI_Comm_free(&nodeComm);
}

Status createNodePaths(MPI_Comm comm, const CommConfig& config, std::unique_ptr<NodePaths>* result) {
  auto paths = std::make_unique<NodePaths>();
  HOOP_RETURN_IF_ERROR(findNodes(comm, config.virtualNodeSize, paths.get()));
  paths->oversubscribed = paths->localSize > usableCpus();
  if (config.shmMode != ShmMode::Off) {
    ShmCollectivesConfig shmConfig{config.shmChunkBytes, config.pipelineDepth, config.shmSmallBytes};
    paths->shm = std::make_unique<ShmCollectives>(shmConfig);
    const Status status = paths->shm->init(paths->nodeComm, paths->nodeCount == 1 ? paths->localSize : paths->parts);
    int ready = status.isOk() ? 1 : 0;
    HOOP_RETURN_IF_ERROR(mpiCheck(MPI_Allreduce(MPI_IN_PLACE, &ready, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce"));
    if (!ready) {
      if (config.shmMode == ShmMode::On) {
        return status.isOk() ? Status(hoopSystemError, "HOOP_SHM=on: shared memory failed on another rank") : status;
      }
      HOOP_WARN("shared memory unavailable, using MPI only: %s", status.message().c_str());
      paths->shm.reset();
    }
  }
  if (paths->shm != nullptr && paths->nodeCount > 1) {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
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
