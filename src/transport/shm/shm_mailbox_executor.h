#pragma once

#include <mpi.h>

#include <vector>

#include "transport/executor.h"
#include "transport/shm/shm_call_gate.h"
#include "transport/shm/shm_wait.h"
#include "transport/shm/shm_window.h"

namespace hoop {

// Executes any schedule between the ranks of one node through shared-memory mailboxes.
// Schedule peers are ranks of `nodeComm` (which must keep the communicator's rank order).
class ShmMailboxExecutor : public Executor {
 public:
  // oversubscribed: the node has more ranks than cores, so waits yield at once.
  ShmMailboxExecutor(size_t slotBytes, int depth, bool oversubscribed);

  // Collective over nodeComm. Every call starts at `gate`, which must outlive the executor's
  // calls.
  Status init(MPI_Comm nodeComm, ShmCallGate* gate);

  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
             const CallContext& call) override;

 private:
  struct Active {
    const Step* step;
    size_t done;   // bytes moved so far
    size_t total;  // bytes of the message
  };

  size_t layoutBytes() const;
  Status runRounds(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec, Waiter& waiter);
  SharedCounter* sentCounters(int owner) const;   // owner's per-peer counts of segments sent
  SharedCounter* ackedCounters(int owner) const;  // owner's per-peer counts of segments consumed
  char* slot(int sender, int receiver, uint64_t sequence) const;
  bool progressSend(Active& active, const Buffers& buffers, const ReduceSpec& spec);
  bool progressReceive(Active& active, const Buffers& buffers, const ReduceSpec& spec);

  size_t slotBytes_;
  size_t piece_ = 0;  // slotBytes_ rounded down to whole elements of the current call
  int depth_;
  bool oversubscribed_;
  ShmWindow window_;
  ShmCallGate* gate_ = nullptr;
  int me_ = 0;
  int size_ = 1;
  std::vector<uint64_t> sent_;   // segments sent to each peer, the local copy of my counters
  std::vector<uint64_t> acked_;  // segments consumed from each peer
  std::vector<Active> active_;
};

}  // namespace hoop
