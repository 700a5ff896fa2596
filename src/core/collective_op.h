// One collective call as data: what the blocking entry points run at once and what the
// communication thread runs for an asynchronous request. Every collective that can be
// issued asynchronously has a kind here and a case in executeOp.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/collectives.h"
#include "core/comm.h"

namespace hoop {

enum class OpKind : uint8_t {
  AllReduce,      // the public collectives, with the tuner's algorithms (core/collectives.h)
  Broadcast,
  Reduce,
  AllGather,
  ReduceScatter,
  Barrier,
  FlatReduce,     // everything straight to the root (the parameter server's push)
  FlatBroadcast,  // the root straight to everyone (the parameter server's pull)
};

struct CollectiveOp {
  OpKind kind;
  const void* sendbuff;
  void* recvbuff;
  size_t count;   // the API's count (sendcount for all-gather, recvcount for reduce-scatter)
  hoopDataType_t datatype;
  hoopRedOp_t op;  // unused by broadcasts, all-gather and the barrier
  int root;        // broadcasts and reduces only
  hoopStream_t stream = nullptr;  // device communicators: the caller's stream
};

// Runs `op` on the calling thread with the communicator's schedule and executor; `traffic`
// (may be NULL) receives this rank's byte counts. Arguments must have passed the API checks.
Status executeOp(hoopComm* comm, const CollectiveOp& op, Traffic* traffic);

// A blocking collective issued by the user: run at once when no asynchronous request is in
// flight on `comm`, otherwise queued behind them and waited for, so that every collective
// on a communicator completes in issue order on every rank.
Status runBlocking(hoopComm* comm, const CollectiveOp& op);

}  // namespace hoop
