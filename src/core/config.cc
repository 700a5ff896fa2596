#include "core/config.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <cmath>

#include "core/params.h"

namespace hoop {

namespace {

// hoop 0.1.0, the first version with hoopConfig_t.
constexpr unsigned int kFirstConfigVersion = 100;
// The ranges of the settings, the same from a config as from the environment.
constexpr size_t kMinSegmentBytes = 64;
constexpr int kMaxPipelineDepth = 64;
constexpr double kMaxTimeoutSeconds = 1e9;

// Accepts a struct from an older header: only the fields that fit in user->size are read.
bool hasField(const hoopConfig_t* user, size_t offset, size_t fieldSize) { return user->size >= offset + fieldSize; }

Status parseShmMode(const std::string& name, ShmMode* mode) {
  if (name == "auto") {
    *mode = ShmMode::Auto;
  } else if (name == "on" || name == "1") {
    *mode = ShmMode::On;
  } else if (name == "off" || name == "0") {
    *mode = ShmMode::Off;
  } else {
    return Status(hoopInvalidArgument, format("HOOP_SHM='%s' is not one of auto, on, off", name.c_str()));
  }
  return Status::ok();
}

// The shared-memory and node settings, which come from the environment only.
Status resolveShmSettings(CommConfig* resolved) {
  HOOP_RETURN_IF_ERROR(parseShmMode(paramValue("HOOP_SHM"), &resolved->shmMode));
  long long value = 0;
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SHM_CHUNK_BYTES", 64, 1 << 26, &value));
  resolved->shmChunkBytes = static_cast<size_t>(value);
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SHM_SMALL_BYTES", 0, 1 << 20, &value));
  resolved->shmSmallBytes = static_cast<size_t>(value);
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SHM_SINGLE_COPY", 0, 1, &value));
  resolved->shmSingleCopy = value != 0;
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SHM_SINGLE_COPY_CHUNK_BYTES", 64, 1 << 30, &value));
  resolved->shmSingleCopyChunkBytes = static_cast<size_t>(value);
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SHM_STREAM_BYTES", 0, LLONG_MAX, &value));
  resolved->shmStreamBytes = value == 0 ? SIZE_MAX : static_cast<size_t>(value);
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_VIRTUAL_NODE_SIZE", 0, INT_MAX, &value));
  resolved->virtualNodeSize = static_cast<int>(value);
  return Status::ok();
}

}  // namespace

Status resolveConfig(const hoopConfig_t* user, CommConfig* resolved) {
  hoopConfig_t defaults = HOOP_CONFIG_INITIALIZER;
  if (user == nullptr) user = &defaults;
  // The header: a struct from a newer header (larger size and version) is read up to the
  // fields this library knows; a version older than the first release is no initializer's.
  if (user->magic != HOOP_CONFIG_MAGIC || user->size < offsetof(hoopConfig_t, algorithm) ||
      user->version < kFirstConfigVersion) {
    return Status(hoopInvalidArgument,
                  format("config not initialized with HOOP_CONFIG_INITIALIZER (magic 0x%x, size %zu, version %u)",
                         user->magic, user->size, user->version));
  }
  const char* algorithm = hasField(user, offsetof(hoopConfig_t, algorithm), sizeof user->algorithm) ? user->algorithm : nullptr;
  const std::string spec = algorithm != nullptr ? algorithm : paramValue("HOOP_ALGO");
  Status parsed;
  if (spec == "nccl" || spec == "hierarchical") {
    resolved->allReduceAlgorithm = spec == "nccl" ? AllReduceAlgorithm::Nccl : AllReduceAlgorithm::Hierarchical;
  } else {
    parsed = parseAlgorithmSpec(spec, &resolved->overrides);
    const bool forced = !resolved->overrides.rules[static_cast<int>(Collective::AllReduce)].empty();
    resolved->allReduceAlgorithm = forced ? AllReduceAlgorithm::Ring : AllReduceAlgorithm::Auto;
  }
  if (!parsed.isOk()) {
    return Status(parsed.code(), format("%s='%s': %s", algorithm != nullptr ? "config algorithm" : "HOOP_ALGO",
                                        spec.c_str(), parsed.message().c_str()));
  }
  const std::string tuneFile = paramValue("HOOP_TUNE_FILE");
  if (!tuneFile.empty()) HOOP_RETURN_IF_ERROR(loadTuningFile(tuneFile, &resolved->tuning));

  const size_t segment = hasField(user, offsetof(hoopConfig_t, segmentBytes), sizeof user->segmentBytes) ? user->segmentBytes : 0;
  if (segment != 0) {
    if (segment < kMinSegmentBytes || segment > INT_MAX) {
      return Status(hoopInvalidArgument,
                    format("config segmentBytes %zu is outside %zu..INT_MAX (0: HOOP_SEGMENT_BYTES)", segment, kMinSegmentBytes));
    }
    resolved->segmentBytes = segment;
  } else {
    long long value = 0;
    HOOP_RETURN_IF_ERROR(paramInteger("HOOP_SEGMENT_BYTES", kMinSegmentBytes, INT_MAX, &value));
    resolved->segmentBytes = static_cast<size_t>(value);
  }

  const int depth = hasField(user, offsetof(hoopConfig_t, pipelineDepth), sizeof user->pipelineDepth) ? user->pipelineDepth : 0;
  if (depth < 0 || depth > kMaxPipelineDepth) {
    return Status(hoopInvalidArgument,
                  format("config pipelineDepth %d is outside 1..%d (0: HOOP_PIPELINE_DEPTH)", depth, kMaxPipelineDepth));
  }
  if (depth != 0) {
    resolved->pipelineDepth = depth;
  } else {
    long long value = 0;
    HOOP_RETURN_IF_ERROR(paramInteger("HOOP_PIPELINE_DEPTH", 1, kMaxPipelineDepth, &value));
    resolved->pipelineDepth = static_cast<int>(value);
  }

  const double timeout = hasField(user, offsetof(hoopConfig_t, timeoutSeconds), sizeof user->timeoutSeconds)
                             ? user->timeoutSeconds : -1.0;
  if (std::isnan(timeout) || timeout > kMaxTimeoutSeconds) {
    return Status(hoopInvalidArgument, format("config timeoutSeconds %g is not a number of seconds <= %g (< 0: HOOP_TIMEOUT)",
                                              timeout, kMaxTimeoutSeconds));
  }
  if (timeout >= 0) {
    resolved->timeoutSeconds = timeout;
  } else {
    HOOP_RETURN_IF_ERROR(paramSeconds("HOOP_TIMEOUT", &resolved->timeoutSeconds));
  }
  long long check = 1;
  HOOP_RETURN_IF_ERROR(paramInteger("HOOP_CHECK", 0, 1, &check));
  resolved->checkSignature = check != 0;
  return resolveShmSettings(resolved);
}

}  // namespace hoop
