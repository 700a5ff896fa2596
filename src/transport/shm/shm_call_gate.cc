// The call gate of the shared-memory transport.
//
// Each rank's segment holds a counter `entered`, two notices and two slots. To enter call s
// (the communicator's sequence number), a rank writes the call's signature, followed by its
// payload, into slot s mod 2 and stores entered = s (release); it then waits until every
// peer's counter reaches s (acquire) and compares every peer's signature with its own. All
// ranks see the same signatures, so a disagreement fails the call on every rank before any
// data moves, and the communicator stays usable. The signature carries the path's
// algorithm, so ranks that would take different paths (different counts, HOOP_ALGO) meet
// here and fail together instead of waiting in different places.
//
// Two slots suffice: a rank writes slot s mod 2 again only for call s + 2, after its gate
// for call s + 1 saw every peer enter s + 1, which each did only after finishing call s.
//
// A rank whose call fails writes its message into notice s mod 2 and then stores the
// notice's sequence (release). Every wait of the transport polls the peers' notices for its
// call (shm_wait.h), so the other ranks return the first failure, naming its rank, instead
// of waiting out their timeouts. A failure after the gate may leave the ranks' transfer
// counters at different points; the gate then refuses the communicator's later calls.
#include "transport/shm/shm_call_gate.h"

#include <stdio.h>
#include <string.h>

#include <string>

namespace hoop {

namespace {

constexpr size_t kHeaderBytes = 64;  // the signature, padded to a cache line
constexpr size_t kNotices = 2;

size_t roundUp64(size_t bytes) { return (bytes + 63) / 64 * 64; }

}  // namespace

Status ShmCallGate::init(MPI_Comm nodeComm, int commRank, size_t payloadBytes) {
  MPI_Comm_rank(nodeComm, &me_);
  MPI_Comm_size(nodeComm, &size_);
  commRanks_.assign(static_cast<size_t>(size_), 0);
  const int rc = MPI_Allgather(&commRank, 1, MPI_INT, commRanks_.data(), 1, MPI_INT, nodeComm);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Allgather on the node failed with code %d", rc));
  payloadBytes_ = roundUp64(payloadBytes);
  slotBytes_ = kHeaderBytes + payloadBytes_;
  return window_.create(nodeComm, sizeof(SharedCounter) + kNotices * sizeof(Notice) + 2 * slotBytes_);
}

SharedCounter* ShmCallGate::entered(int rank) const { return reinterpret_cast<SharedCounter*>(window_.segment(rank)); }

ShmCallGate::Notice* ShmCallGate::notice(int rank, uint64_t sequence) const {
  return reinterpret_cast<Notice*>(window_.segment(rank) + sizeof(SharedCounter)) + sequence % kNotices;
}

char* ShmCallGate::slot(int rank, uint64_t sequence) const {
  return window_.segment(rank) + sizeof(SharedCounter) + kNotices * sizeof(Notice) + (sequence % 2) * slotBytes_;
}

const char* ShmCallGate::payload(int rank) const { return slot(rank, current_) + kHeaderBytes; }

WaitLimits ShmCallGate::limits(const CallContext& call, bool oversubscribed) const {
  return WaitLimits{call.timeoutSeconds, call.aborted, oversubscribed, this, &call.signature,
                    commRanks_[static_cast<size_t>(me_)]};
}

std::string ShmCallGate::missingRanks(uint64_t sequence) const {
  std::string ranks;
  for (int s = 0; s < size_; ++s) {
    if (s != me_ && entered(s)->value.load(std::memory_order_acquire) < sequence) {
      ranks += format(" %d", commRanks_[static_cast<size_t>(s)]);
    }
  }
  return ranks;
}

Status ShmCallGate::enter(const CallContext& call, const void* payload, size_t bytes, Waiter& waiter) {
  const Signature& mine = call.signature;
  const int myRank = commRanks_[static_cast<size_t>(me_)];
  if (brokenBy_ != 0) {
    return Status(hoopInvalidUsage,
                  format("%s #%llu refused on rank %d: call #%llu failed part-way over shared memory, so the ranks "
                         "may be out of step; destroy the communicator",
                         collectiveKindName(mine.kind), static_cast<unsigned long long>(mine.sequence), myRank,
                         static_cast<unsigned long long>(brokenBy_)));
  }
  current_ = mine.sequence;
  char* own = slot(me_, mine.sequence);
  memcpy(own, &mine, sizeof mine);
  if (bytes > 0) memcpy(own + kHeaderBytes, payload, bytes);
  entered(me_)->value.store(mine.sequence, std::memory_order_release);
  for (int s = 0; s < size_; ++s) {
    if (s == me_) continue;
    const Status status = waitAtLeast(entered(s)->value, mine.sequence, waiter, "the node's ranks to start the call");
    if (status.code() == hoopTimeout) {
      return Status(hoopTimeout, format("%s: nothing yet from rank(s)%s (stopped, or in another collective)",
                                        status.message().c_str(),
                                        missingRanks(mine.sequence).c_str()));
    }
    HOOP_RETURN_IF_ERROR(status);
  }
  if (call.checkSignature) {
    for (int s = 0; s < size_; ++s) {
      if (s == me_) continue;
      Signature theirs;
      memcpy(&theirs, slot(s, mine.sequence), sizeof theirs);
      if (!sameCall(mine, theirs)) {
        return Status(hoopInvalidUsage, describeMismatch(mine, myRank, theirs, commRanks_[static_cast<size_t>(s)]));
      }
    }
  }
  Status remote;
  if (peerFailed(mine.sequence, &remote)) return remote;
  passed_ = mine.sequence;
  return Status::ok();
}

void ShmCallGate::fail(const CallContext& call, const Status& status) {
  const uint64_t sequence = call.signature.sequence;
  if (passed_ == sequence && brokenBy_ == 0) brokenBy_ = sequence;
  if (status.code() == hoopRemoteError) return;  // the peers have the original notice
  const bool mismatch = status.code() == hoopInvalidUsage && !(call.aborted != nullptr && call.aborted->load());
  Notice* own = notice(me_, sequence);
  own->code = mismatch ? hoopInvalidUsage : hoopRemoteError;
  own->rank = commRanks_[static_cast<size_t>(me_)];
  snprintf(own->message, sizeof own->message, "%s", status.message().c_str());
  own->sequence.store(sequence, std::memory_order_release);
}

bool ShmCallGate::peerFailed(uint64_t sequence, Status* status) const {
  for (int s = 0; s < size_; ++s) {
    if (s == me_) continue;
    const Notice* theirs = notice(s, sequence);
    if (theirs->sequence.load(std::memory_order_acquire) != sequence) continue;
    char message[sizeof theirs->message];
    memcpy(message, theirs->message, sizeof message);
    message[sizeof message - 1] = '\0';
    const hoopResult_t code = theirs->code == hoopInvalidUsage ? hoopInvalidUsage : hoopRemoteError;
    *status = Status(code, format("rank %d failed: %s", theirs->rank, message));
    return true;
  }
  return false;
}

}  // namespace hoop
