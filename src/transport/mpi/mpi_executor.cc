// MPI executor: runs a schedule round by round with nonblocking point-to-point messages.
//
// Segments. Every Send and RecvReduce is cut into segments of at most segmentBytes (whole
// elements), each its own message, so no MPI count ever exceeds INT_MAX and the pipeline
// has something to overlap. In a round the executor posts every send and every plain
// receive (straight into the destination) at once. A RecvReduce receives into
// pipelineDepth staging slots small enough to stay in cache: while one segment is reduced
// from its slot into the destination, the next ones are in transfer, and a slot is reposted
// for the next segment as soon as it is reduced. Staging memory is kept between calls.
//
// Hellos. The first message from one rank to another in a call carries the call's
// signature (collective, sequence number, count, datatype, op, root, algorithm) in a
// 24-byte header; when the step's first segment is small it travels inline behind the
// header, so a small collective still sends one message per peer. A round that is just one
// such exchange with one peer takes a shorter path with the same messages. The receiver compares the signature with its
// own before using any data: a mismatch fails the call with hoopInvalidUsage naming both
// ranks' values, and a notice on the error channel makes every other rank fail too.
//
// Waiting. Completions are collected with MPI_Testsome; while nothing completes the
// executor checks, every few dozen polls, the abort flag, the error channel and the
// deadline, and after that many idle polls it yields the core between polls. Each call uses a data tag derived from its sequence number, so messages left
// behind by a failed call can never be taken for a later call's. Messages between two
// ranks match in posting order, which the schedule contract makes the same on both sides.
#include "transport/mpi/mpi_executor.h"

#include <sched.h>
#include <string.h>

#include <algorithm>

namespace hoop {

namespace {

constexpr size_t kHelloHeader = sizeof(Signature);  // small: an 8-byte call sends a 32-byte message
constexpr size_t kInlineBytes = 2048;                // keeps a hello under the shared-memory eager limit
constexpr size_t kHelloBytes = kHelloHeader + kInlineBytes;
constexpr size_t kHelloSlot = (kHelloBytes + 63) / 64 * 64;  // hello buffers start on cache lines
constexpr int kSequenceTags = 16384;
constexpr unsigned kPollsBetweenChecks = 64;

bool isReceive(const Step& step) { return step.kind == StepKind::Recv || step.kind == StepKind::RecvReduce; }

}  // namespace

MpiExecutor::MpiExecutor(MPI_Comm comm, size_t segmentBytes, int pipelineDepth)
    : comm_(comm),
      segmentBytes_(segmentBytes),
      pipelineDepth_(pipelineDepth),
      errors_(comm),
      hellos_(std::make_unique<AlignedBuffer>()) {
  int nranks = 1;
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &nranks);
  helloSent_.assign(static_cast<size_t>(nranks), 0);
  helloReceived_.assign(static_cast<size_t>(nranks), 0);
  earlyStamp_.assign(static_cast<size_t>(nranks), 0);
  earlyLength_.assign(static_cast<size_t>(nranks), 0);
  earlyHellos_.reserve(static_cast<size_t>(nranks) * kHelloSlot);
}

MpiExecutor::~MpiExecutor() {
  errors_.close();
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Comm_free(&comm_);
}

Status MpiExecutor::mpiFailure(const char* call, int code) const {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Status(hoopSystemError, format("%s failed on rank %d: %.*s", call, rank_, length, text));
}

size_t MpiExecutor::segmentLength(const Transfer& transfer, size_t segment, size_t elemSize) const {
  const Span& span = transfer.step->kind == StepKind::Send ? transfer.step->src : transfer.step->dst;
  const size_t bytes = span.count * elemSize;
  return std::min(segment_, bytes - segment * segment_);
}

