// CUDA IPC executor: one device rank per process, every rank on the same node.
//
// The data never leaves the GPUs and the host never waits for them: a receiver's kernels
// read the sender's buffer directly (or through a staging copy where the two devices cannot
// address each other), and MPI carries only two small messages per transfer. It is the
// single-process clique's pull model (clique_launcher.cc) spread over processes:
//  - entering a round, a rank enqueues its local steps, records its interprocess `ready`
//    event on the caller's stream and posts to each receiver where its data lies (the IPC
//    handle of the allocation, the offset, the length, the call's signature);
//  - a receiver checks the post against its own call, maps the allocation (once: mappings
//    are kept, ipc_memory.h), makes its stream wait for the sender's `ready`, enqueues the
//    copy or the reduce kernel, records its `consumed` event for that sender and answers
//    with an acknowledgement;
//  - on the acknowledgement the sender's stream waits for the receiver's `consumed`, so
//    nothing the sender wrote later (and nothing after the collective on its stream)
//    overwrites data a peer still reads. The round ends when all its messages are done.
// An event is recorded again only after every wait on its previous recording has been
// enqueued (a rank leaves a round only when its posts are acknowledged, and a receiver
// acknowledges after enqueuing its wait), so each wait refers to the intended recording,
// and every wait refers to one already made in host order: the streams cannot deadlock.
// Failures reach the other ranks through the MPI error channel; after one, the
// communicator refuses further calls, since the peers' streams may still read its buffers.
#include "transport/cuda/ipc_executor.h"

#include <sched.h>
#include <string.h>

#include <algorithm>
#include <string>

#include "reduce_kernels.h"
#include "transport/cuda/cuda_status.h"
#include "transport/cuda/device_guard.h"
#include "transport/cuda/device_staging.h"

namespace hoop {

namespace {

constexpr int kSequenceTags = 8192;  // two tags per call, below the error channel's
constexpr unsigned kPollsBetweenChecks = 64;
constexpr size_t kMappedAllocations = 64;  // per communicator, all peers together

bool isReceive(const Step& step) { return step.kind == StepKind::Recv || step.kind == StepKind::RecvReduce; }

cudaStream_t streamOf(const Buffers& buffers) { return static_cast<cudaStream_t>(buffers.stream); }

// What each rank publishes at creation: whether it is ready, its device and its `ready` event.
struct Published {
  int32_t ok;
  int32_t reserved;
  cudaUUID_t device;
  cudaIpcEventHandle_t ready;
};

Status mpiStatus(const char* call, int rc, int rank) {
  if (rc == MPI_SUCCESS) return Status::ok();
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(rc, text, &length);
  return Status(hoopSystemError, format("%s failed on rank %d: %.*s", call, rank, length, text));
}

}  // namespace

CudaIpcExecutor::CudaIpcExecutor(MPI_Comm comm) : comm_(comm), errors_(comm), mappings_(kMappedAllocations) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &nranks_);
}

CudaIpcExecutor::~CudaIpcExecutor() {
  errors_.close();
  {
    DeviceGuard guard;
    if (cudaSetDevice(device_) == cudaSuccess) {
      for (std::vector<cudaEvent_t>* events : {&peerReady_, &peerConsumed_, &consumedFrom_}) {
        for (cudaEvent_t event : *events) {
          if (event != nullptr) cudaEventDestroy(event);
        }
      }
      if (ready_ != nullptr) cudaEventDestroy(ready_);
      cudaFree(staging_);
    }
  }
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Comm_free(&comm_);
}

Status CudaIpcExecutor::create(MPI_Comm comm, int device, std::unique_ptr<CudaIpcExecutor>* executor) {
  std::unique_ptr<CudaIpcExecutor> fresh(new CudaIpcExecutor(comm));
  HOOP_RETURN_IF_ERROR(fresh->exchangeHandles(device));
  *executor = std::move(fresh);
  return Status::ok();
}

