// MPI executor: runs a schedule round by round with nonblocking point-to-point messages.
//
// Every Send and RecvReduce is cut into segments of at most segmentBytes, and each segment
// travels as its own message, so that no MPI count ever exceeds INT_MAX and so that the
// pipeline below has something to overlap. In a round the executor posts every send and
// every plain receive (straight into the destination) at once. A RecvReduce receives into
// pipelineDepth staging slots, small enough to stay in cache: while segment k is reduced
// from its slot into the destination, segments k+1 .. k+depth-1 are already in transfer,
// and the slot of segment k is reposted for segment k+depth as soon as it is reduced. The
// staging memory is kept between calls; nothing is allocated on the hot path once a size
// has been seen. Messages between two ranks match in posting order (MPI's non-overtaking
// rule), which the schedule contract makes identical on both sides.
#include "transport/mpi/mpi_executor.h"

#include <algorithm>

namespace hoop {

namespace {

constexpr int kTag = 0x686f;

size_t segmentCount(size_t bytes, size_t segmentBytes) {
  return bytes == 0 ? 0 : (bytes + segmentBytes - 1) / segmentBytes;
}

}  // namespace

MpiExecutor::MpiExecutor(MPI_Comm comm, size_t segmentBytes, int pipelineDepth)
    : comm_(comm), segmentBytes_(segmentBytes), pipelineDepth_(pipelineDepth) {
  MPI_Comm_rank(comm_, &rank_);
}

MpiExecutor::~MpiExecutor() {
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

Status MpiExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec) {
  // Segments hold whole elements, so that a reduction never splits one.
  segment_ = std::max(spec.elemSize, segmentBytes_ / spec.elemSize * spec.elemSize);
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    HOOP_RETURN_IF_ERROR(runRound(schedule.roundBegin(round), schedule.roundEnd(round), buffers, spec));
  }
  return Status::ok();
}

Status MpiExecutor::runRound(const Step* begin, const Step* end, const Buffers& buffers, const ReduceSpec& spec) {
  requests_.clear();
  reduces_.clear();
  for (const Step* step = begin; step != end; ++step) {
    if (isLocalStep(*step)) runLocalStep(*step, buffers, spec);
  }
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind == StepKind::RecvReduce) {
      reduces_.push_back(PipelinedReceive{step, segmentCount(step->dst.count * spec.elemSize, segment_), 0, 0, nullptr});
    }
  }
  const size_t slotsPerReceive = static_cast<size_t>(pipelineDepth_);
  if (!staging_.reserve(reduces_.size() * slotsPerReceive * segment_)) {
    return Status(hoopSystemError, format("cannot allocate %zu bytes of staging memory", reduces_.size() * slotsPerReceive * segment_));
  }
  reduceHeads_.assign(reduces_.size() * slotsPerReceive, MPI_REQUEST_NULL);
  for (size_t i = 0; i < reduces_.size(); ++i) {
    reduces_[i].staging = staging_.data() + i * slotsPerReceive * segment_;
  }

  // Post in step order so that each peer sees this rank's messages in schedule order.
  size_t nextReduce = 0;
  for (const Step* step = begin; step != end; ++step) {
    if (step->kind == StepKind::Send || step->kind == StepKind::Recv) {
      HOOP_RETURN_IF_ERROR(postSegments(*step, buffers, spec));
    } else if (step->kind == StepKind::RecvReduce) {
      PipelinedReceive& receive = reduces_[nextReduce];
      const int firstSlot = static_cast<int>(nextReduce * slotsPerReceive);
      ++nextReduce;
      while (receive.posted < receive.segments && receive.posted < slotsPerReceive) {
        HOOP_RETURN_IF_ERROR(postStagedReceive(receive, spec, firstSlot));
      }
    }
  }
  HOOP_RETURN_IF_ERROR(drainReduces(buffers, spec));
  const int rc = MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  if (rc != MPI_SUCCESS) return mpiFailure("MPI_Waitall", rc);
  return Status::ok();
}

Status MpiExecutor::postSegments(const Step& step, const Buffers& buffers, const ReduceSpec& spec) {
  const Span& span = step.kind == StepKind::Send ? step.src : step.dst;
  char* base = spanPointer(buffers, span, spec.elemSize);
  const size_t bytes = span.count * spec.elemSize;
  for (size_t offset = 0; offset < bytes; offset += segment_) {
    const int length = static_cast<int>(std::min(segment_, bytes - offset));
    MPI_Request request;
    const int rc = step.kind == StepKind::Send
                       ? MPI_Isend(base + offset, length, MPI_BYTE, step.peer, kTag, comm_, &request)
                       : MPI_Irecv(base + offset, length, MPI_BYTE, step.peer, kTag, comm_, &request);
    if (rc != MPI_SUCCESS) return mpiFailure(step.kind == StepKind::Send ? "MPI_Isend" : "MPI_Irecv", rc);
    requests_.push_back(request);
  }
  return Status::ok();
}

Status MpiExecutor::postStagedReceive(PipelinedReceive& receive, const ReduceSpec& spec, int firstSlot) {
  const size_t slot = receive.posted % static_cast<size_t>(pipelineDepth_);
  const size_t bytes = receive.step->dst.count * spec.elemSize;
  const size_t offset = receive.posted * segment_;
  const int length = static_cast<int>(std::min(segment_, bytes - offset));
  const int rc = MPI_Irecv(receive.staging + slot * segment_, length, MPI_BYTE, receive.step->peer, kTag, comm_,
                           &reduceHeads_[static_cast<size_t>(firstSlot) + slot]);
  if (rc != MPI_SUCCESS) return mpiFailure("MPI_Irecv", rc);
  ++receive.posted;
  return Status::ok();
}

Status MpiExecutor::drainReduces(const Buffers& buffers, const ReduceSpec& spec) {
  const size_t depth = static_cast<size_t>(pipelineDepth_);
  bool pending = true;
  while (pending) {
    pending = false;
    for (size_t i = 0; i < reduces_.size(); ++i) {
      PipelinedReceive& receive = reduces_[i];
      if (receive.done == receive.segments) continue;
      const size_t slot = receive.done % depth;
      const int rc = MPI_Wait(&reduceHeads_[i * depth + slot], MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) return mpiFailure("MPI_Wait", rc);
      const Step& step = *receive.step;
      const size_t offset = receive.done * segment_;
      const size_t count = std::min(segment_, step.dst.count * spec.elemSize - offset) / spec.elemSize;
      spec.reduce(spanPointer(buffers, step.dst, spec.elemSize) + offset,
                  spanPointer(buffers, step.src, spec.elemSize) + offset, receive.staging + slot * segment_, count);
      ++receive.done;
      if (receive.posted < receive.segments) {
        HOOP_RETURN_IF_ERROR(postStagedReceive(receive, spec, static_cast<int>(i * depth)));
      }
      pending = pending || receive.done < receive.segments;
    }
  }
  return Status::ok();
}

}  // namespace hoop