Status MpiExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                        const CallContext& call) {
  segment_ = std::max(spec.elemSize, segmentBytes_ / spec.elemSize * spec.elemSize);
  tag_ = 1 + static_cast<int>(call.signature.sequence % kSequenceTags);
  deadline_ = 0;  // set at the first idle check, so calls that never wait never read the clock
  failedRemotely_ = false;
  const size_t rounds = schedule.roundCount();
  for (size_t round = 0; round < rounds; ++round) {
    Status status = runRound(round, rounds, schedule.roundBegin(round), schedule.roundEnd(round), buffers, spec, call);
    if (status.isOk()) continue;
    cancelOutstanding();
    if (!failedRemotely_) {
      const bool mismatch = status.code() == hoopInvalidUsage && !(call.aborted && call.aborted->load());
      errors_.broadcast(call.signature.sequence,
                        Status(mismatch ? hoopInvalidUsage : hoopRemoteError, status.message()));
    }
    return status;
  }
  return Status::ok();
}

Status MpiExecutor::runRound(size_t round, size_t rounds, const Step* begin, const Step* end, const Buffers& buffers,
                             const ReduceSpec& spec, const CallContext& call) {
  for (const Step* step = begin; step != end; ++step) {
    if (isLocalStep(*step)) runLocalStep(*step, buffers, spec);
  }
  const Step* send = nullptr;
  const Step* receive = nullptr;
  if (isSmallExchange(begin, end, spec, call, &send, &receive)) {
    return runSmallExchange(round, rounds, *send, *receive, buffers, spec, call);
  }
  HOOP_RETURN_IF_ERROR(prepareTransfers(begin, end, spec, call));
  requests_.clear();
  owners_.clear();
  outstanding_ = 0;
  // Receives first, so that data arriving from a fast peer finds its buffer posted rather
  // than being queued and copied as unexpected; each kind in step order, so that each peer
  // sees this rank's messages in schedule order.
  for (const bool receives : {true, false}) {
    for (uint32_t i = 0; i < transfers_.size(); ++i) {
      if (isReceive(*transfers_[i].step) != receives) continue;
      HOOP_RETURN_IF_ERROR(postTransfer(transfers_[i], i, buffers, spec, call));
    }
  }
  return waitForRound(round, rounds, buffers, spec, call);
}

Status MpiExecutor::prepareTransfers(const Step* begin, const Step* end, const ReduceSpec& spec,
                                     const CallContext& call) {
  transfers_.clear();
  size_t hellos = 0;
  size_t reduces = 0;
  const uint64_t stamp = call.signature.sequence + 1;
  for (const Step* step = begin; step != end; ++step) {
    if (isLocalStep(*step)) continue;
    const Span& span = step->kind == StepKind::Send ? step->src : step->dst;
    const size_t bytes = span.count * spec.elemSize;
    std::vector<uint64_t>& stamps = step->kind == StepKind::Send ? helloSent_ : helloReceived_;
    const bool hello = call.checkSignature && stamps[static_cast<size_t>(step->peer)] != stamp;
    if (hello) stamps[static_cast<size_t>(step->peer)] = stamp;
    transfers_.push_back(Transfer{step, (bytes + segment_ - 1) / segment_, hello,
                                  hello && std::min(segment_, bytes) <= kInlineBytes, false, false, 0, 0, nullptr, nullptr});
    hellos += hello;
    reduces += step->kind == StepKind::RecvReduce;
  }
  const size_t stagingBytes = reduces * static_cast<size_t>(pipelineDepth_) * segment_;
  if (!staging_.reserve(stagingBytes) || !hellos_->reserve(hellos * kHelloSlot)) {
    return Status(hoopSystemError, format("cannot allocate %zu bytes of staging memory", stagingBytes));
  }
  size_t nextHello = 0;
  size_t nextStaging = 0;
  for (Transfer& transfer : transfers_) {
    if (transfer.hello) transfer.helloBuffer = hellos_->data() + kHelloSlot * nextHello++;
    if (transfer.step->kind == StepKind::RecvReduce) {
      transfer.staging = staging_.data() + static_cast<size_t>(pipelineDepth_) * segment_ * nextStaging++;
    }
  }
  return Status::ok();
}

MPI_Request* MpiExecutor::track(RequestOwner owner) {
  requests_.push_back(MPI_REQUEST_NULL);
  owners_.push_back(owner);
  ++outstanding_;
  return &requests_.back();
}

