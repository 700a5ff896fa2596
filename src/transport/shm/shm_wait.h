// Bounded waiting on shared-memory flags.
//
// Every wait of the shared-memory transport goes through Waiter::pause(): it spins briefly
// (a pause instruction per turn) while the node has a core per rank, and yields the core
// (sched_yield) once the spin budget is spent or straight away when ranks outnumber cores,
// so that oversubscribed ranks let the peer they wait for run. Every few hundred pauses it
// checks the abort flag, the failures peers posted for this call, and the deadline: a wait
// never outlives the communicator's timeout, a communicator being aborted stops every wait,
// and a peer's failure ends the waits of the others at once. This is the one place that
// decides how long and how politely the transport waits.
#pragma once

#include <stdint.h>

#include <atomic>

#include "base/status.h"
#include "transport/call_context.h"

namespace hoop {

// Failures posted by the other ranks of the node (transport/shm/shm_call_gate.h).
class PeerFailures {
 public:
  virtual ~PeerFailures() = default;
  // True, with the failure in *status, when a peer posted one for call `sequence`.
  virtual bool peerFailed(uint64_t sequence, Status* status) const = 0;
};

// Taken from the call's context (transport/call_context.h): HOOP_TIMEOUT and hoopCommAbort.
struct WaitLimits {
  double timeoutSeconds = 0;                     // <= 0: no deadline
  const std::atomic<bool>* aborted = nullptr;    // raised: give up at once
  bool oversubscribed = false;                   // more ranks than cores: yield instead of spinning
  const PeerFailures* peers = nullptr;           // polled with the abort flag; NULL: none
  const Signature* call = nullptr;               // names the call in messages; NULL: unnamed
  int rank = -1;                                 // this rank in the communicator, for messages
};

class Waiter {
 public:
  explicit Waiter(const WaitLimits& limits) : limits_(limits) {}

  // Called when a poll found nothing to do. Fails with hoopTimeout past the deadline,
  // hoopInvalidUsage when the communicator was aborted, or with a peer's posted failure;
  // `what` names the wait in the message.
  Status pause(const char* what);

  // Called after progress: the next pause starts spinning again.
  void progressed() { spins_ = 0; }

  const WaitLimits& limits() const { return limits_; }

 private:
  Status check(const char* what);

  WaitLimits limits_;
  uint32_t spins_ = 0;
  uint32_t sinceCheck_ = 0;
  double deadline_ = 0.0;  // set on the first check
};

// Waits until `counter` >= target (acquire).
inline Status waitAtLeast(const std::atomic<uint64_t>& counter, uint64_t target, Waiter& waiter, const char* what) {
  while (counter.load(std::memory_order_acquire) < target) HOOP_RETURN_IF_ERROR(waiter.pause(what));
  waiter.progressed();
  return Status::ok();
}

}  // namespace hoop
