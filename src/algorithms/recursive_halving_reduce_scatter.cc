// Recursive-halving reduce-scatter: the latency form of reduce-scatter, the first half of
// the halving-doubling all-reduce with NCCL's block layout (rank i receives block i).
//
// Any rank count is folded onto p = the largest power of two below it (PowerOfTwoFold):
// the folded-out rank gives its whole input to its partner first, and the partner, which
// then stands for both, hands the folded-out rank its finished block last. Virtual rank v
// is responsible for the blocks of the original ranks it stands for. In step j (distance
// p/2, p/4, ..., 1) v and v xor distance split the virtual ranks they still cover: each
// keeps the half containing itself, sends the other half's blocks and reduces the partner's
// copy of its own half (lower group's data first). The partial array lives in scratch; at
// the end each rank copies its own finished block into its output. Only that rank finishes
// the block. In place, the input is read only before that final copy.
#include "algorithms/builders.h"
#include "algorithms/recursive_halving.h"
#include "algorithms/topology.h"

namespace hoop {

void buildRecursiveHalvingReduceScatter(const CollectiveShape& shape, Schedule& schedule) {
  const int rank = shape.rank;
  const size_t count = shape.count;
  const size_t total = static_cast<size_t>(shape.nranks) * count;
  const PowerOfTwoFold fold(shape.nranks);
  schedule.clear();
  if (fold.foldedOut(rank)) {
    schedule.send(rank + 1, inputSpan(0, total));
    schedule.beginRound();
    schedule.recv(rank + 1, outputSpan(0, count));
    return;
  }
  if (shape.nranks == 1) {
    schedule.copy(inputSpan(0, count), outputSpan(0, count));
    schedule.finalize(outputSpan(0, count));
    return;
  }
  schedule.needScratch(total);
  // The blocks of virtual ranks [first, last).
  auto groupSpan = [&](BufferId buffer, int first, int last) {
    const size_t begin = static_cast<size_t>(fold.firstRank(first)) * count;
    return Span{buffer, begin, static_cast<size_t>(fold.firstRank(last)) * count - begin};
  };
  BufferId data = BufferId::Input;
  if (fold.absorbsPartner(rank)) {
    schedule.recvReduce(rank - 1, inputSpan(0, total), scratchSpan(0, total), OperandOrder::SrcSecond);
    schedule.beginRound();
    data = BufferId::Scratch;
  }
  const int v = fold.virtualRank(rank);
  addRecursiveHalving(fold, v, data, BufferId::Scratch, groupSpan, schedule);
  const Span own = scratchSpan(static_cast<size_t>(rank) * count, count);
  schedule.finalize(own);
  schedule.copy(own, outputSpan(0, count));
  if (fold.absorbsPartner(rank)) {
    const Span partners = scratchSpan(static_cast<size_t>(rank - 1) * count, count);
    schedule.finalize(partners);
    schedule.send(rank - 1, partners);
  }
}

}  // namespace hoop