Status MpiExecutor::posted(int rc, const char* what) {
  if (rc != MPI_SUCCESS) return mpiFailure(what, rc);
  return Status::ok();
}

Status MpiExecutor::postTransfer(Transfer& transfer, uint32_t index, const Buffers& buffers, const ReduceSpec& spec,
                                 const CallContext& call) {
  const Step& step = *transfer.step;
  const size_t first = transfer.inlineFirst ? 1 : 0;
  if (step.kind == StepKind::Send) {
    const char* src = spanPointer(buffers, step.src, spec.elemSize);
    if (transfer.hello) {
      memcpy(transfer.helloBuffer, &call.signature, sizeof(Signature));
      const size_t inlined = transfer.inlineFirst ? segmentLength(transfer, 0, spec.elemSize) : 0;
      memcpy(transfer.helloBuffer + kHelloHeader, src, inlined);
      HOOP_RETURN_IF_ERROR(posted(MPI_Isend(transfer.helloBuffer, static_cast<int>(kHelloHeader + inlined), MPI_BYTE,
                                          step.peer, tag_, comm_, track(RequestOwner{index, RequestRole::Send, 0, 0})), "MPI_Isend"));
    }
    for (size_t s = first; s < transfer.segments; ++s) {
      HOOP_RETURN_IF_ERROR(posted(MPI_Isend(src + s * segment_, static_cast<int>(segmentLength(transfer, s, spec.elemSize)),
                                          MPI_BYTE, step.peer, tag_, comm_, track(RequestOwner{index, RequestRole::Send, static_cast<uint32_t>(s), 0})), "MPI_Isend"));
    }
    return Status::ok();
  }
  const size_t peer = static_cast<size_t>(step.peer);
  transfer.posted = transfer.inlineFirst ? 1 : 0;
  if (transfer.hello && earlyStamp_[peer] == call.signature.sequence + 1) {
    transfer.helloBuffer = earlyHellos_.data() + peer * kHelloSlot;
    transfer.helloUnchecked = true;
    HOOP_RETURN_IF_ERROR(acceptHello(transfer, earlyLength_[peer], buffers, spec, call));
  } else if (transfer.hello) {
    HOOP_RETURN_IF_ERROR(posted(MPI_Irecv(transfer.helloBuffer, static_cast<int>(kHelloBytes), MPI_BYTE, step.peer, tag_,
                                        comm_, track(RequestOwner{index, RequestRole::Hello, 0, 0})), "MPI_Irecv"));
    ++transfer.pending;
    transfer.helloUnchecked = true;
  }
  return postData(transfer, index, buffers, spec);
}

// Posts the data receives of a receiving transfer (all but an inline first segment).
//
// No receive may be overrun. A peer that disagrees on the call's arguments may send more
// than this rank expects, and a longer message into a posted receive must fail as
// truncated, which some MPI libraries' single-copy paths do not do (Open MPI 4.1's vader
// writes past the buffer). Every message is at most one segment long, so a receive of a
// whole segment is safe at once: staged receives always take a whole slot (their length
// is checked on arrival), and a plain receive shorter than a segment (a step's last one)
// waits until the peer's hello has been checked.
Status MpiExecutor::postData(Transfer& transfer, uint32_t index, const Buffers& buffers, const ReduceSpec& spec) {
  const Step& step = *transfer.step;
  if (step.kind == StepKind::Recv) {
    char* dst = spanPointer(buffers, step.dst, spec.elemSize);
    for (; transfer.posted < transfer.segments; ++transfer.posted) {
      const size_t s = transfer.posted;
      const size_t length = segmentLength(transfer, s, spec.elemSize);
      if (length < segment_ && transfer.helloUnchecked) break;  // acceptHello posts it
      HOOP_RETURN_IF_ERROR(posted(MPI_Irecv(dst + s * segment_, static_cast<int>(length), MPI_BYTE, step.peer, tag_, comm_,
                                            track(RequestOwner{index, RequestRole::Receive, static_cast<uint32_t>(s), 0})), "MPI_Irecv"));
      ++transfer.pending;
    }
    return Status::ok();
  }
  for (uint32_t slot = 0; slot < static_cast<uint32_t>(pipelineDepth_) && transfer.posted < transfer.segments; ++slot) {
    HOOP_RETURN_IF_ERROR(postStaged(transfer, index, slot));
  }
  return Status::ok();
}

