// The collectives behind the C API, for arguments that passed the API's checks: pick the
// algorithm (tuner, a forced choice, or the transport's own all-reduce), reuse or build the
// plan (schedule, reduction, scratch), and run it as one call (core/collective_call.h).
#pragma once

#include <stddef.h>

#include "algorithms/collective.h"
#include "base/status.h"
#include "core/comm.h"
#include "core/tuner.h"

namespace hoop {

struct CollectiveArgs {
  Collective collective;
  const void* sendbuff;
  void* recvbuff;
  size_t count;  // the API's count: elements, sendcount (all-gather) or recvcount (reduce-scatter)
  hoopDataType_t datatype;
  hoopRedOp_t op;  // ignored by broadcast and all-gather
  int root;        // broadcast and reduce
  hoopStream_t stream;
};

// Bytes this rank sent and received in one collective, payload only.
struct Traffic {
  size_t bytesSent = 0;
  size_t bytesReceived = 0;
};

// What a schedule sends and receives.
Traffic scheduleTraffic(const Schedule& schedule, size_t elemSize);

// Bytes of the collective's whole array: what the tuner and HOOP_ALGO ranges see.
size_t collectiveBytes(const CollectiveArgs& args, int nranks);

// Runs the call with the tuner's choice, or with `forced` when it is not NULL. Device
// communicators run the ring all-reduce only (their transports execute the ring's steps).
// `traffic` (may be NULL) receives what this rank moved.
Status runCollectiveArgs(hoopComm* comm, const CollectiveArgs& args, const AlgorithmChoice* forced = nullptr,
                         Traffic* traffic = nullptr);

// Returns once every rank has entered the barrier.
Status barrier(hoopComm* comm, Traffic* traffic = nullptr);

}  // namespace hoop
