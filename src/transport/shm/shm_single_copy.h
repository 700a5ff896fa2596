#pragma once

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <vector>

#include "algorithms/partition.h"
#include "base/aligned_buffer.h"
#include "transport/executor.h"
#include "transport/shm/shm_call_gate.h"
#include "transport/shm/shm_wait.h"
#include "transport/shm/shm_window.h"

namespace hoop {

// The buffers a rank offers its peers for one single-copy all-reduce, carried in its gate
// slot.
struct ShmBufferAddresses {
  const void* send;
  void* recv;
};

// The single-copy all-reduce of a node: every rank reads its part of its peers' inputs and
// writes the result into their outputs with the kernel's cross-process copies (Linux
// cross-memory attach). See shm_single_copy.cc.
class ShmSingleCopy {
 public:
  // Collective over nodeComm: learns the peers' process ids and checks on every rank that
  // this process may read its peers' memory. *usable says whether every rank can.
  Status init(MPI_Comm nodeComm, size_t chunkBytes, bool* usable);

  // recv = op over the node's send, finalised, on every rank. The call has passed `gate`
  // with each rank's ShmBufferAddresses as its payload.
  Status allReduce(const void* send, void* recv, size_t count, const ReduceSpec& spec, const ShmCallGate& gate,
                   uint64_t sequence, Waiter& waiter);

 private:
  Range part(size_t count, int j, size_t elemSize) const;

  ShmWindow window_;  // one counter per rank: the last call whose results it has delivered
  std::vector<pid_t> pids_;
  std::vector<ShmBufferAddresses> peers_;  // the current call's
  AlignedBuffer staging_;  // a chunk per rank: each peer's input; the own one for in-place results
  size_t chunkBytes_ = 0;
  int me_ = 0;
  int size_ = 1;
};

}  // namespace hoop