// Creates this rank's interprocess events, publishes them with its device's identity, and
// opens the peers' ones. Every step that can fail on one rank is followed by an exchange
// that tells the others, so all ranks fail together and none waits for a missing one.
Status CudaIpcExecutor::exchangeHandles(int device) {
  DeviceGuard guard;
  const size_t ranks = static_cast<size_t>(nranks_);
  device_ = device;
  consumedFrom_.assign(ranks, nullptr);
  peerReady_.assign(ranks, nullptr);
  peerConsumed_.assign(ranks, nullptr);
  directlyReadable_.assign(ranks, 0);
  Published mine{};
  std::vector<cudaIpcEventHandle_t> consumedHandles(ranks);
  auto setUp = [&]() -> Status {
    HOOP_CUDA_RETURN_IF_ERROR(cudaSetDevice(device));
    maxBlocks_ = cuda::deviceMaxBlocks(device);
    if (maxBlocks_ <= 0) return Status(hoopUnhandledCudaError, format("cannot query CUDA device %d", device));
    cudaDeviceProp properties;
    HOOP_CUDA_RETURN_IF_ERROR(cudaGetDeviceProperties(&properties, device));
    mine.device = properties.uuid;
    const unsigned flags = cudaEventDisableTiming | cudaEventInterprocess;
    HOOP_CUDA_RETURN_IF_ERROR(cudaEventCreateWithFlags(&ready_, flags));
    HOOP_CUDA_RETURN_IF_ERROR(cudaIpcGetEventHandle(&mine.ready, ready_));
    for (size_t peer = 0; peer < ranks; ++peer) {
      HOOP_CUDA_RETURN_IF_ERROR(cudaEventCreateWithFlags(&consumedFrom_[peer], flags));
      HOOP_CUDA_RETURN_IF_ERROR(cudaIpcGetEventHandle(&consumedHandles[peer], consumedFrom_[peer]));
    }
    return Status::ok();
  };
  const Status local = setUp();
  mine.ok = local.isOk() ? 1 : 0;
  std::vector<Published> all(ranks);
  std::vector<cudaIpcEventHandle_t> allConsumed(ranks * ranks);
  HOOP_RETURN_IF_ERROR(mpiStatus("MPI_Allgather", MPI_Allgather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine,
                                                                MPI_BYTE, comm_), rank_));
  const int handleBytes = static_cast<int>(ranks * sizeof(cudaIpcEventHandle_t));
  HOOP_RETURN_IF_ERROR(mpiStatus("MPI_Allgather", MPI_Allgather(consumedHandles.data(), handleBytes, MPI_BYTE,
                                                                allConsumed.data(), handleBytes, MPI_BYTE, comm_), rank_));
  HOOP_RETURN_IF_ERROR(local);
  for (size_t peer = 0; peer < ranks; ++peer) {
    if (!all[peer].ok) {
      return Status(hoopRemoteError, format("rank %zu could not set up its CUDA IPC resources (see its error)", peer));
    }
  }

  auto openPeers = [&]() -> Status {
    int visible = 0;
    HOOP_CUDA_RETURN_IF_ERROR(cudaGetDeviceCount(&visible));
    for (size_t peer = 0; peer < ranks; ++peer) {
      if (static_cast<int>(peer) == rank_) continue;
      HOOP_CUDA_RETURN_IF_ERROR(cudaIpcOpenEventHandle(&peerReady_[peer], all[peer].ready));
      HOOP_CUDA_RETURN_IF_ERROR(cudaIpcOpenEventHandle(&peerConsumed_[peer], allConsumed[peer * ranks + static_cast<size_t>(rank_)]));
      if (memcmp(&all[peer].device, &mine.device, sizeof mine.device) == 0) {
        directlyReadable_[peer] = 1;
        continue;
      }
      for (int other = 0; other < visible; ++other) {  // the peer's device, if this process sees it
        cudaDeviceProp properties;
        HOOP_CUDA_RETURN_IF_ERROR(cudaGetDeviceProperties(&properties, other));
        if (memcmp(&properties.uuid, &all[peer].device, sizeof properties.uuid) != 0) continue;
        int canAccess = 0;
        HOOP_CUDA_RETURN_IF_ERROR(cudaDeviceCanAccessPeer(&canAccess, device, other));
        if (canAccess) {
          const cudaError_t error = cudaDeviceEnablePeerAccess(other, 0);
          if (error == cudaErrorPeerAccessAlreadyEnabled) {
            cudaGetLastError();  // clears the sticky report of the harmless error
          } else if (error != cudaSuccess) {
            return cudaFailure("cudaDeviceEnablePeerAccess", error);
          }
        }
        directlyReadable_[peer] = static_cast<char>(canAccess);
      }
    }
    return Status::ok();
  };
  const Status opened = openPeers();
  int ok = opened.isOk() ? 1 : 0;
  HOOP_RETURN_IF_ERROR(mpiStatus("MPI_Allreduce", MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm_), rank_));
  HOOP_RETURN_IF_ERROR(opened);
  if (!ok) return Status(hoopRemoteError, "another rank could not open this rank's CUDA IPC events (see its error)");
  return Status::ok();
}

