#pragma once

#include <cuda_runtime.h>
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <vector>

#include "reduce_kernels.h"
#include "transport/call_context.h"
#include "transport/cuda/ipc_memory.h"
#include "transport/executor.h"
#include "transport/mpi/mpi_error_channel.h"

namespace hoop {

// Executes schedules between device ranks in different processes of one node: peers read
// each other's buffers through CUDA IPC, MPI carries only small control messages, and all
// data movement is enqueued on the caller's stream (see ipc_executor.cc).
class CudaIpcExecutor : public Executor {
 public:
  // Collective over `comm`, which must be hoop's private duplicate (the executor frees it,
  // also on failure). This process's rank runs on `device`; every rank of `comm` must be on
  // this node. A failure on any rank fails every rank.
  static Status create(MPI_Comm comm, int device, std::unique_ptr<CudaIpcExecutor>* executor);
  ~CudaIpcExecutor() override;
  CudaIpcExecutor(const CudaIpcExecutor&) = delete;
  CudaIpcExecutor& operator=(const CudaIpcExecutor&) = delete;

  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec, const CallContext& call) override;

 private:
  // Sender to receiver, one per Send step: where the data is, published after `ready`.
  struct Post {
    Signature signature;
    IpcAddress address;
    uint64_t bytes;
  };
  // Receiver to sender, one per Post: the receiver's stream has enqueued its read and
  // recorded its `consumed` event for the sender (code hoopSuccess), or refused the post.
  struct Ack {
    uint64_t sequence;
    int32_t code;
    int32_t reserved;
  };
  enum class Role : uint8_t { PostIn, AckIn, PostOut, AckOut };
  struct Pending {
    uint32_t index;  // the step's position in its round
    Role role;
  };

  explicit CudaIpcExecutor(MPI_Comm comm);
  Status exchangeHandles(int device);
  Status runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec,
                  const CallContext& call);
  Status runLocalSteps(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec);
  Status reserveStaging(const Schedule& schedule, size_t elemSize);
  Status receivePost(uint32_t index, const Buffers& buffers, const ReduceSpec& spec, const CallContext& call);
  Status acknowledged(uint32_t index, const CallContext& call, cudaStream_t stream);
  Status whileIdle(unsigned idle, const CallContext& call);
  Status posted(int rc, const char* what);
  MPI_Request* track(uint32_t index, Role role);
  void cancelOutstanding();

  MPI_Comm comm_;
  MpiErrorChannel errors_;
  int rank_ = 0;
  int nranks_ = 1;
  int device_ = 0;
  int maxBlocks_ = 1;
  cuda::DeviceReduceFn reduce_ = nullptr;  // the current call's kernels, looked up once per call
  cuda::DeviceDivideFn divide_ = nullptr;
  cudaEvent_t ready_ = nullptr;                // recorded once a round's sends are in place
  std::vector<cudaEvent_t> consumedFrom_;      // [peer]: recorded after reading peer's post
  std::vector<cudaEvent_t> peerReady_;         // [peer]: its ready_, opened here
  std::vector<cudaEvent_t> peerConsumed_;      // [peer]: its consumedFrom_[rank_], opened here
  std::vector<char> directlyReadable_;         // [peer]: its memory is readable by our kernels
  IpcMappings mappings_;
  void* staging_ = nullptr;  // received data that kernels cannot read in place
  size_t stagingBytes_ = 0;
  Status broken_;  // the failure that made this communicator unusable

  // The current round: its steps and messages, in vectors kept from call to call.
  const Step* roundBegin_ = nullptr;
  std::vector<Post> postsIn_;
  std::vector<Post> postsOut_;
  std::vector<Ack> acksIn_;
  std::vector<Ack> acksOut_;
  std::vector<MPI_Request> requests_;
  std::vector<Pending> pending_;
  std::vector<int> completedIndices_;
  int outstanding_ = 0;
  int postTag_ = 0;
  int ackTag_ = 0;
  double deadline_ = 0;
  bool failedRemotely_ = false;
};

}  // namespace hoop
