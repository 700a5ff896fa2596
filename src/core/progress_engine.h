// The communication thread of a communicator and the requests it completes.
//
// A communicator gets its thread on the first asynchronous call. Requests go into one FIFO
// and the thread runs them one at a time, in issue order, with the communicator's schedule
// and executor; since every rank issues the same collectives in the same order, every rank
// completes them in the same order, and progress needs no polling by the caller. Blocking
// collectives issued while requests are in flight join the same FIFO (core/collective_op.h).
//
// Requests come from a pool owned by the engine and are recycled after completion, so the
// steady state allocates nothing. Only the thread that issues calls on the communicator
// touches the queue's producer side; the thread writes a request's result before setting
// `done` (release), so a caller that sees `done` (acquire) may read it without the lock.
#pragma once

#include <stdint.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"
#include "core/collective_op.h"

struct hoopRequest {
  static constexpr uint64_t kLiveMagic = 0x686f6f7052657175ull;  // "hoopRequ"
  static constexpr uint64_t kFreeMagic = 0x686f6f7046726565ull;  // "hoopFree"

  uint64_t magic = kFreeMagic;
  hoopComm* comm = nullptr;
  hoop::CollectiveOp op{};
  std::atomic<bool> done{false};
  hoop::Status status;
  hoop::Traffic traffic;
  int64_t startNs = 0;  // steady clock, when the thread started the collective
  int64_t endNs = 0;    // and when it finished
  hoopRequest* next = nullptr;  // FIFO or free-list link
};

namespace hoop {

class ProgressEngine {
 public:
  explicit ProgressEngine(hoopComm* comm);
  // Completes the requests still queued, then stops the thread.
  ~ProgressEngine();
  ProgressEngine(const ProgressEngine&) = delete;
  ProgressEngine& operator=(const ProgressEngine&) = delete;

  // Queues `op` behind the requests in flight; *request is live until release().
  Status submit(const CollectiveOp& op, hoopRequest** request);
  // True when no request is queued or running.
  bool idle();
  static bool isDone(const hoopRequest* request) { return request->done.load(std::memory_order_acquire); }
  // Blocks until `request` completed; returns its result.
  Status wait(hoopRequest* request);
  // Returns a completed request to the pool.
  void release(hoopRequest* request);

 private:
  void loop();
  void execute(hoopRequest* request);

  hoopComm* comm_;
  std::mutex mutex_;
  std::condition_variable workReady_;
  std::condition_variable workDone_;
  hoopRequest* head_ = nullptr;
  hoopRequest* tail_ = nullptr;
  size_t inFlight_ = 0;  // queued or running
  bool stopping_ = false;
  hoopRequest* free_ = nullptr;
  std::vector<std::unique_ptr<hoopRequest>> pool_;
  std::thread thread_;
};

// Creates the communicator's thread on first use; hoopInvalidUsage (with the reason, e.g.
// the MPI thread level) when the communicator cannot run asynchronous requests.
Status ensureProgressEngine(hoopComm* comm);

// Monotonic nanoseconds, the clock of hoopRequest's timestamps.
int64_t steadyNanoseconds();

}  // namespace hoop
