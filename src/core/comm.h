// The communicator: who this rank is, its settings, the transport that moves its bytes,
// and the memory its collectives reuse from call to call.
#pragma once

#include <stdint.h>

#include <atomic>
#include <memory>
#include <string>

#include "algorithms/collective.h"
#include "algorithms/schedule.h"
#include "base/aligned_buffer.h"
#include "core/config.h"
#include "core/node_route.h"
#include "core/tuner.h"
#include "hoop/hoop.h"
#include "transport/executor.h"

namespace hoop {
class ProgressEngine;

// The last plan of one collective: what it was made for, and the schedule and reduction it
// runs. A call with the same shape reuses it whole.
struct CachedPlan {
  bool valid = false;
  AlgorithmChoice choice{Algorithm::Ring, 0};
  size_t count = 0;
  int root = 0;
  hoopDataType_t datatype = hoopFloat32;
  hoopRedOp_t op = hoopSum;
  ReduceSpec spec{0, nullptr, nullptr, 0};
  Schedule schedule;
};

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
  const char* transport = "mpi";  // the executor's name in tuning tables
  hoop::Tuner tuner;
  hoop::CachedPlan plans[hoop::kCollectiveCount];  // the collectives' last plans (core/collectives.h)
  hoop::Schedule schedule;  // the flat collectives' schedule (parameter server), rebuilt per call
  hoop::AlignedBuffer scratch;  // the schedules' Scratch buffer, kept between calls
  uint8_t barrierByte = 0;
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
