#pragma once

#include <mpi.h>

#include <memory>
#include <vector>

#include "base/aligned_buffer.h"
#include "transport/executor.h"
#include "transport/mpi/mpi_error_channel.h"

namespace hoop {

// Executes schedules between MPI processes with nonblocking point-to-point messages.
class MpiExecutor : public Executor {
 public:
  // `comm` must be hoop's private duplicate; the executor frees it.
  MpiExecutor(MPI_Comm comm, size_t segmentBytes, int pipelineDepth);
  ~MpiExecutor() override;
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;

  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
             const CallContext& call) override;

 private:
  // One communication step of the current round.
  struct Transfer {
    const Step* step;
    size_t segments;   // data segments of the step
    bool hello;        // the step's first message carries the call's signature
    bool inlineFirst;  // segment 0 travels inside the hello message
    bool helloUnchecked;  // receiving: the peer's hello has not been compared yet
    bool wrongLength;     // receiving: a segment arrived with a length the call cannot have
    size_t posted;     // receiving: segments whose receive is posted (an inline one counts)
    size_t pending;    // receives not yet completed (for the timeout report)
    char* helloBuffer;
    char* staging;     // RecvReduce: pipelineDepth_ slots of one segment
  };
  enum class RequestRole : uint8_t { Send, Receive, Hello, Staged };
  struct RequestOwner {
    uint32_t transfer;
    RequestRole role;
    uint32_t segment;
    uint32_t slot;  // Staged: the staging slot it fills
  };

  Status runRound(size_t round, size_t rounds, const Step* begin, const Step* end, const Buffers& buffers,
                  const ReduceSpec& spec, const CallContext& call);
  Status prepareTransfers(const Step* begin, const Step* end, const ReduceSpec& spec, const CallContext& call);
  Status postTransfer(Transfer& transfer, uint32_t index, const Buffers& buffers, const ReduceSpec& spec,
                      const CallContext& call);
  Status postData(Transfer& transfer, uint32_t index, const Buffers& buffers, const ReduceSpec& spec);
  Status postStaged(Transfer& transfer, uint32_t index, uint32_t slot);
  // Adds a request slot for `owner` to the round; the pointer is valid until the next call.
  MPI_Request* track(RequestOwner owner);
  Status posted(int rc, const char* what);
  Status complete(const RequestOwner& owner, const MPI_Status& status, const Buffers& buffers,
                  const ReduceSpec& spec, const CallContext& call);
  Status waitForRound(size_t round, size_t rounds, const Buffers& buffers, const ReduceSpec& spec,
                      const CallContext& call);
  Status whileIdle(unsigned idle, size_t round, size_t rounds, const CallContext& call);
  bool isSmallExchange(const Step* begin, const Step* end, const ReduceSpec& spec, const CallContext& call,
                       const Step** send, const Step** receive) const;
  Status runSmallExchange(size_t round, size_t rounds, const Step& send, const Step& receive, const Buffers& buffers,
                          const ReduceSpec& spec, const CallContext& call);
  Status interruption(const CallContext& call);
  Status probeEarlyHellos(const CallContext& call);
  Status verifyHello(const CallContext& call, int peer, const char* hello, int received) const;
  Status acceptHello(Transfer& transfer, int received, const Buffers& buffers, const ReduceSpec& spec,
                     const CallContext& call);
  Status timeoutStatus(size_t round, size_t rounds, const CallContext& call) const;
  void cancelOutstanding();
  Status mpiFailure(const char* call, int code) const;
  size_t segmentLength(const Transfer& transfer, size_t segment, size_t elemSize) const;

  MPI_Comm comm_;
  int rank_ = 0;
  size_t segmentBytes_;
  int pipelineDepth_;
  size_t segment_ = 0;  // segmentBytes_ rounded down to whole elements of the current call
  int tag_ = 1;         // data tag of the current call, from its sequence number
  MpiErrorChannel errors_;
  AlignedBuffer staging_;
  std::unique_ptr<AlignedBuffer> hellos_;
  // Hello buffers of failed calls whose sends may still be read by a peer: never reused.
  std::vector<std::unique_ptr<AlignedBuffer>> retiredHellos_;
  std::vector<Transfer> transfers_;
  std::vector<MPI_Request> requests_;
  std::vector<RequestOwner> owners_;
  std::vector<int> completedIndices_;
  std::vector<MPI_Status> completedStatuses_;
  size_t outstanding_ = 0;
  std::vector<uint64_t> helloSent_;      // per peer: 1 + sequence of the last call that sent it a hello
  std::vector<uint64_t> helloReceived_;  // per peer: the same for hellos received
  // A peer's hello that arrived before this rank's schedule asked for it: taken early (to
  // compare signatures when ranks may run different schedules) and used when asked for.
  AlignedBuffer earlyHellos_;            // one hello slot per peer
  std::vector<uint64_t> earlyStamp_;     // per peer: 1 + sequence of the call it belongs to
  std::vector<int> earlyLength_;
  Status heldMismatch_;  // a wrong-length segment's error, reported if the hello cannot explain it
  double deadline_ = 0;                  // MPI_Wtime() past which the call times out; 0: not yet set
  bool failedRemotely_ = false;          // the current failure came from another rank's notice
};

}  // namespace hoop
