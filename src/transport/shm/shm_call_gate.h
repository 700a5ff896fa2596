#pragma once

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "transport/call_context.h"
#include "transport/shm/shm_wait.h"
#include "transport/shm/shm_window.h"

namespace hoop {

// Where every shared-memory collective of a node begins: the ranks publish the call's
// signature (and, for the latency paths, their data), wait for each other and compare; and
// where a rank whose call fails leaves a notice that ends its peers' waits. See
// shm_call_gate.cc.
class ShmCallGate : public PeerFailures {
 public:
  // Collective over nodeComm; `commRank` is this rank in the communicator (for messages),
  // `payloadBytes` the most data enter() carries.
  Status init(MPI_Comm nodeComm, int commRank, size_t payloadBytes);

  // Publishes the call's signature and `bytes` of `payload`, waits until every rank of the
  // node has entered the same call, and compares signatures (unless call.checkSignature is
  // off). Fails with hoopInvalidUsage, naming the differing arguments, on every rank alike.
  Status enter(const CallContext& call, const void* payload, size_t bytes, Waiter& waiter);

  // The data `rank` (of the node) published for the call entered last.
  const char* payload(int rank) const;
  size_t payloadCapacity() const { return payloadBytes_; }

  // The waits of a call: its deadline and abort flag, this gate's notices, and its name.
  WaitLimits limits(const CallContext& call, bool oversubscribed) const;

  // Records that `call` failed here with `status`: posts a notice for the peers (unless the
  // failure came from one), and, when the call had passed the gate, refuses later calls,
  // since the ranks may have stopped at different points of the transfer.
  void fail(const CallContext& call, const Status& status);

  bool peerFailed(uint64_t sequence, Status* status) const override;

 private:
  struct alignas(64) Notice {
    std::atomic<uint64_t> sequence;  // the failed call; 0: none
    int32_t code;
    int32_t rank;
    char message[240];
  };
  static_assert(sizeof(Notice) == 256, "notices take whole cache lines");

  Notice* notice(int rank, uint64_t sequence) const;
  char* slot(int rank, uint64_t sequence) const;
  std::atomic<uint64_t>& flag(int rank, uint64_t sequence) const;  // the slot's sequence
  bool entered(int rank, uint64_t sequence) const;                 // rank has entered call `sequence`
  std::string missingRanks(uint64_t sequence) const;

  ShmWindow window_;
  std::vector<int> commRanks_;  // of the node's ranks
  size_t payloadBytes_ = 0;
  size_t slotBytes_ = 0;
  int me_ = 0;
  int size_ = 1;
  uint64_t current_ = 0;  // the call entered last
  uint64_t passed_ = 0;   // the last call whose gate opened
  uint64_t brokenBy_ = 0;  // a call that failed past the gate; 0: none
};

}  // namespace hoop
