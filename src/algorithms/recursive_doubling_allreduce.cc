// Recursive-doubling all-reduce: the latency-optimal form for the smallest messages.
//
// With p = 2^k ranks, in step j rank v exchanges its whole partial result with v xor 2^j
// and both combine the two; after k steps every rank holds the full result, having paid k
// message latencies (against 2(n-1) for the ring) at the price of sending the whole buffer
// every step. Other rank counts are folded onto the largest power of two below them first
// (see PowerOfTwoFold): each folded-out rank hands its input to its partner before the
// exchanges and receives the finished result from it after them.
//
// Both partners of an exchange compute the same element from the same two operands, always
// in the order op(lower group, higher group), so they get the same bits even for an op that
// is not bitwise commutative; by induction every rank ends with the bits of one fixed
// reduction tree over the ranks in order. A partial result lives in the output buffer (the
// input is copied there first, a no-op in place); the partner's copy is received into
// scratch and combined at the start of the next round, so no round receives into memory it
// is sending.
#include "algorithms/builders.h"
#include "algorithms/topology.h"

namespace hoop {

void buildRecursiveDoublingAllReduce(const CollectiveShape& shape, Schedule& schedule) {
  const int rank = shape.rank;
  const size_t count = shape.count;
  const Span input = inputSpan(0, count);
  const Span output = outputSpan(0, count);
  const Span scratch = scratchSpan(0, count);
  const PowerOfTwoFold fold(shape.nranks);
  schedule.clear();

  if (fold.foldedOut(rank)) {
    schedule.beginRound();
    schedule.send(rank + 1, input);
    schedule.beginRound();
    schedule.recv(rank + 1, output);
    return;
  }
  schedule.needScratch(fold.p > 1 ? count : 0);
  schedule.beginRound();
  if (fold.absorbsPartner(rank)) {
    schedule.recvReduce(rank - 1, input, output, OperandOrder::SrcSecond);
    schedule.beginRound();
  } else {
    schedule.copy(input, output);
  }
  const int v = fold.virtualRank(rank);
  bool pending = false;
  OperandOrder pendingOrder = OperandOrder::SrcFirst;
  for (int mask = 1; mask < fold.p; mask <<= 1) {
    if (pending) schedule.reduce(scratch, output, pendingOrder);
    const int partner = v ^ mask;
    schedule.send(fold.realRank(partner), output);
    schedule.recv(fold.realRank(partner), scratch);
    // Scratch holds the partner's group; the lower group's data goes first.
    pending = true;
    pendingOrder = partner < v ? OperandOrder::SrcFirst : OperandOrder::SrcSecond;
    schedule.beginRound();
  }
  if (pending) schedule.reduce(scratch, output, pendingOrder);
  schedule.finalize(output);
  if (fold.absorbsPartner(rank)) schedule.send(rank - 1, output);
}

}  // namespace hoop
