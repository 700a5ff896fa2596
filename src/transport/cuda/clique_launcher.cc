// Clique launcher: runs the schedules of all ranks of a single-process clique by walking
// them the way the in-process executor does, but instead of moving bytes it enqueues the
// work on each rank's stream, so the host never waits for the GPU.
//
// Pull model. A rank entering a round enqueues its local steps (Copy, Finalize), records a
// `ready` event and posts its Send steps: pointer, size and event, in the FIFO of its
// (sender, receiver) pair. A Recv or RecvReduce takes the head of its FIFO and enqueues, on
// the receiver's stream, a wait for the sender's `ready` event and then the transfer: a copy
// for Recv (cudaMemcpyPeerAsync between devices), a reduce kernel for RecvReduce that reads
// the sender's span directly (same device, or peer access enabled) or from a staging copy.
// It then records a `consumed` event. A rank leaves a round when all its receives are taken
// and all its sends consumed; entering the next round (or finishing) its stream waits for
// every `consumed` event of its sends, so nothing it sent is overwritten while a peer still
// reads it, and the caller's stream is not released before peers are done with its buffers.
// Every wait refers to an event that is already recorded in host order, so the streams
// cannot deadlock on the GPU, even when several ranks share one stream.
#include "transport/cuda/clique_launcher.h"

#include "reduce_kernels.h"
#include "transport/cuda/cuda_status.h"
#include "transport/cuda/device_guard.h"
#include "transport/cuda/device_staging.h"

namespace hoop {

namespace {

cudaStream_t streamOf(const CliqueCall& call) { return static_cast<cudaStream_t>(call.buffers.stream); }

}  // namespace

CliqueLauncher::~CliqueLauncher() {
  DeviceGuard guard;
  for (RankResources& rank : ranks_) {
    if (cudaSetDevice(rank.device) != cudaSuccess) continue;
    for (cudaEvent_t event : rank.events) cudaEventDestroy(event);
    cudaFree(rank.staging);
  }
}

Status CliqueLauncher::init(const std::vector<int>& devices) {
  DeviceGuard guard;
  nranks_ = static_cast<int>(devices.size());
  ranks_.resize(devices.size());
  states_.resize(devices.size());
  fifos_.resize(devices.size() * devices.size());
  fifoHeads_.assign(fifos_.size(), 0);
  peerReadable_.assign(fifos_.size(), 0);
  for (int r = 0; r < nranks_; ++r) {
    ranks_[r].device = devices[r];
    ranks_[r].maxBlocks = cuda::deviceMaxBlocks(devices[r]);
    if (ranks_[r].maxBlocks <= 0) return Status(hoopUnhandledCudaError, format("cannot query CUDA device %d", devices[r]));
  }
  for (int reader = 0; reader < nranks_; ++reader) {
    for (int owner = 0; owner < nranks_; ++owner) {
      const int from = devices[reader];
      const int to = devices[owner];
      int canAccess = from == to ? 1 : 0;
      if (from != to) {
        HOOP_CUDA_RETURN_IF_ERROR(cudaDeviceCanAccessPeer(&canAccess, from, to));
        if (canAccess) {
          HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(from));
          const cudaError_t error = cudaDeviceEnablePeerAccess(to, 0);
          if (error == cudaErrorPeerAccessAlreadyEnabled) {
            cudaGetLastError();  // clears the sticky report of the harmless error
          } else if (error != cudaSuccess) {
            return cudaFailure("cudaDeviceEnablePeerAccess", error);
          }
        }
      }
      peerReadable_[static_cast<size_t>(reader * nranks_ + owner)] = static_cast<char>(canAccess);
    }
  }
  return Status::ok();
}

bool CliqueLauncher::directlyReadable(int reader, int owner) const {
  return peerReadable_[static_cast<size_t>(reader * nranks_ + owner)] != 0;
}

Status CliqueLauncher::reserveStaging(const std::vector<const CliqueCall*>& calls) {
  for (int r = 0; r < nranks_; ++r) {
    const CliqueCall& call = *calls[r];
    size_t needed = 0;
    for (size_t round = 0; round < call.schedule.roundCount(); ++round) {
      for (const Step* step = call.schedule.roundBegin(round); step != call.schedule.roundEnd(round); ++step) {
        if (step->kind != StepKind::RecvReduce || step->peer < 0 || step->peer >= nranks_) continue;
        if (directlyReadable(r, step->peer)) continue;
        const size_t bytes = step->dst.count * call.spec.elemSize;
        if (bytes > needed) needed = bytes;
      }
    }
    RankResources& rank = ranks_[r];
    if (needed <= rank.stagingBytes) continue;
    HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(rank.device));
    HOOP_RETURN_IF_ERROR(growDeviceStaging(&rank.staging, &rank.stagingBytes, needed));
  }
  return Status::ok();
}

