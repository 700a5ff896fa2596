// Thread-local grouping of collective calls (hoopGroupStart / hoopGroupEnd).
//
// A transport whose collectives need all ranks' calls before any work can be enqueued (the
// single-process CUDA clique) queues a call and, inside a group, returns at once after
// joining the group with a ticket; the outermost groupEnd then waits on every ticket this
// thread collected. Transports that execute calls at once ignore groups.
#pragma once

#include <stdint.h>

#include <memory>

#include "base/status.h"

namespace hoop {

// Something that can wait until a queued call is enqueued.
class GroupParticipant {
 public:
  virtual ~GroupParticipant() = default;
  // Waits until call `ticket` of `rank` is enqueued, or withdraws the rank's queued calls
  // after the participant's timeout; the call's error, if any.
  virtual Status await(int rank, uint64_t ticket) = 0;
};

void groupStart();
bool inGroup();
// Remembers a ticket to wait on at the outermost groupEnd.
void joinGroup(const std::shared_ptr<GroupParticipant>& participant, int rank, uint64_t ticket);
// Ends a group level; the outermost waits on every ticket and returns the first error.
Status groupEnd();

}  // namespace hoop
