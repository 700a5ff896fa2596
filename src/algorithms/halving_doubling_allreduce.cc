// Halving-doubling all-reduce (Rabenseifner): a reduce-scatter by recursive halving
// followed by an all-gather by recursive doubling.
//
// With p = 2^k ranks the buffer is cut into p parts (on cache-line boundaries). In halving
// step j (distance p/2, p/4, ..., 1) rank v and its partner v xor distance split the parts
// they are still responsible for: the lower rank keeps the lower half, sends the upper half
// and reduces the partner's copy of the lower half into its own; after k steps rank v owns
// the fully reduced part v and finalises it. The doubling steps then run the same pairs in
// reverse order, each rank sending everything it owns and receiving its partner's share,
// straight into the output. Each rank sends 2(p-1)/p of the buffer, as in the ring, but in
// 2 log2(p) steps instead of 2(n-1).
//
// Other rank counts are folded onto p = the largest power of two below n (PowerOfTwoFold):
// a folded-out rank gives its whole input to its partner first and receives the finished
// buffer from it last, one extra step at each end and never a linear phase. Every
// reduction combines (lower group, higher group) in that order; the owner of a part is the
// only rank that finishes it, and everyone else receives its bits.
#include "algorithms/builders.h"
#include "algorithms/partition.h"
#include "algorithms/recursive_halving.h"
#include "algorithms/topology.h"

namespace hoop {

void buildHalvingDoublingAllReduce(const CollectiveShape& shape, Schedule& schedule) {
  const int rank = shape.rank;
  const size_t count = shape.count;
  const PowerOfTwoFold fold(shape.nranks);
  schedule.clear();

  if (fold.foldedOut(rank)) {
    schedule.beginRound();
    schedule.send(rank + 1, inputSpan(0, count));
    schedule.beginRound();
    schedule.recv(rank + 1, outputSpan(0, count));
    return;
  }
  const size_t align = cacheLineElements(shape.elemSize);
  const size_t parts = static_cast<size_t>(fold.p);
  // Parts [first, last) as a span of `buffer`.
  auto partsSpan = [&](BufferId buffer, int first, int last) {
    const size_t begin = partBoundary(count, parts, static_cast<size_t>(first), align);
    return Span{buffer, begin, partBoundary(count, parts, static_cast<size_t>(last), align) - begin};
  };

  schedule.beginRound();
  BufferId data = BufferId::Input;  // where this rank's partial result lives
  if (fold.absorbsPartner(rank)) {
    schedule.recvReduce(rank - 1, inputSpan(0, count), outputSpan(0, count), OperandOrder::SrcSecond);
    schedule.beginRound();
    data = BufferId::Output;
  }
  if (fold.p == 1) schedule.copy(inputSpan(0, count), outputSpan(0, count));

  const int v = fold.virtualRank(rank);
  addRecursiveHalving(fold, v, data, BufferId::Output, partsSpan, schedule);
  schedule.finalize(partsSpan(BufferId::Output, v, v + 1));
  for (int distance = 1; distance < fold.p; distance *= 2) {
    const int partner = v ^ distance;
    const int mine = v & ~(distance - 1);
    const int theirs = partner & ~(distance - 1);
    schedule.send(fold.realRank(partner), partsSpan(BufferId::Output, mine, mine + distance));
    schedule.recv(fold.realRank(partner), partsSpan(BufferId::Output, theirs, theirs + distance));
    schedule.beginRound();
  }
  if (fold.absorbsPartner(rank)) schedule.send(rank - 1, outputSpan(0, count));
}

}  // namespace hoop
