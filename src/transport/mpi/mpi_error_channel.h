// Failure notices between the ranks of a communicator, on a tag of their own.
//
// When a collective fails on one rank (arguments that differ between ranks, a timeout, an
// MPI error, hoopCommAbort), that rank tells every other rank, so that they stop waiting
// for it and return an error that names the first failure instead of hanging until their
// own timeouts. A notice names the collective's sequence number: one for an older call is
// dropped, one for a later call is kept until that call runs.
#pragma once

#include <mpi.h>
#include <stdint.h>

#include <memory>
#include <vector>

#include "base/status.h"

namespace hoop {

class MpiErrorChannel {
 public:
  explicit MpiErrorChannel(MPI_Comm comm);
  ~MpiErrorChannel();
  MpiErrorChannel(const MpiErrorChannel&) = delete;
  MpiErrorChannel& operator=(const MpiErrorChannel&) = delete;

  // Cancels the pending receive and lets go of pending sends; before the communicator is
  // freed. Idempotent; the destructor calls it too.
  void close();

  // Sends `status` as the failure of call `sequence` to every other rank.
  void broadcast(uint64_t sequence, const Status& status);

  // True, with the remote failure in *status, when a notice for call `sequence` arrived.
  bool poll(uint64_t sequence, Status* status);

 private:
  struct Notice {
    uint64_t sequence;
    int32_t code;
    int32_t rank;
    char message[496];
  };

  void postReceive();

  MPI_Comm comm_;
  int rank_ = 0;
  int nranks_ = 1;
  MPI_Request incomingRequest_ = MPI_REQUEST_NULL;
  Notice incoming_{};
  std::vector<Notice> kept_;  // notices for calls not yet reached
  std::vector<std::unique_ptr<Notice>> outgoing_;
  std::vector<MPI_Request> outgoingRequests_;
};

}  // namespace hoop