// Posts the receive of the transfer's next segment into staging slot `slot`.
Status MpiExecutor::postStaged(Transfer& transfer, uint32_t index, uint32_t slot) {
  const size_t segment = transfer.posted++;
  ++transfer.pending;
  return posted(MPI_Irecv(transfer.staging + slot * segment_, static_cast<int>(segment_), MPI_BYTE, transfer.step->peer, tag_, comm_, track(RequestOwner{index, RequestRole::Staged, static_cast<uint32_t>(segment), slot})), "MPI_Irecv");
}

Status MpiExecutor::complete(const RequestOwner& owner, const MPI_Status& status, const Buffers& buffers,
                             const ReduceSpec& spec, const CallContext& call) {
  Transfer& transfer = transfers_[owner.transfer];
  const Step& step = *transfer.step;
  if (owner.role == RequestRole::Send) return Status::ok();
  --transfer.pending;
  char* dst = spanPointer(buffers, step.dst, spec.elemSize);
  if (owner.role == RequestRole::Hello) {
    int received = 0;
    MPI_Get_count(&status, MPI_BYTE, &received);
    return acceptHello(transfer, received, buffers, spec, call);
  }
  if (owner.role == RequestRole::Receive) return Status::ok();
  // A staged segment: reduce it from its slot, then reuse the slot for the next segment.
  const size_t offset = owner.segment * segment_;
  const size_t length = segmentLength(transfer, owner.segment, spec.elemSize);
  int received = 0;
  MPI_Get_count(&status, MPI_BYTE, &received);
  if (static_cast<size_t>(received) != length) {
    // The peer disagrees: its hello, if still unchecked, says how; this data is not used.
    const Status wrong(hoopInvalidUsage,
                       format("%s #%llu: rank %d sent %d bytes where rank %d expected %zu; the ranks disagree on the "
                              "call's arguments or on HOOP_SEGMENT_BYTES",
                              collectiveKindName(call.signature.kind),
                              static_cast<unsigned long long>(call.signature.sequence), step.peer, received, rank_, length));
    if (!transfer.helloUnchecked) return wrong;
    transfer.wrongLength = true;
    heldMismatch_ = wrong;
    return Status::ok();
  }
  char* slot = transfer.staging + owner.slot * segment_;
  reduceInOrder(spec, step.order, dst + offset, spanPointer(buffers, step.src, spec.elemSize) + offset, slot,
                length / spec.elemSize);
  if (transfer.posted < transfer.segments) return postStaged(transfer, owner.transfer, owner.slot);
  return Status::ok();
}

Status MpiExecutor::verifyHello(const CallContext& call, int peer, const char* hello, int received) const {
  if (static_cast<size_t>(received) < kHelloHeader) {
    return Status(hoopInvalidUsage, format("%s #%llu: rank %d sent %d bytes where its signature was expected; "
                                           "HOOP_CHECK must be the same on every rank",
                                           collectiveKindName(call.signature.kind),
                                           static_cast<unsigned long long>(call.signature.sequence), peer, received));
  }
  Signature theirs;
  memcpy(&theirs, hello, sizeof theirs);
  if (!sameCall(call.signature, theirs)) return Status(hoopInvalidUsage, describeMismatch(call.signature, rank_, theirs, peer));
  return Status::ok();
}