Status CudaIpcExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                            const CallContext& call) {
  if (!broken_.isOk()) {
    return Status(hoopInvalidUsage, "this device communicator is unusable since an earlier call failed (" +
                                        broken_.message() + "); destroy it and create a new one");
  }
  DeviceGuard guard;
  const int tag = static_cast<int>(call.signature.sequence % kSequenceTags);
  postTag_ = 1 + 2 * tag;
  ackTag_ = 2 + 2 * tag;
  deadline_ = 0;
  failedRemotely_ = false;
  reduce_ = cuda::deviceReduceFunction(spec.datatype, spec.op);
  divide_ = spec.op == hoopAvg ? cuda::deviceDivideFunction(spec.datatype) : nullptr;
  const cudaError_t selected = cudaSetDevice(device_);
  Status status = selected == cudaSuccess ? Status::ok() : cudaFailure("cudaSetDevice", selected);
  if (status.isOk()) status = reserveStaging(schedule, spec.elemSize);
  for (size_t round = 0; round < schedule.roundCount() && status.isOk(); ++round) {
    status = runRound(schedule.roundBegin(round), schedule.roundEnd(round), buffers, spec, call);
  }
  if (status.isOk()) return status;
  cancelOutstanding();
  if (!failedRemotely_) {
    const bool mismatch = status.code() == hoopInvalidUsage && !(call.aborted && call.aborted->load());
    errors_.broadcast(call.signature.sequence, Status(mismatch ? hoopInvalidUsage : hoopRemoteError, status.message()));
  }
  broken_ = status;
  return status;
}

Status CudaIpcExecutor::reserveStaging(const Schedule& schedule, size_t elemSize) {
  size_t needed = 0;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (step->kind != StepKind::RecvReduce || step->peer < 0 || step->peer >= nranks_) continue;
      if (directlyReadable_[static_cast<size_t>(step->peer)]) continue;
      needed = std::max(needed, step->dst.count * elemSize);
    }
  }
  return growDeviceStaging(&staging_, &stagingBytes_, needed);
}

Status CudaIpcExecutor::runLocalSteps(const Step* begin, const Step* end, const Buffers& buffers,
                                      const ReduceSpec& spec) {
  const cudaStream_t stream = streamOf(buffers);
  for (const Step* step = begin; step != end; ++step) {
    if (!isLocalStep(*step)) continue;
    char* dst = spanPointer(buffers, step->dst, spec.elemSize);
    if (step->kind == StepKind::Copy) {
      const char* src = spanPointer(buffers, step->src, spec.elemSize);
      if (src != dst) {
        HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, src, step->dst.count * spec.elemSize, cudaMemcpyDeviceToDevice, stream));
      }
    } else if (step->kind == StepKind::Reduce) {
      if (reduce_ == nullptr) return Status(hoopInternalError, "no device reduce kernel for the datatype and op");
      const char* src = spanPointer(buffers, step->src, spec.elemSize);
      const bool srcFirst = step->order == OperandOrder::SrcFirst;
      HOOP_CUDA_RETURN_IF_ERROR(reduce_(dst, nullptr, srcFirst ? src : dst, srcFirst ? dst : src, step->dst.count,
                                       maxBlocks_, stream));
    } else if (spec.op == hoopAvg) {
      if (divide_ == nullptr) return Status(hoopInternalError, "no device divide kernel for the datatype");
      HOOP_CUDA_RETURN_IF_ERROR(divide_(dst, step->dst.count, spec.nranks, maxBlocks_, stream));
    }
  }
  return Status::ok();
}

MPI_Request* CudaIpcExecutor::track(uint32_t index, Role role) {
  requests_.push_back(MPI_REQUEST_NULL);
  pending_.push_back(Pending{index, role});
  ++outstanding_;
  return &requests_.back();
}

Status CudaIpcExecutor::posted(int rc, const char* what) { return mpiStatus(what, rc, rank_); }

