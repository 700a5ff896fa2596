#include "algorithms/schedule.h"

namespace hoop {

void Schedule::clear() {
  steps_.clear();
  roundStarts_.clear();
}

void Schedule::beginRound() { roundStarts_.push_back(steps_.size()); }

const Step* Schedule::roundEnd(size_t round) const {
  const size_t end = round + 1 < roundStarts_.size() ? roundStarts_[round + 1] : steps_.size();
  return steps_.data() + end;
}

void Schedule::add(const Step& step) {
  if (roundStarts_.empty()) beginRound();
  if (step.kind == StepKind::Finalize ? step.dst.count == 0 : (step.src.count == 0 && step.dst.count == 0)) return;
  steps_.push_back(step);
}

void Schedule::send(int peer, Span src) { add(Step{StepKind::Send, peer, src, Span{BufferId::Input, 0, 0}}); }

void Schedule::recv(int peer, Span dst) { add(Step{StepKind::Recv, peer, Span{BufferId::Input, 0, 0}, dst}); }

void Schedule::recvReduce(int peer, Span local, Span dst) { add(Step{StepKind::RecvReduce, peer, local, dst}); }

void Schedule::copy(Span src, Span dst) { add(Step{StepKind::Copy, -1, src, dst}); }

void Schedule::finalize(Span dst) { add(Step{StepKind::Finalize, -1, Span{BufferId::Input, 0, 0}, dst}); }

}  // namespace hoop
