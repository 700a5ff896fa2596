#include "core/comm_mpi.h"

#include <stdint.h>

#include <algorithm>
#include <string>

#include "core/log.h"
#include "core/node_paths.h"
#include "core/params.h"
#include "transport/mpi/mpi_executor.h"
#include "transport/shm/shm_mailbox_executor.h"

namespace hoop {

namespace {

const char* threadLevelName(int level) {
  if (level == MPI_THREAD_SINGLE) return "MPI_THREAD_SINGLE";
  if (level == MPI_THREAD_FUNNELED) return "MPI_THREAD_FUNNELED";
  if (level == MPI_THREAD_SERIALIZED) return "MPI_THREAD_SERIALIZED";
  return "MPI_THREAD_MULTIPLE";
}

// The settings every rank must share: the transports cut messages, size slots and choose
// paths by them, so ranks that differ would misread each other's data. One all-reduce of
// the values and their negations gives every rank the minimum and maximum of each; every
// rank also learns whether any rank's settings failed to resolve, so all return together.
Status agreeOnSettings(MPI_Comm comm, const Status& local, const CommConfig& config) {
  struct Setting {
    const char* name;
    long long value;
  };
  const Setting settings[] = {
      {"HOOP_SEGMENT_BYTES (segmentBytes)", static_cast<long long>(config.segmentBytes)},
      {"HOOP_PIPELINE_DEPTH (pipelineDepth)", config.pipelineDepth},
      {"HOOP_CHECK", config.checkSignature},
      {"HOOP_SHM", static_cast<long long>(config.shmMode)},
      {"HOOP_SHM_CHUNK_BYTES", static_cast<long long>(config.shmChunkBytes)},
      {"HOOP_SHM_SMALL_BYTES", static_cast<long long>(config.shmSmallBytes)},
      {"HOOP_SHM_SINGLE_COPY", config.shmSingleCopy},
      {"HOOP_SHM_SINGLE_COPY_CHUNK_BYTES", static_cast<long long>(config.shmSingleCopyChunkBytes)},
      {"HOOP_SHM_STREAM_BYTES", config.shmStreamBytes == SIZE_MAX ? 0 : static_cast<long long>(config.shmStreamBytes)},
      {"HOOP_VIRTUAL_NODE_SIZE", config.virtualNodeSize},
  };
  constexpr int kSettings = sizeof settings / sizeof settings[0];
  long long values[2 * kSettings + 1];
  values[0] = local.isOk() ? 0 : -1;  // the minimum: -1 when any rank failed
  for (int i = 0; i < kSettings; ++i) {
    values[1 + i] = local.isOk() ? settings[i].value : 0;
    values[1 + kSettings + i] = -values[1 + i];
  }
  const int rc = MPI_Allreduce(MPI_IN_PLACE, values, 2 * kSettings + 1, MPI_LONG_LONG, MPI_MIN, comm);
  HOOP_RETURN_IF_ERROR(local);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Allreduce of the settings failed with code %d", rc));
  if (values[0] < 0) {
    return Status(hoopInvalidUsage, "the settings of another rank are invalid (its message says why)");
  }
  for (int i = 0; i < kSettings; ++i) {
    const long long low = values[1 + i];
    const long long high = -values[1 + kSettings + i];
    if (low != high) {
      return Status(hoopInvalidUsage, format("%s differs between ranks (from %lld to %lld); every rank "
                                             "must use the same value",
                                             settings[i].name, low, high));
    }
  }
  return Status::ok();
}

}  // namespace

Status checkMpiUsable(MPI_Comm mpiComm) {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized || finalized) return Status(hoopInvalidUsage, "MPI must be initialized and not finalized");
  if (mpiComm == MPI_COMM_NULL) return Status(hoopInvalidArgument, "mpiComm is MPI_COMM_NULL");
  return Status::ok();
}

Status createMpiComm(MPI_Comm mpiComm, const hoopConfig_t* config, std::unique_ptr<hoopComm>* comm) {
  HOOP_RETURN_IF_ERROR(checkMpiUsable(mpiComm));

  static bool paramsLogged = false;
  if (!paramsLogged && logEnabled(LogLevel::Info, kLogInit)) {
    paramsLogged = true;
    HOOP_INFO(kLogInit, "parameters:\n%s", describeParams().c_str());
  }
  auto fresh = std::make_unique<hoopComm>();
  HOOP_RETURN_IF_ERROR(agreeOnSettings(mpiComm, resolveConfig(config, &fresh->config), fresh->config));
  MPI_Comm dup = MPI_COMM_NULL;
  const int rc = MPI_Comm_dup(mpiComm, &dup);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Comm_dup failed with code %d", rc));
  MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN);
  MPI_Comm_rank(dup, &fresh->rank);
  MPI_Comm_size(dup, &fresh->nranks);
  int threadLevel = MPI_THREAD_SINGLE;
  MPI_Query_thread(&threadLevel);
  if (threadLevel < MPI_THREAD_MULTIPLE) {
    fresh->asyncBlocker = format(
        "asynchronous collectives run on a communication thread and need MPI initialized with "
        "MPI_Init_thread(..., MPI_THREAD_MULTIPLE, ...); this process has %s",
        threadLevelName(threadLevel));
  }
  fresh->executor = std::make_unique<MpiExecutor>(dup, fresh->config.segmentBytes, fresh->config.pipelineDepth);
  std::unique_ptr<NodePaths> node;
  HOOP_RETURN_IF_ERROR(createNodePaths(dup, fresh->config, &node));
  const bool shared = useShmExecutor(*node);
  if (shared) {
    auto mailboxes = std::make_unique<ShmMailboxExecutor>(fresh->config.shmChunkBytes, fresh->config.pipelineDepth,
                                                          node->oversubscribed);
    HOOP_RETURN_IF_ERROR(mailboxes->init(node->nodeComm, node->gate.get()));
    fresh->executor = std::move(mailboxes);  // frees the MPI executor and its duplicate
  }
  fresh->node = std::move(node);
  HOOP_INFO(kLogInit, "rank %d/%d: communicator ready over %s, segment %zu bytes, pipeline depth %d", fresh->rank,
            fresh->nranks, shared ? "shared memory" : "MPI", fresh->config.segmentBytes, fresh->config.pipelineDepth);
  fresh->transport = "mpi";
  fresh->tuner.init(fresh->transport, fresh->nranks, fresh->config.overrides, fresh->config.tuning);
  if (fresh->rank == 0 && logEnabled(LogLevel::Info, kLogTune)) {
    HOOP_INFO(kLogTune, "automatic algorithm choices for %d ranks, by size in bytes (HOOP_ALGO rules apply first):",
              fresh->nranks);
    const std::string table = fresh->tuner.describe();
    for (size_t start = 0; start < table.size();) {
      const size_t end = std::min(table.find('\n', start), table.size());
      HOOP_INFO(kLogTune, "  %s", table.substr(start, end - start).c_str());
      start = end + 1;
    }
  }
  *comm = std::move(fresh);
  return Status::ok();
}

}  // namespace hoop
