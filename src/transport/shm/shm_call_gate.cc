// The call gate of the shared-memory transport.
//
// Each rank's segment holds two notices and two slots. A slot begins with a flag, the
// sequence number of the call that wrote it, then the signature, then the payload, so that
// a small call's flag, signature and data share one cache line and reach a peer in one
// transfer. To enter call s (the communicator's sequence number), a rank writes the call's
// signature and payload into slot s mod 2 and stores s in its flag (release); it then waits
// until every peer has entered s (acquire: its slot s mod 2 carries s, or its other slot a
// later call) and compares every peer's signature with its own. All
// ranks see the same signatures, so a disagreement fails the call on every rank before any
// data moves, and the communicator stays usable. The signature carries the path's
// algorithm, so ranks that would take different paths (different counts, HOOP_ALGO) meet
// here and fail together instead of waiting in different places.
//
// Two slots suffice: a rank writes slot s mod 2 again only for call s + 2, after its gate
// for call s + 1 saw every peer enter s + 1, which each did only after finishing call s. A
// peer that skipped a sequence number (a call it refused before the gate) is found too: its
// slot then carries another sequence, and the signatures differ.
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

// A slot: the flag, the signature, the payload.
constexpr size_t kSignatureOffset = sizeof(std::atomic<uint64_t>);
constexpr size_t kPayloadOffset = kSignatureOffset + sizeof(Signature);
static_assert(kPayloadOffset % 8 == 0, "payload elements are aligned");
constexpr size_t kNotices = 2;

}  // namespace

Status ShmCallGate::init(MPI_Comm nodeComm, int commRank, size_t payloadBytes) {
  MPI_Comm_rank(nodeComm, &me_);
  MPI_Comm_size(nodeComm, &size_);
  commRanks_.assign(static_cast<size_t>(size_), 0);
  const int rc = MPI_Allgather(&commRank, 1, MPI_INT, commRanks_.data(), 1, MPI_INT, nodeComm);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Allgather on the node failed with code %d", rc));
  payloadBytes_ = roundUpToCacheLine(payloadBytes);
  slotBytes_ = roundUpToCacheLine(kPayloadOffset + payloadBytes_);
  return window_.create(nodeComm, kNotices * sizeof(Notice) + 2 * slotBytes_);
}

ShmCallGate::Notice* ShmCallGate::notice(int rank, uint64_t sequence) const {
  return reinterpret_cast<Notice*>(window_.segment(rank)) + sequence % kNotices;
}

char* ShmCallGate::slot(int rank, uint64_t sequence) const {
  return window_.segment(rank) + kNotices * sizeof(Notice) + (sequence % 2) * slotBytes_;
}

std::atomic<uint64_t>& ShmCallGate::flag(int rank, uint64_t sequence) const {
  return *reinterpret_cast<std::atomic<uint64_t>*>(slot(rank, sequence));
}

bool ShmCallGate::entered(int rank, uint64_t sequence) const {
  return flag(rank, sequence).load(std::memory_order_acquire) >= sequence ||
         flag(rank, sequence + 1).load(std::memory_order_acquire) > sequence;
}

const char* ShmCallGate::payload(int rank) const { return slot(rank, current_) + kPayloadOffset; }

WaitLimits ShmCallGate::limits(const CallContext& call, bool oversubscribed) const {
  return WaitLimits{call.timeoutSeconds, call.aborted, oversubscribed, this, &call.signature,
                    commRanks_[static_cast<size_t>(me_)]};
}

std::string ShmCallGate::missingRanks(uint64_t sequence) const {
  std::string ranks;
  for (int s = 0; s < size_; ++s) {
    if (s != me_ && !entered(s, sequence)) {
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
  memcpy(own + kSignatureOffset, &mine, sizeof mine);
  if (bytes > 0) memcpy(own + kPayloadOffset, payload, bytes);
  flag(me_, mine.sequence).store(mine.sequence, std::memory_order_release);
  for (int s = 0; s < size_; ++s) {
    if (s == me_) continue;
    while (!entered(s, mine.sequence)) {
      const Status status = waiter.pause("the node's ranks to start the call");
      if (status.code() == hoopTimeout) {
        return Status(hoopTimeout, format("%s: nothing yet from rank(s)%s (stopped, or in another collective)",
                                          status.message().c_str(), missingRanks(mine.sequence).c_str()));
      }
      HOOP_RETURN_IF_ERROR(status);
    }
    waiter.progressed();
  }
  if (call.checkSignature) {
    for (int s = 0; s < size_; ++s) {
      if (s == me_) continue;
      Signature theirs;
      memcpy(&theirs, slot(s, mine.sequence) + kSignatureOffset, sizeof theirs);
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
