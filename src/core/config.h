// A communicator's settings, resolved once at init from the caller's hoopConfig_t (fields
// left at their initializer value fall back to the environment, then to the defaults).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "base/status.h"
#include "core/algo_spec.h"
#include "core/tuning_table.h"
#include "hoop/hoop.h"

namespace hoop {

// How an all-reduce is routed: Auto (the tuner, or the node's shared-memory path when there is
// one), Ring (forced schedule algorithms), Nccl (the transport's own, NCCL communicators
// only), Hierarchical (shared memory in nodes, ring across).
enum class AllReduceAlgorithm { Auto, Ring, Nccl, Hierarchical };

// Whether the ranks of a node talk through shared memory (HOOP_SHM).
enum class ShmMode { Auto, On, Off };

struct CommConfig {
  AlgorithmOverrides overrides;      // HOOP_ALGO or config.algorithm
  AllReduceAlgorithm allReduceAlgorithm = AllReduceAlgorithm::Auto;
  std::vector<TuningEntry> tuning;  // from HOOP_TUNE_FILE; empty without one
  size_t segmentBytes = 0;
  int pipelineDepth = 0;
  double timeoutSeconds = 0;  // 0: wait forever
  bool checkSignature = true;  // compare every call's arguments across ranks
  ShmMode shmMode = ShmMode::Off;
  size_t shmChunkBytes = 0;
  size_t shmSmallBytes = 0;
  bool shmSingleCopy = true;  // larger all-reduces by cross-memory attach where it works
  size_t shmSingleCopyChunkBytes = 0;
  size_t shmStreamBytes = SIZE_MAX;  // shared-memory outputs from this size bypass the caches
  int virtualNodeSize = 0;  // 0: nodes are the machines
};

Status resolveConfig(const hoopConfig_t* user, CommConfig* resolved);

}  // namespace hoop