// The rank's device must be current.
Status CliqueLauncher::nextEvent(int rank, cudaEvent_t* event) {
  RankResources& resources = ranks_[rank];
  if (resources.eventsUsed == resources.events.size()) {
    cudaEvent_t fresh;
    HOOP_CUDA_RETURN_IF_ERROR(cudaEventCreateWithFlags(&fresh, cudaEventDisableTiming));
    resources.events.push_back(fresh);
  }
  *event = resources.events[resources.eventsUsed++];
  return Status::ok();
}

Status CliqueLauncher::enterRound(int rank, const CliqueCall& call) {
  RankState& state = states_[rank];
  const cudaStream_t stream = streamOf(call);
  HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(ranks_[rank].device));
  HOOP_RETURN_IF_ERROR(finishRound(rank, stream));
  const Step* begin = call.schedule.roundBegin(state.round);
  const Step* end = call.schedule.roundEnd(state.round);
  const size_t elemSize = call.spec.elemSize;
  for (const Step* step = begin; step != end; ++step) {
    char* dst = spanPointer(call.buffers, step->dst, elemSize);
    if (step->kind == StepKind::Copy) {
      const char* src = spanPointer(call.buffers, step->src, elemSize);
      if (src != dst) {
        HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, src, step->dst.count * elemSize, cudaMemcpyDeviceToDevice, stream));
      }
    } else if (step->kind == StepKind::Finalize && call.spec.op == hoopAvg) {
      const cuda::DeviceDivideFn divide = cuda::deviceDivideFunction(call.spec.datatype);
      if (divide == nullptr) return Status(hoopInternalError, "no device divide kernel for the datatype");
      HOOP_CUDA_RETURN_IF_ERROR(divide(dst, step->dst.count, call.spec.nranks, ranks_[rank].maxBlocks, stream));
    }
  }
  cudaEvent_t ready;
  HOOP_RETURN_IF_ERROR(nextEvent(rank, &ready));
  HOOP_CUDA_RETURN_IF_ERROR(cudaEventRecord(ready, stream));
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind != StepKind::Send) continue;
    if (step->peer < 0 || step->peer >= nranks_ || step->peer == rank) {
      return Status(hoopInternalError, format("rank %d sends to peer %d in round %zu", rank, step->peer, state.round));
    }
    fifos_[static_cast<size_t>(rank * nranks_ + step->peer)].push_back(
        Posted{spanPointer(call.buffers, step->src, elemSize), step->src.count * elemSize, ready});
    ++state.unconsumedSends;
  }
  state.received.assign(static_cast<size_t>(end - begin), false);
  state.posted = true;
  return Status::ok();
}

Status CliqueLauncher::receive(int rank, const CliqueCall& call, const Step& step, const Posted& message) {
  const cudaStream_t stream = streamOf(call);
  const RankResources& resources = ranks_[rank];
  const int peerDevice = ranks_[step.peer].device;
  char* dst = spanPointer(call.buffers, step.dst, call.spec.elemSize);
  HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(resources.device));
  HOOP_CUDA_RETURN_IF_ERROR(cudaStreamWaitEvent(stream, message.ready, 0));
  if (step.kind == StepKind::Recv) {
    if (peerDevice == resources.device) {
      HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, message.data, message.bytes, cudaMemcpyDeviceToDevice, stream));
    } else {
      HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyPeerAsync(dst, resources.device, message.data, peerDevice, message.bytes, stream));
    }
  } else {
    const cuda::DeviceReduceFn reduce = cuda::deviceReduceFunction(call.spec.datatype, call.spec.op);
    if (reduce == nullptr) return Status(hoopInternalError, "no device reduce kernel for the datatype and op");
    const void* received = message.data;
    if (!directlyReadable(rank, step.peer)) {
      HOOP_CUDA_RETURN_IF_ERROR(
          cudaMemcpyPeerAsync(resources.staging, resources.device, message.data, peerDevice, message.bytes, stream));
      received = resources.staging;
    }
    const char* local = spanPointer(call.buffers, step.src, call.spec.elemSize);
    HOOP_CUDA_RETURN_IF_ERROR(reduce(dst, nullptr, local, received, step.dst.count, resources.maxBlocks, stream));
  }
  cudaEvent_t consumed;
  HOOP_RETURN_IF_ERROR(nextEvent(rank, &consumed));
  HOOP_CUDA_RETURN_IF_ERROR(cudaEventRecord(consumed, stream));
  states_[step.peer].consumedBy.push_back(consumed);
  return Status::ok();
}

