#include "core/params.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

namespace hoop {

const std::vector<ParamInfo>& allParams() {
  static const std::vector<ParamInfo> params = {
      {"HOOP_DEBUG", "WARN", "log level: NONE, WARN, INFO or TRACE"},
      {"HOOP_DEBUG_SUBSYS", "ALL", "subsystems to log at INFO/TRACE: INIT, COLL, TRANSPORT, TUNE, ALL; ^ excludes"},
      {"HOOP_DEBUG_FILE", "", "log file instead of stderr; %h expands to the host name, %p to the pid"},
      {"HOOP_ALGO", "auto",
       "force algorithms: 'ring', or per collective and size, e.g. "
       "'allreduce:recursive-doubling@<4K,ring;broadcast:binomial' (grammar in src/core/algo_spec.h); "
       "'hierarchical': shared memory in nodes, ring across; 'nccl': NCCL's own all-reduce (NCCL communicators "
       "only)"},
      {"HOOP_TUNE_FILE", "", "cost-model parameters written by the calibrate tool; empty: the built-in table"},
      {"HOOP_SEGMENT_BYTES", "262144", "pipeline segment size in bytes (one message, one reduction)"},
      {"HOOP_PIPELINE_DEPTH", "4", "segments in flight per receiving peer"},
      {"HOOP_TIMEOUT", "600", "seconds a collective may wait for its peers before failing with hoopTimeout (0: forever)"},
      {"HOOP_CHECK", "1", "compare each collective's arguments across ranks (1) or trust them (0)"},
      {"HOOP_SHM", "auto",
       "shared memory between the ranks of a node: off, auto (when the ranks share a node), on (fail if not possible)"},
      {"HOOP_SHM_CHUNK_BYTES", "262144", "shared-memory pipeline chunk and mailbox slot size in bytes"},
      {"HOOP_SHM_SMALL_BYTES", "32768", "shared-memory all-reduces up to this size take the latency path"},
      {"HOOP_SHM_SINGLE_COPY", "1",
       "all-reduces above HOOP_SHM_SMALL_BYTES copy straight between the processes (cross-memory attach) when "
       "the system allows it (1), or stage through shared memory (0)"},
      {"HOOP_SHM_SINGLE_COPY_CHUNK_BYTES", "262144", "the single-copy all-reduce's chunk in bytes"},
      {"HOOP_SHM_STREAM_BYTES", "33554432",
       "shared-memory all-reduces from this size, unless every rank works in place, take the staged pipeline and "
       "write their output with non-temporal stores (0: never)"},
      {"HOOP_VIRTUAL_NODE_SIZE", "0", "split each machine's ranks into pretend nodes of this many ranks (0: off)"},
  };
  return params;
}

namespace {

const ParamInfo* findParam(const char* name) {
  for (const ParamInfo& param : allParams()) {
    if (strcmp(param.name, name) == 0) return &param;
  }
  return nullptr;
}

}  // namespace

std::string paramValue(const char* name) {
  const ParamInfo* param = findParam(name);
  const char* env = getenv(name);
  if (env != nullptr && env[0] != '\0') return env;
  return param != nullptr ? param->defaultValue : "";
}

Status paramInteger(const char* name, long long minimum, long long maximum, long long* value) {
  if (findParam(name) == nullptr) return Status(hoopInternalError, format("unregistered parameter %s", name));
  const std::string text = paramValue(name);
  errno = 0;
  char* end = nullptr;
  const long long parsed = strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || parsed < minimum || parsed > maximum) {
    return Status(hoopInvalidArgument,
                  format("%s='%s' is not an integer in [%lld, %lld]", name, text.c_str(), minimum, maximum));
  }
  *value = parsed;
  return Status::ok();
}

std::string describeParams() {
  std::string text;
  for (const ParamInfo& param : allParams()) {
    const char* env = getenv(param.name);
    const bool set = env != nullptr && env[0] != '\0';
    const std::string origin = set ? format("set; default '%s'", param.defaultValue) : std::string("default");
    text += format("%-20s = %-10s (%s)  %s\n", param.name, paramValue(param.name).c_str(), origin.c_str(),
                   param.description);
  }
  return text;
}

Status paramSeconds(const char* name, double* seconds) {
  if (findParam(name) == nullptr) return Status(hoopInternalError, format("unregistered parameter %s", name));
  const std::string text = paramValue(name);
  errno = 0;
  char* end = nullptr;
  const double parsed = strtod(text.c_str(), &end);
  if (errno != 0 || end == text.c_str() || *end != '\0' || !(parsed >= 0) || parsed > 1e9) {
    return Status(hoopInvalidArgument, format("%s='%s' is not a number of seconds >= 0", name, text.c_str()));
  }
  *seconds = parsed;
  return Status::ok();
}

}  // namespace hoop