Status CudaIpcExecutor::runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec,
                                 const CallContext& call) {
  HOOP_RETURN_IF_ERROR(runLocalSteps(begin, end, buffers, spec));
  const size_t steps = static_cast<size_t>(end - begin);
  roundBegin_ = begin;
  postsIn_.resize(steps);
  postsOut_.resize(steps);
  acksIn_.resize(steps);
  acksOut_.resize(steps);
  requests_.clear();
  pending_.clear();
  requests_.reserve(2 * steps);  // two per step: a post and its acknowledgement
  pending_.reserve(2 * steps);
  outstanding_ = 0;
  bool sends = false;
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind != StepKind::Send && !isReceive(*step)) continue;
    if (step->peer < 0 || step->peer >= nranks_ || step->peer == rank_) {
      return Status(hoopInternalError, format("rank %d exchanges with peer %d", rank_, step->peer));
    }
    sends = sends || step->kind == StepKind::Send;
  }
  if (sends) HOOP_CUDA_RETURN_IF_ERROR(cudaEventRecord(ready_, streamOf(buffers)));
  for (uint32_t i = 0; i < steps; ++i) {
    const Step& step = begin[i];
    if (isReceive(step)) {
      HOOP_RETURN_IF_ERROR(posted(MPI_Irecv(&postsIn_[i], sizeof(Post), MPI_BYTE, step.peer, postTag_, comm_,
                                            track(i, Role::PostIn)), "MPI_Irecv"));
    } else if (step.kind == StepKind::Send) {
      HOOP_RETURN_IF_ERROR(posted(MPI_Irecv(&acksIn_[i], sizeof(Ack), MPI_BYTE, step.peer, ackTag_, comm_,
                                            track(i, Role::AckIn)), "MPI_Irecv"));
    }
  }
  for (uint32_t i = 0; i < steps; ++i) {
    const Step& step = begin[i];
    if (step.kind != StepKind::Send) continue;
    Post& post = postsOut_[i];
    post.signature = call.signature;
    post.bytes = step.src.count * spec.elemSize;
    HOOP_RETURN_IF_ERROR(exportAddress(spanPointer(buffers, step.src, spec.elemSize), &post.address));
    HOOP_RETURN_IF_ERROR(posted(MPI_Isend(&post, sizeof(Post), MPI_BYTE, step.peer, postTag_, comm_,
                                          track(i, Role::PostOut)), "MPI_Isend"));
  }

  unsigned idle = 0;
  while (outstanding_ > 0) {
    completedIndices_.resize(requests_.size());
    int completed = 0;
    const int rc = MPI_Testsome(static_cast<int>(requests_.size()), requests_.data(), &completed,
                                completedIndices_.data(), MPI_STATUSES_IGNORE);
    HOOP_RETURN_IF_ERROR(posted(rc, "MPI_Testsome"));
    if (completed == MPI_UNDEFINED) break;
    if (completed == 0) {
      HOOP_RETURN_IF_ERROR(whileIdle(++idle, call));
      continue;
    }
    idle = 0;
    for (int k = 0; k < completed; ++k) {
      const Pending done = pending_[static_cast<size_t>(completedIndices_[static_cast<size_t>(k)])];
      --outstanding_;
      if (done.role == Role::PostIn) HOOP_RETURN_IF_ERROR(receivePost(done.index, buffers, spec, call));
      if (done.role == Role::AckIn) HOOP_RETURN_IF_ERROR(acknowledged(done.index, call, streamOf(buffers)));
    }
  }
  return Status::ok();
}

// A peer's post arrived: check it against this call, enqueue the transfer, acknowledge.
Status CudaIpcExecutor::receivePost(uint32_t index, const Buffers& buffers, const ReduceSpec& spec,
                                    const CallContext& call) {
  const Step& step = roundBegin_[index];
  const Post& post = postsIn_[index];
  const size_t peer = static_cast<size_t>(step.peer);
  const size_t bytes = step.dst.count * spec.elemSize;
  const cudaStream_t stream = streamOf(buffers);
  auto transfer = [&]() -> Status {
    if (call.checkSignature && !sameCall(call.signature, post.signature)) {
      return Status(hoopInvalidUsage, "ranks disagree: " + describeMismatch(call.signature, rank_, post.signature, step.peer));
    }
    if (post.bytes != bytes) {
      return Status(hoopInvalidUsage, format("rank %d expects %zu bytes from rank %d, which sends %llu: did the ranks "
                                             "call with different counts or datatypes?", rank_, bytes, step.peer,
                                             static_cast<unsigned long long>(post.bytes)));
    }
    const char* source = nullptr;
    HOOP_RETURN_IF_ERROR(mappings_.resolve(step.peer, post.address, &source));
    HOOP_CUDA_RETURN_IF_ERROR(cudaStreamWaitEvent(stream, peerReady_[peer], 0));
    char* dst = spanPointer(buffers, step.dst, spec.elemSize);
    if (step.kind == StepKind::Recv) {
      HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, source, bytes, cudaMemcpyDefault, stream));
    } else {
      if (reduce_ == nullptr) return Status(hoopInternalError, "no device reduce kernel for the datatype and op");
      if (!directlyReadable_[peer]) {
        HOOP_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(staging_, source, bytes, cudaMemcpyDefault, stream));
        source = static_cast<const char*>(staging_);
      }
      const char* local = spanPointer(buffers, step.src, spec.elemSize);
      const bool localFirst = step.order == OperandOrder::SrcFirst;
      HOOP_CUDA_RETURN_IF_ERROR(reduce_(dst, nullptr, localFirst ? local : source, localFirst ? source : local,
                                       step.dst.count, maxBlocks_, stream));
    }
    HOOP_CUDA_RETURN_IF_ERROR(cudaEventRecord(consumedFrom_[peer], stream));
    return Status::ok();
  };
  const Status status = transfer();
  Ack& ack = acksOut_[index];
  ack.sequence = call.signature.sequence;
  ack.code = static_cast<int32_t>(status.code());
  ack.reserved = 0;
  HOOP_RETURN_IF_ERROR(posted(MPI_Isend(&ack, sizeof(Ack), MPI_BYTE, step.peer, ackTag_, comm_,
                                        track(index, Role::AckOut)), "MPI_Isend"));
  return status;
}

