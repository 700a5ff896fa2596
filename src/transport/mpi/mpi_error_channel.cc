#include "transport/mpi/mpi_error_channel.h"

#include <stdio.h>

#include <algorithm>

namespace hoop {

namespace {

constexpr int kErrorTag = 32000;

}  // namespace

MpiErrorChannel::MpiErrorChannel(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &nranks_);
  postReceive();
}

MpiErrorChannel::~MpiErrorChannel() { close(); }

void MpiErrorChannel::close() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (incomingRequest_ != MPI_REQUEST_NULL) {
    MPI_Cancel(&incomingRequest_);
    MPI_Wait(&incomingRequest_, MPI_STATUS_IGNORE);
  }
  // Notices are small enough to leave eagerly; a send still pending is let go.
  for (MPI_Request& request : outgoingRequests_) {
    if (request != MPI_REQUEST_NULL) MPI_Request_free(&request);
  }
  outgoingRequests_.clear();
}

void MpiErrorChannel::postReceive() {
  MPI_Irecv(&incoming_, sizeof incoming_, MPI_BYTE, MPI_ANY_SOURCE, kErrorTag, comm_, &incomingRequest_);
}

void MpiErrorChannel::broadcast(uint64_t sequence, const Status& status) {
  auto notice = std::make_unique<Notice>();
  notice->sequence = sequence;
  notice->code = static_cast<int32_t>(status.code());
  notice->rank = rank_;
  snprintf(notice->message, sizeof notice->message, "%s", status.message().c_str());
  for (int peer = 0; peer < nranks_; ++peer) {
    if (peer == rank_) continue;
    MPI_Request request = MPI_REQUEST_NULL;
    if (MPI_Isend(notice.get(), sizeof(Notice), MPI_BYTE, peer, kErrorTag, comm_, &request) == MPI_SUCCESS) {
      outgoingRequests_.push_back(request);
    }
  }
  outgoing_.push_back(std::move(notice));
}

bool MpiErrorChannel::poll(uint64_t sequence, Status* status) {
  int arrived = 1;
  while (incomingRequest_ != MPI_REQUEST_NULL && arrived) {
    arrived = 0;
    if (MPI_Test(&incomingRequest_, &arrived, MPI_STATUS_IGNORE) != MPI_SUCCESS) break;
    if (!arrived) break;
    if (incoming_.sequence >= sequence) kept_.push_back(incoming_);
    postReceive();
  }
  kept_.erase(std::remove_if(kept_.begin(), kept_.end(), [&](const Notice& n) { return n.sequence < sequence; }),
              kept_.end());
  for (size_t i = 0; i < kept_.size(); ++i) {
    if (kept_[i].sequence != sequence) continue;
    const hoopResult_t code = kept_[i].code == hoopInvalidUsage ? hoopInvalidUsage : hoopRemoteError;
    *status = Status(code, format("rank %d failed: %s", kept_[i].rank, kept_[i].message));
    kept_.erase(kept_.begin() + static_cast<long>(i));
    return true;
  }
  return false;
}

}  // namespace hoop
