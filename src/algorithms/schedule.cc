#include "algorithms/schedule.h"

namespace hoop {

namespace {

constexpr Span kNoSpan{BufferId::Input, 0, 0};

}  // namespace

void Schedule::clear() {
  steps_.clear();
  roundStarts_.clear();
  scratchCount_ = 0;
}

void Schedule::beginRound() {
  if (!roundStarts_.empty() && roundStarts_.back() == steps_.size()) return;  // the current round is still empty
  roundStarts_.push_back(steps_.size());
}

const Step* Schedule::roundEnd(size_t round) const {
  const size_t end = round + 1 < roundStarts_.size() ? roundStarts_[round + 1] : steps_.size();
  return steps_.data() + end;
}

void Schedule::add(const Step& step) {
  if (roundStarts_.empty()) beginRound();
  if (step.kind == StepKind::Finalize ? step.dst.count == 0 : (step.src.count == 0 && step.dst.count == 0)) return;
  steps_.push_back(step);
}

void Schedule::send(int peer, Span src) { add(Step{StepKind::Send, OperandOrder::SrcFirst, peer, src, kNoSpan}); }

void Schedule::recv(int peer, Span dst) { add(Step{StepKind::Recv, OperandOrder::SrcFirst, peer, kNoSpan, dst}); }

void Schedule::recvReduce(int peer, Span local, Span dst, OperandOrder order) {
  add(Step{StepKind::RecvReduce, order, peer, local, dst});
}

void Schedule::copy(Span src, Span dst) { add(Step{StepKind::Copy, OperandOrder::SrcFirst, -1, src, dst}); }

void Schedule::reduce(Span src, Span dst, OperandOrder order) { add(Step{StepKind::Reduce, order, -1, src, dst}); }

void Schedule::finalize(Span dst) { add(Step{StepKind::Finalize, OperandOrder::SrcFirst, -1, kNoSpan, dst}); }

void Schedule::needScratch(size_t count) {
  if (count > scratchCount_) scratchCount_ = count;
}

}  // namespace hoop