// A receiver acknowledged a post: this rank's stream waits until it has read the data.
Status CudaIpcExecutor::acknowledged(uint32_t index, const CallContext& call, cudaStream_t stream) {
  const Ack& ack = acksIn_[index];
  const int peer = roundBegin_[index].peer;
  if (ack.code != hoopSuccess) {
    failedRemotely_ = true;
    Status remote;
    if (errors_.poll(call.signature.sequence, &remote)) return remote;
    return Status(ack.code == hoopInvalidUsage ? hoopInvalidUsage : hoopRemoteError,
                  format("%s #%llu: rank %d refused rank %d's data (its error says why)",
                         collectiveKindName(call.signature.kind),
                         static_cast<unsigned long long>(call.signature.sequence), peer, rank_));
  }
  HOOP_CUDA_RETURN_IF_ERROR(cudaStreamWaitEvent(stream, peerConsumed_[static_cast<size_t>(peer)], 0));
  return Status::ok();
}

// Between polls that found nothing: every few dozen polls the abort flag, the error channel
// and the deadline are checked; a longer wait gives the core away between polls.
Status CudaIpcExecutor::whileIdle(unsigned idle, const CallContext& call) {
  if (idle % kPollsBetweenChecks == 0) {
    const unsigned long long sequence = call.signature.sequence;
    const char* kind = collectiveKindName(call.signature.kind);
    if (call.aborted != nullptr && call.aborted->load(std::memory_order_relaxed)) {
      return Status(hoopInvalidUsage, format("%s #%llu interrupted on rank %d: the communicator was aborted", kind,
                                             sequence, rank_));
    }
    Status remote;
    if (errors_.poll(call.signature.sequence, &remote)) {
      failedRemotely_ = true;
      return remote;
    }
    if (call.timeoutSeconds > 0) {
      const double now = MPI_Wtime();
      if (deadline_ == 0) deadline_ = now + call.timeoutSeconds;
      if (now > deadline_) {
        std::string silent;
        for (size_t i = 0; i < requests_.size(); ++i) {
          const bool incoming = pending_[i].role == Role::PostIn || pending_[i].role == Role::AckIn;
          if (incoming && requests_[i] != MPI_REQUEST_NULL) silent += format(" %d", roundBegin_[pending_[i].index].peer);
        }
        return Status(hoopTimeout, format("%s #%llu timed out on rank %d after %g s (HOOP_TIMEOUT) waiting for rank(s)%s",
                                          kind, sequence, rank_, call.timeoutSeconds, silent.c_str()));
      }
    }
  }
  if (idle > kPollsBetweenChecks) sched_yield();
  return Status::ok();
}

void CudaIpcExecutor::cancelOutstanding() {
  for (size_t i = 0; i < requests_.size(); ++i) {
    if (requests_[i] == MPI_REQUEST_NULL) continue;
    if (pending_[i].role == Role::PostOut || pending_[i].role == Role::AckOut) {
      MPI_Request_free(&requests_[i]);
    } else {
      MPI_Cancel(&requests_[i]);
      MPI_Wait(&requests_[i], MPI_STATUS_IGNORE);
    }
  }
  outstanding_ = 0;
}

}  // namespace hoop
