// Ring all-gather and ring reduce-scatter: the two halves of the ring all-reduce as
// collectives of their own, with NCCL's block layout (rank i's block at i * count).
//
// All-gather: rank r places its block in its own slot of the output (nothing to do in
// place), then in step s = 0 .. n-2 sends block r - s to r + 1 and receives block r - s - 1
// from r - 1 straight into its slot.
//
// Reduce-scatter: in step s rank r sends its partial result of block r - s - 1 and receives
// the partial of block r - s - 2, which it combines (received partial first, own input
// second); after n - 1 steps the block it holds is its own, r, which goes straight into its
// output in the last step and is finalised there. Partial blocks alternate between two
// scratch slots so a slot is never written while it is sent; in place (output = input +
// r * count) the input block r is read only by that last step. Each rank sends (n-1)/n of
// the full array in n - 1 steps.
#include "algorithms/builders.h"
#include "algorithms/topology.h"

namespace hoop {

void buildRingAllGather(const CollectiveShape& shape, Schedule& schedule) {
  const int n = shape.nranks;
  const int rank = shape.rank;
  const size_t count = shape.count;
  auto block = [&](int index) { return outputSpan(static_cast<size_t>(wrapRank(index, n)) * count, count); };
  schedule.clear();
  schedule.copy(inputSpan(0, count), block(rank));
  for (int step = 0; step < n - 1; ++step) {
    schedule.send(wrapRank(rank + 1, n), step == 0 ? inputSpan(0, count) : block(rank - step));
    schedule.recv(wrapRank(rank - 1, n), block(rank - step - 1));
    schedule.beginRound();
  }
}

void buildRingReduceScatter(const CollectiveShape& shape, Schedule& schedule) {
  const int n = shape.nranks;
  const int rank = shape.rank;
  const size_t count = shape.count;
  auto inputBlock = [&](int index) { return inputSpan(static_cast<size_t>(wrapRank(index, n)) * count, count); };
  auto slot = [&](int step) { return scratchSpan(static_cast<size_t>(step % 2) * count, count); };
  schedule.clear();
  if (n > 2) schedule.needScratch(2 * count);
  for (int step = 0; step < n - 1; ++step) {
    const int received = rank - step - 2;
    schedule.send(wrapRank(rank + 1, n), step == 0 ? inputBlock(rank - 1) : slot(step - 1));
    schedule.recvReduce(wrapRank(rank - 1, n), inputBlock(received), step == n - 2 ? outputSpan(0, count) : slot(step),
                        OperandOrder::SrcSecond);
    schedule.beginRound();
  }
  if (n == 1) schedule.copy(inputSpan(0, count), outputSpan(0, count));
  schedule.finalize(outputSpan(0, count));
}

}  // namespace hoop
