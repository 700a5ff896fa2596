// Shared-memory mailbox executor: runs any schedule between the ranks of a node.
//
// Every ordered pair of ranks (a, b) has a channel: `depth` slots of `slotBytes` in a's
// segment of the node's shared window, and two counters, the number of pieces a has put in
// the channel (in a's segment) and the number b has consumed (in b's segment). A message is
// cut into pieces of at most slotBytes (whole elements); the sender copies piece k into slot
// k mod depth once the receiver has consumed piece k - depth, then publishes the new count
// with a release store; the receiver acquires the count, copies the piece into its
// destination (Recv) or reduces it with the local span into the destination (RecvReduce),
// then publishes its own count. The counters only grow over the communicator's life, and
// both sides cut every message identically, so the channel needs no other framing.
//
// Every call first passes the node's call gate (shm_call_gate.h), where the ranks check
// that they run the same collective with the same arguments and algorithm.
//
// A round runs its local steps, then polls all its communication steps until each has
// moved its whole message; when a full pass over them moves nothing, the waiter backs off
// (see shm_wait.h). Moving pieces of all steps in turn is what makes a round's sends and
// receives concurrent, as the schedule contract requires.
#include "transport/shm/shm_mailbox_executor.h"

#include <string.h>

#include <algorithm>

namespace hoop {

ShmMailboxExecutor::ShmMailboxExecutor(size_t slotBytes, int depth, bool oversubscribed)
    : slotBytes_(slotBytes), depth_(depth), oversubscribed_(oversubscribed) {}

size_t ShmMailboxExecutor::layoutBytes() const {
  const size_t peers = static_cast<size_t>(size_);
  return 2 * peers * sizeof(SharedCounter) + peers * static_cast<size_t>(depth_) * slotBytes_;
}

Status ShmMailboxExecutor::init(MPI_Comm nodeComm, ShmCallGate* gate) {
  gate_ = gate;
  MPI_Comm_rank(nodeComm, &me_);
  MPI_Comm_size(nodeComm, &size_);
  sent_.assign(static_cast<size_t>(size_), 0);
  acked_.assign(static_cast<size_t>(size_), 0);
  return window_.create(nodeComm, layoutBytes());
}

SharedCounter* ShmMailboxExecutor::sentCounters(int owner) const {
  return reinterpret_cast<SharedCounter*>(window_.segment(owner));
}

SharedCounter* ShmMailboxExecutor::ackedCounters(int owner) const { return sentCounters(owner) + size_; }

char* ShmMailboxExecutor::slot(int sender, int receiver, uint64_t sequence) const {
  const size_t channel = static_cast<size_t>(receiver) * static_cast<size_t>(depth_);
  const size_t index = channel + static_cast<size_t>(sequence % static_cast<uint64_t>(depth_));
  return window_.segment(sender) + 2 * static_cast<size_t>(size_) * sizeof(SharedCounter) + index * slotBytes_;
}

bool ShmMailboxExecutor::progressSend(Active& active, const Buffers& buffers, const ReduceSpec& spec) {
  const int peer = active.step->peer;
  const char* src = spanPointer(buffers, active.step->src, spec.elemSize);
  const uint64_t consumed = ackedCounters(peer)[me_].value.load(std::memory_order_acquire);
  uint64_t& sent = sent_[static_cast<size_t>(peer)];
  bool moved = false;
  while (active.done < active.total && sent - consumed < static_cast<uint64_t>(depth_)) {
    const size_t bytes = std::min(piece_, active.total - active.done);
    memcpy(slot(me_, peer, sent), src + active.done, bytes);
    active.done += bytes;
    ++sent;
    moved = true;
  }
  if (moved) sentCounters(me_)[peer].value.store(sent, std::memory_order_release);
  return moved;
}

bool ShmMailboxExecutor::progressReceive(Active& active, const Buffers& buffers, const ReduceSpec& spec) {
  const Step& step = *active.step;
  const uint64_t available = sentCounters(step.peer)[me_].value.load(std::memory_order_acquire);
  uint64_t& consumed = acked_[static_cast<size_t>(step.peer)];
  char* dst = spanPointer(buffers, step.dst, spec.elemSize);
  bool moved = false;
  while (active.done < active.total && consumed < available) {
    const size_t bytes = std::min(piece_, active.total - active.done);
    const char* piece = slot(step.peer, me_, consumed);
    if (step.kind == StepKind::Recv) {
      memcpy(dst + active.done, piece, bytes);
    } else {
      reduceInOrder(spec, step.order, dst + active.done, spanPointer(buffers, step.src, spec.elemSize) + active.done,
                    piece, bytes / spec.elemSize);
    }
    active.done += bytes;
    ++consumed;
    moved = true;
  }
  if (moved) ackedCounters(me_)[step.peer].value.store(consumed, std::memory_order_release);
  return moved;
}

Status ShmMailboxExecutor::run(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                               const CallContext& call) {
  Waiter waiter(gate_->limits(call, oversubscribed_));
  Status status = gate_->enter(call, nullptr, 0, waiter);
  if (status.isOk()) status = runRounds(schedule, buffers, spec, waiter);
  if (!status.isOk()) gate_->fail(call, status);
  return status;
}

Status ShmMailboxExecutor::runRounds(const Schedule& schedule, const Buffers& buffers, const ReduceSpec& spec,
                                     Waiter& waiter) {
  piece_ = std::max(spec.elemSize, slotBytes_ / spec.elemSize * spec.elemSize);
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    active_.clear();
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (isLocalStep(*step)) {
        runLocalStep(*step, buffers, spec);
      } else {
        const Span& span = step->kind == StepKind::Send ? step->src : step->dst;
        active_.push_back(Active{step, 0, span.count * spec.elemSize});
      }
    }
    size_t finished = 0;
    while (finished < active_.size()) {
      bool moved = false;
      finished = 0;
      for (Active& active : active_) {
        if (active.done < active.total) {
          moved |= active.step->kind == StepKind::Send ? progressSend(active, buffers, spec)
                                                        : progressReceive(active, buffers, spec);
        }
        finished += active.done == active.total;
      }
      if (moved) {
        waiter.progressed();
      } else if (finished < active_.size()) {
        HOOP_RETURN_IF_ERROR(waiter.pause("a shared-memory message"));
      }
    }
  }
  return Status::ok();
}

}  // namespace hoop
