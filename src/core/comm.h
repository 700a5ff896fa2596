// The communicator: who this rank is, its settings, the transport that moves its bytes,
// and the memory its collectives reuse from call to call.
#pragma once

#include <stdint.h>

#include <atomic>
#include <memory>
#include <string>

#include "algorithms/schedule.h"
#include "core/config.h"
#include "core/node_route.h"
#include "hoop/hoop.h"
#include "transport/executor.h"

namespace hoop {
class ProgressEngine;
}  // namespace hoop

struct hoopComm {
  static constexpr uint64_t kLiveMagic = 0x686f6f70436f6d6dull;  // "hoopComm"

  uint64_t magic = kLiveMagic;
  int rank = 0;
  int nranks = 1;
  int device = -1;  // the CUDA device of a device communicator; -1 for host memory
  hoop::CommConfig config;
  std::unique_ptr<hoop::NodeRoute> node;     // shared-memory and hierarchical paths; NULL: none
  std::unique_ptr<hoop::Executor> executor;  // runs schedules; destroyed before `node`
  hoop::Schedule schedule;  // rebuilt for each call, keeping its memory
  std::string lastError;
  uint64_t sequence = 0;              // collectives started on this communicator
  std::atomic<bool> aborted{false};   // set by hoopCommAbort, from any thread
  // Why asynchronous requests cannot run here (e.g. the MPI thread level); empty when they can.
  std::string asyncBlocker;
  // The communication thread, created by the first asynchronous call (core/progress_engine.h).
  // Declared last so that it stops, completing queued requests, before the executor goes.
  std::unique_ptr<hoop::ProgressEngine> progress;

  hoopComm();
  ~hoopComm();
  hoopComm(const hoopComm&) = delete;
  hoopComm& operator=(const hoopComm&) = delete;
};

namespace hoop {

// Records a failure as the last error of `comm` (or of the calling thread when comm is
// NULL), logs it at WARN, and returns its code.
hoopResult_t recordError(hoopComm* comm, const Status& status);

// The message kept for hoopGetLastError(NULL).
std::string& threadLastError();

}  // namespace hoop