// Checks a received hello, then uses the first segment that travelled inside it.
Status MpiExecutor::acceptHello(Transfer& transfer, int received, const Buffers& buffers, const ReduceSpec& spec,
                                const CallContext& call) {
  const Step& step = *transfer.step;
  HOOP_RETURN_IF_ERROR(verifyHello(call, step.peer, transfer.helloBuffer, received));
  if (transfer.inlineFirst) {
    char* dst = spanPointer(buffers, step.dst, spec.elemSize);
    const char* data = transfer.helloBuffer + kHelloHeader;
    const size_t length = segmentLength(transfer, 0, spec.elemSize);
    if (step.kind == StepKind::Recv) {
      memcpy(dst, data, length);
    } else {
      reduceInOrder(spec, step.order, dst, spanPointer(buffers, step.src, spec.elemSize), data, length / spec.elemSize);
    }
  }
  // The peer agrees: a data segment that arrived with the wrong length cannot be explained
  // by its arguments; otherwise a plain receive's short last segment can now be posted.
  transfer.helloUnchecked = false;
  if (transfer.wrongLength) return heldMismatch_;
  if (step.kind == StepKind::Recv && transfer.posted < transfer.segments) {
    return postData(transfer, static_cast<uint32_t>(&transfer - transfers_.data()), buffers, spec);
  }
  return Status::ok();
}

// Ranks that disagree on a call's arguments may run schedules in which a peer's first
// message is not the one this rank waits for. Any message from a peer whose hello this
// call has not asked for yet is that peer's hello: take it now and compare signatures.
Status MpiExecutor::probeEarlyHellos(const CallContext& call) {
  const uint64_t stamp = call.signature.sequence + 1;
  for (size_t peer = 0; peer < helloReceived_.size(); ++peer) {
    if (static_cast<int>(peer) == rank_ || helloReceived_[peer] == stamp || earlyStamp_[peer] == stamp) continue;
    int arrived = 0;
    MPI_Status status;
    int rc = MPI_Iprobe(static_cast<int>(peer), tag_, comm_, &arrived, &status);
    if (rc != MPI_SUCCESS) return mpiFailure("MPI_Iprobe", rc);
    if (!arrived) continue;
    int received = 0;
    MPI_Get_count(&status, MPI_BYTE, &received);
    if (static_cast<size_t>(received) > kHelloBytes) return verifyHello(call, static_cast<int>(peer), nullptr, 0);
    char* slot = earlyHellos_.data() + peer * kHelloSlot;
    rc = MPI_Recv(slot, static_cast<int>(kHelloBytes), MPI_BYTE, static_cast<int>(peer), tag_, comm_, &status);
    if (rc != MPI_SUCCESS) return mpiFailure("MPI_Recv", rc);
    earlyStamp_[peer] = stamp;
    earlyLength_[peer] = received;
    HOOP_RETURN_IF_ERROR(verifyHello(call, static_cast<int>(peer), slot, received));
  }
  return Status::ok();
}

Status MpiExecutor::waitForRound(size_t round, size_t rounds, const Buffers& buffers, const ReduceSpec& spec,
                                 const CallContext& call) {
  unsigned idle = 0;
  while (outstanding_ > 0) {
    completedIndices_.resize(requests_.size());
    completedStatuses_.resize(requests_.size());
    int completed = 0;
    const int rc = MPI_Testsome(static_cast<int>(requests_.size()), requests_.data(), &completed,
                                completedIndices_.data(), completedStatuses_.data());
    if (rc != MPI_SUCCESS && rc != MPI_ERR_IN_STATUS) return mpiFailure("MPI_Testsome", rc);
    if (completed == MPI_UNDEFINED) break;
    if (completed == 0) {
      HOOP_RETURN_IF_ERROR(whileIdle(++idle, round, rounds, call));
      continue;
    }
    idle = 0;
    // Hellos first: a signature mismatch explains any error its peer's data caused.
    for (int pass = 0; pass < 2; ++pass) {
      for (int k = 0; k < completed; ++k) {
        const int index = completedIndices_[static_cast<size_t>(k)];
        const RequestOwner owner = owners_[static_cast<size_t>(index)];
        if ((owner.role == RequestRole::Hello) != (pass == 0)) continue;
        const MPI_Status& status = completedStatuses_[static_cast<size_t>(k)];
        if (rc == MPI_ERR_IN_STATUS && status.MPI_ERROR != MPI_SUCCESS) {
          return mpiFailure(owner.role == RequestRole::Send ? "MPI_Isend" : "MPI_Irecv", status.MPI_ERROR);
        }
        --outstanding_;
        HOOP_RETURN_IF_ERROR(complete(owner, status, buffers, spec, call));
      }
    }
  }
  return Status::ok();
}