// The rank's stream waits until its peers have read what it sent in the round it leaves.
Status CliqueLauncher::finishRound(int rank, cudaStream_t stream) {
  RankState& state = states_[rank];
  HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(ranks_[rank].device));
  for (cudaEvent_t consumed : state.consumedBy) HOOP_CUDA_RETURN_IF_ERROR(cudaStreamWaitEvent(stream, consumed, 0));
  state.consumedBy.clear();
  return Status::ok();
}

Status CliqueLauncher::launch(const std::vector<const CliqueCall*>& calls) {
  DeviceGuard guard;
  HOOP_RETURN_IF_ERROR(reserveStaging(calls));
  int finished = 0;
  for (int r = 0; r < nranks_; ++r) {
    RankState& state = states_[r];
    state.round = 0;
    state.posted = false;
    state.unconsumedSends = 0;
    state.consumedBy.clear();
    state.finished = calls[r]->schedule.roundCount() == 0;
    if (state.finished) ++finished;
    ranks_[r].eventsUsed = 0;
  }
  for (size_t i = 0; i < fifos_.size(); ++i) {
    fifos_[i].clear();
    fifoHeads_[i] = 0;
  }

  while (finished < nranks_) {
    bool progress = false;
    for (int r = 0; r < nranks_; ++r) {
      RankState& state = states_[r];
      if (state.finished) continue;
      const CliqueCall& call = *calls[r];
      if (!state.posted) {
        HOOP_RETURN_IF_ERROR(enterRound(r, call));
        progress = true;
      }
      const Step* begin = call.schedule.roundBegin(state.round);
      const Step* end = call.schedule.roundEnd(state.round);
      bool allReceived = true;
      for (const Step* step = begin; step != end; ++step) {
        const size_t index = static_cast<size_t>(step - begin);
        if ((step->kind != StepKind::Recv && step->kind != StepKind::RecvReduce) || state.received[index]) continue;
        if (step->peer < 0 || step->peer >= nranks_ || step->peer == r) {
          return Status(hoopInternalError, format("rank %d receives from peer %d in round %zu", r, step->peer, state.round));
        }
        const size_t pair = static_cast<size_t>(step->peer * nranks_ + r);
        if (fifoHeads_[pair] == fifos_[pair].size()) {
          allReceived = false;
          continue;
        }
        const Posted& message = fifos_[pair][fifoHeads_[pair]];
        const size_t bytes = step->dst.count * call.spec.elemSize;
        if (message.bytes != bytes) {
          return Status(hoopInvalidUsage, format("rank %d expects %zu bytes from rank %d, which sends %zu: did the ranks "
                                                 "call with different counts or datatypes?", r, bytes, step->peer,
                                                 message.bytes));
        }
        HOOP_RETURN_IF_ERROR(receive(r, call, *step, message));
        ++fifoHeads_[pair];
        --states_[step->peer].unconsumedSends;
        state.received[index] = true;
        progress = true;
      }
      if (allReceived && state.unconsumedSends == 0) {
        state.posted = false;
        if (++state.round == call.schedule.roundCount()) {
          HOOP_RETURN_IF_ERROR(finishRound(r, streamOf(call)));
          state.finished = true;
          ++finished;
        }
        progress = true;
      }
    }
    if (!progress) {
      std::string where;
      for (int r = 0; r < nranks_; ++r) {
        if (!states_[r].finished) where += format(" rank %d in round %zu;", r, states_[r].round);
      }
      return Status(hoopInvalidUsage, "the ranks' calls do not match (different counts?); stuck at" + where);
    }
  }
  for (size_t i = 0; i < fifos_.size(); ++i) {
    if (fifoHeads_[i] != fifos_[i].size()) {
      return Status(hoopInvalidUsage, format("rank %zu sent %zu message(s) that rank %zu never received: did the ranks "
                                             "call with different counts?", i / static_cast<size_t>(nranks_),
                                             fifos_[i].size() - fifoHeads_[i], i % static_cast<size_t>(nranks_)));
    }
  }
  return Status::ok();
}

}  // namespace hoop
