// Ring all-reduce: a reduce-scatter followed by an all-gather around a ring.
//
// The buffer is cut into nranks chunks. Rank r sends to r+1 and receives from r-1. In
// reduce-scatter step s (s = 0 .. n-2) rank r sends chunk r-s and receives chunk r-s-1,
// which it reduces with its own input; after n-1 steps rank r holds the fully reduced chunk
// r+1 (a sum in the fixed order r+2, r+3, ..., r+1, so the result never depends on timing).
// The owner applies the op's finalisation (avg's division) to that chunk, then the
// all-gather passes the finished chunks around the ring: in step s rank r sends chunk
// r+1-s and receives chunk r-s straight into its output. Every element of the output is
// written once by the owner or by a received copy of the owner's bits, so all ranks hold
// bitwise identical results. Each rank sends and receives 2(n-1)/n of the buffer, the
// bandwidth optimum; the cost is 2(n-1) latency steps. The transport pipelines each step
// in segments.
#include "algorithms/builders.h"
#include "algorithms/partition.h"
#include "algorithms/topology.h"

namespace hoop {

void buildRingAllReduce(const CollectiveShape& shape, Schedule& schedule) {
  const int rank = shape.rank;
  const int nranks = shape.nranks;
  const size_t count = shape.count;
  schedule.clear();
  if (nranks == 1) {
    schedule.beginRound();
    schedule.copy(inputSpan(0, count), outputSpan(0, count));
    schedule.finalize(outputSpan(0, count));
    return;
  }
  const size_t align = cacheLineElements(shape.elemSize);
  const size_t parts = static_cast<size_t>(nranks);
  auto chunk = [&](BufferId buffer, int index) {
    const Range range = partRange(count, parts, static_cast<size_t>(wrapRank(index, nranks)), align);
    return Span{buffer, range.offset, range.count};
  };
  const int next = (rank + 1) % nranks;
  const int prev = (rank + nranks - 1) % nranks;

  for (int step = 0; step < nranks - 1; ++step) {
    schedule.beginRound();
    schedule.send(next, chunk(step == 0 ? BufferId::Input : BufferId::Output, rank - step));
    schedule.recvReduce(prev, chunk(BufferId::Input, rank - step - 1), chunk(BufferId::Output, rank - step - 1));
  }
  for (int step = 0; step < nranks - 1; ++step) {
    schedule.beginRound();
    if (step == 0) schedule.finalize(chunk(BufferId::Output, rank + 1));
    schedule.send(next, chunk(BufferId::Output, rank + 1 - step));
    schedule.recv(prev, chunk(BufferId::Output, rank - step));
  }
}

}  // namespace hoop
