// NCCL executor: a schedule's rounds become NCCL groups.
//
// For each round the local steps (Copy, Finalize) are enqueued first, then the round's Sends
// and Recvs go into one ncclGroupStart/ncclGroupEnd, so NCCL progresses them together (a
// ring round's send and receive would deadlock if issued one after the other). A RecvReduce
// receives into a staging area of the round, and after the group the reduce kernels combine
// staging and local span into the destination, on the same stream. Staging is sized once per
// schedule shape and kept; rounds reuse it, ordered by the stream. Messages travel as bytes,
// whatever the datatype, since hoop's kernels do the arithmetic.
#include "transport/nccl/nccl_executor.h"

#include "reduce_kernels.h"
#include "transport/cuda/cuda_status.h"
#include "transport/cuda/device_guard.h"
#include "transport/cuda/device_staging.h"

namespace hoop {

namespace {

constexpr size_t kStagingAlign = 256;

size_t alignUp(size_t value) { return (value + kStagingAlign - 1) / kStagingAlign * kStagingAlign; }

ncclDataType_t ncclType(hoopDataType_t datatype) {
  switch (datatype) {
    case hoopInt8: return ncclInt8;
    case hoopUint8: return ncclUint8;
    case hoopInt32: return ncclInt32;
    case hoopUint32: return ncclUint32;
    case hoopInt64: return ncclInt64;
    case hoopUint64: return ncclUint64;
    case hoopFloat16: return ncclFloat16;
    case hoopFloat32: return ncclFloat32;
    case hoopFloat64: return ncclFloat64;
    default: return ncclBfloat16;
  }
}

ncclRedOp_t ncclOp(hoopRedOp_t op) {
  switch (op) {
    case hoopSum: return ncclSum;
    case hoopProd: return ncclProd;
    case hoopMax: return ncclMax;
    case hoopMin: return ncclMin;
    default: return ncclAvg;
  }
}

}  // namespace

hoopResult_t resultFromNccl(ncclResult_t result) {
  switch (result) {
    case ncclSuccess: return hoopSuccess;
    case ncclUnhandledCudaError: return hoopUnhandledCudaError;
    case ncclSystemError: return hoopSystemError;
    case ncclInvalidArgument: return hoopInvalidArgument;
    case ncclInvalidUsage: return hoopInvalidUsage;
    case ncclRemoteError: return hoopRemoteError;
    case ncclInProgress: return hoopInProgress;
    default: return hoopInternalError;
  }
}

NcclExecutor::NcclExecutor(ncclComm_t comm, int device, int maxBlocks)
    : comm_(comm), device_(device), maxBlocks_(maxBlocks) {}

NcclExecutor::~NcclExecutor() {
  DeviceGuard guard;
  if (cudaSetDevice(device_) == cudaSuccess) cudaFree(staging_);
  ncclCommDestroy(comm_);
}

Status NcclExecutor::ncclFailure(const char* call, ncclResult_t result) const {
  return Status(resultFromNccl(result), format("%s failed: %s (%s)", call, ncclGetErrorString(result), ncclGetLastError(comm_)));
}

#define HOOP_NCCL_RETURN_IF_ERROR(call)                                       \
  do {                                                                        \
    const ncclResult_t ncclResult_ = (call);                                  \
    if (ncclResult_ != ncclSuccess) return ncclFailure(#call, ncclResult_);   \
  } while (0)

Status NcclExecutor::reserveStaging(const Schedule& schedule, size_t elemSize) {
  size_t needed = 0;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    size_t bytes = 0;
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (step->kind == StepKind::RecvReduce) bytes += alignUp(step->dst.count * elemSize);
    }
    if (bytes > needed) needed = bytes;
  }
  return growDeviceStaging(&staging_, &stagingBytes_, needed);
}

Status NcclExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec, const CallContext&) {
  DeviceGuard guard;
  HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(device_));
  HOOP_RETURN_IF_ERROR(reserveStaging(schedule, spec.elemSize));
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    HOOP_RETURN_IF_ERROR(runRound(schedule.roundBegin(round), schedule.roundEnd(round), buffers, spec));
  }
  return Status::ok();
}

Status NcclExecutor::runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec) {
  const cudaStream_t stream = static_cast<cudaStream_t>(buffers.stream);
  const size_t elemSize = spec.elemSize;
  for (const Step* step = begin; step != end; ++step) {
    char* dst = spanPointer(buffers, step->dst, elemSize);
    if (step->kind == StepKind::Copy) {
      const char* src = spanPointer(buffers, step->src, elemSize);
      if (src != dst) HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, src, step->dst.count * elemSize, cudaMemcpyDeviceToDevice, stream));
    } else if (step->kind == StepKind::Finalize && spec.op == hoopAvg) {
      HOOP_CUDA_RETURN_IF_ERROR(cuda::deviceDivideFunction(spec.datatype)(dst, step->dst.count, spec.nranks, maxBlocks_, stream));
    }
  }
  HOOP_NCCL_RETURN_IF_ERROR(ncclGroupStart());
  size_t staged = 0;
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind == StepKind::Send) {
      HOOP_NCCL_RETURN_IF_ERROR(ncclSend(spanPointer(buffers, step->src, elemSize), step->src.count * elemSize, ncclUint8,
                                         step->peer, comm_, stream));
    } else if (step->kind == StepKind::Recv) {
      HOOP_NCCL_RETURN_IF_ERROR(ncclRecv(spanPointer(buffers, step->dst, elemSize), step->dst.count * elemSize, ncclUint8,
                                         step->peer, comm_, stream));
    } else if (step->kind == StepKind::RecvReduce) {
      HOOP_NCCL_RETURN_IF_ERROR(ncclRecv(static_cast<char*>(staging_) + staged, step->dst.count * elemSize, ncclUint8, step->peer, comm_, stream));
      staged += alignUp(step->dst.count * elemSize);
    }
  }
  HOOP_NCCL_RETURN_IF_ERROR(ncclGroupEnd());
  const cuda::DeviceReduceFn reduce = cuda::deviceReduceFunction(spec.datatype, spec.op);
  staged = 0;
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind != StepKind::RecvReduce) continue;
    HOOP_CUDA_RETURN_IF_ERROR(reduce(spanPointer(buffers, step->dst, elemSize), nullptr,
                                     spanPointer(buffers, step->src, elemSize), static_cast<char*>(staging_) + staged, step->dst.count,
                                     maxBlocks_, stream));
    staged += alignUp(step->dst.count * elemSize);
  }
  return Status::ok();
}

Status NcclExecutor::runNative(const NativeAllReduce& call) {
  DeviceGuard guard;
  HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(device_));
  HOOP_NCCL_RETURN_IF_ERROR(ncclAllReduce(call.sendbuff, call.recvbuff, call.count, ncclType(call.datatype),
                                          ncclOp(call.op), comm_, static_cast<cudaStream_t>(call.stream)));
  return Status::ok();
}

}  // namespace hoop