// Between polls that found nothing: every few dozen polls the abort flag, the error
// channel, early hellos and the deadline are checked; past that many, a long wait gives the
// core away between polls: to the computation a communication thread overlaps with, or to
// other ranks when there are more ranks than cores.
Status MpiExecutor::whileIdle(unsigned idle, size_t round, size_t rounds, const CallContext& call) {
  if (idle % kPollsBetweenChecks == 0) {
    HOOP_RETURN_IF_ERROR(interruption(call));
    if (call.checkSignature) HOOP_RETURN_IF_ERROR(probeEarlyHellos(call));
    if (call.timeoutSeconds > 0) {
      const double now = MPI_Wtime();
      if (deadline_ == 0) deadline_ = now + call.timeoutSeconds;
      if (now > deadline_) return timeoutStatus(round, rounds, call);
    }
  }
  if (idle > kPollsBetweenChecks) sched_yield();
  return Status::ok();
}

// A round whose only messages are one send to a peer and one receive from the same peer,
// both this call's first with that peer and small enough to travel inside the hello (every
// round of recursive doubling; the small trees' rounds at two ranks).
bool MpiExecutor::isSmallExchange(const Step* begin, const Step* end, const ReduceSpec& spec, const CallContext& call,
                                  const Step** send, const Step** receive) const {
  if (!call.checkSignature) return false;
  for (const Step* step = begin; step != end; ++step) {
    if (isLocalStep(*step)) continue;
    const Step** slot = step->kind == StepKind::Send ? send : receive;
    if (*slot != nullptr) return false;
    *slot = step;
  }
  if (*send == nullptr || *receive == nullptr || (*send)->peer != (*receive)->peer) return false;
  const size_t peer = static_cast<size_t>((*send)->peer);
  const uint64_t stamp = call.signature.sequence + 1;
  const size_t limit = std::min(segment_, kInlineBytes);
  return (*send)->src.count * spec.elemSize <= limit && (*receive)->dst.count * spec.elemSize <= limit &&
         helloSent_[peer] != stamp && helloReceived_[peer] != stamp && earlyStamp_[peer] != stamp;
}

// The small exchange without the general bookkeeping: the receive of the peer's hello is
// posted first, then this rank's hello with the data behind the signature, and the two are
// waited for together. The request tables are filled as the general path fills them, so a
// timeout or failure is reported and cleaned up the same way.
Status MpiExecutor::runSmallExchange(size_t round, size_t rounds, const Step& send, const Step& receive,
                                     const Buffers& buffers, const ReduceSpec& spec, const CallContext& call) {
  const int peer = send.peer;
  const uint64_t stamp = call.signature.sequence + 1;
  helloSent_[static_cast<size_t>(peer)] = stamp;
  helloReceived_[static_cast<size_t>(peer)] = stamp;
  if (!hellos_->reserve(2 * kHelloSlot)) return Status(hoopSystemError, "cannot allocate the hello buffers");
  char* in = hellos_->data();
  char* out = in + kHelloSlot;
  transfers_.clear();
  transfers_.push_back(Transfer{&receive, 1, true, true, true, false, 1, 1, in, nullptr});
  transfers_.push_back(Transfer{&send, 1, true, true, false, false, 0, 0, out, nullptr});
  requests_.assign(2, MPI_REQUEST_NULL);
  owners_.assign({RequestOwner{0, RequestRole::Hello, 0, 0}, RequestOwner{1, RequestRole::Send, 0, 0}});
  outstanding_ = 2;
  const size_t sendBytes = send.src.count * spec.elemSize;
  memcpy(out, &call.signature, sizeof(Signature));
  memcpy(out + kHelloHeader, spanPointer(buffers, send.src, spec.elemSize), sendBytes);
  HOOP_RETURN_IF_ERROR(posted(MPI_Irecv(in, static_cast<int>(kHelloBytes), MPI_BYTE, peer, tag_, comm_, &requests_[0]), "MPI_Irecv"));
  HOOP_RETURN_IF_ERROR(posted(MPI_Isend(out, static_cast<int>(kHelloHeader + sendBytes), MPI_BYTE, peer, tag_, comm_, &requests_[1]), "MPI_Isend"));
  MPI_Status statuses[2];
  unsigned idle = 0;
  for (;;) {
    int done = 0;
    const int rc = MPI_Testall(2, requests_.data(), &done, statuses);
    if (rc == MPI_ERR_IN_STATUS) {
      for (int i = 0; i < 2; ++i) {
        if (statuses[i].MPI_ERROR != MPI_SUCCESS && statuses[i].MPI_ERROR != MPI_ERR_PENDING) {
          return mpiFailure(i == 0 ? "MPI_Irecv" : "MPI_Isend", statuses[i].MPI_ERROR);
        }
      }
    } else if (rc != MPI_SUCCESS) {
      return mpiFailure("MPI_Testall", rc);
    }
    if (done) break;
    HOOP_RETURN_IF_ERROR(whileIdle(++idle, round, rounds, call));
  }
  outstanding_ = 0;
  transfers_[0].pending = 0;
  int received = 0;
  MPI_Get_count(&statuses[0], MPI_BYTE, &received);
  return acceptHello(transfers_[0], received, buffers, spec, call);
}

