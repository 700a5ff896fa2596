#pragma once

#include <nccl.h>
#include <stddef.h>

#include "transport/executor.h"

namespace hoop {

// Executes schedules between the GPUs of an NCCL communicator (one rank per process) with
// grouped ncclSend/ncclRecv and hoop's reduce kernels, stream-ordered on the caller's
// stream; runNative hands a whole all-reduce to ncclAllReduce (HOOP_ALGO=nccl).
class NcclExecutor : public Executor {
 public:
  // Takes ownership of `comm`, whose rank runs on `device`.
  NcclExecutor(ncclComm_t comm, int device, int maxBlocks);
  ~NcclExecutor() override;
  NcclExecutor(const NcclExecutor&) = delete;
  NcclExecutor& operator=(const NcclExecutor&) = delete;

  Status run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec, const CallContext& call) override;
  Status runNative(const NativeAllReduce& call) override;

 private:
  Status reserveStaging(const Schedule& schedule, size_t elemSize);
  Status runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec);
  Status ncclFailure(const char* call, ncclResult_t result) const;

  ncclComm_t comm_;
  int device_;
  int maxBlocks_;
  void* staging_ = nullptr;  // device memory for the received halves of a round's RecvReduce steps
  size_t stagingBytes_ = 0;
};

// hoopResult_t for an NCCL result.
hoopResult_t resultFromNccl(ncclResult_t result);

}  // namespace hoop