Status MpiExecutor::interruption(const CallContext& call) {
  if (call.aborted != nullptr && call.aborted->load(std::memory_order_relaxed)) {
    return Status(hoopInvalidUsage, format("%s #%llu interrupted on rank %d: the communicator was aborted",
                                           collectiveKindName(call.signature.kind),
                                           static_cast<unsigned long long>(call.signature.sequence), rank_));
  }
  Status remote;
  if (errors_.poll(call.signature.sequence, &remote)) {
    failedRemotely_ = true;
    return remote;
  }
  return Status::ok();
}

Status MpiExecutor::timeoutStatus(size_t round, size_t rounds, const CallContext& call) const {
  std::string silent;
  std::string unsent;
  for (const Transfer& transfer : transfers_) {
    if (isReceive(*transfer.step) && transfer.pending > 0) silent += format(" %d", transfer.step->peer);
  }
  for (size_t i = 0; i < requests_.size(); ++i) {
    if (requests_[i] != MPI_REQUEST_NULL && owners_[i].role == RequestRole::Send) {
      const int peer = transfers_[owners_[i].transfer].step->peer;
      const std::string text = format(" %d", peer);
      if (unsent.find(text) == std::string::npos) unsent += text;
    }
  }
  return Status(hoopTimeout,
                format("%s #%llu timed out on rank %d after %.3g s in round %zu of %zu: %s%s%s%s",
                       collectiveKindName(call.signature.kind), static_cast<unsigned long long>(call.signature.sequence),
                       rank_, call.timeoutSeconds, round + 1, rounds,
                       silent.empty() ? "" : "nothing yet from rank(s)", silent.c_str(),
                       unsent.empty() ? "" : (silent.empty() ? "data not yet taken by rank(s)" : "; data not yet taken by rank(s)"),
                       unsent.c_str()));
}

// Receives are cancelled (or finished); sends cannot be, so they are let go, and a hello buffer a peer
// may still read from is retired rather than reused by the next call.
void MpiExecutor::cancelOutstanding() {
  bool helloInFlight = false;
  for (size_t i = 0; i < requests_.size(); ++i) {
    if (requests_[i] == MPI_REQUEST_NULL) continue;
    if (owners_[i].role == RequestRole::Send) {
      helloInFlight = helloInFlight || (transfers_[owners_[i].transfer].hello && owners_[i].segment == 0);
      MPI_Request_free(&requests_[i]);
    } else {
      // A receive already matched finishes now, so it cannot land in a later call's memory.
      MPI_Cancel(&requests_[i]);
      MPI_Wait(&requests_[i], MPI_STATUS_IGNORE);
    }
  }
  outstanding_ = 0;
  if (helloInFlight) {
    retiredHellos_.push_back(std::move(hellos_));
    hellos_ = std::make_unique<AlignedBuffer>();
  }
}

}  // namespace hoop
