// Pipelined chains: the ring forms of broadcast and reduce.
//
// The ranks form a chain ordered around the ring from the root. The buffer is cut into
// segments; in round t the rank at chain position q passes on segment t - q while it
// receives segment t - q + 1, so all links carry a segment at once and the whole buffer
// crosses each link exactly once: S segments over n ranks take S + n - 2 rounds, which
// approaches the bandwidth bound when S is large against n (the tuner picks the segment).
//
// Broadcast: the chain starts at the root (its data is copied to its own output as well)
// and every other rank receives straight into its output.
//
// Reduce: the chain starts at root + 1 and ends at the root. Each rank combines the partial
// result of the ranks before it (first operand) with its own input (second) and passes it
// on; non-root ranks keep partial segments in two scratch slots, alternating, so a slot is
// never written while it is being sent. The root, last in the chain, combines into its
// output and finalises it. Each element is finished by the root alone.
#include "algorithms/builders.h"
#include "algorithms/topology.h"

namespace hoop {

void buildRingBroadcast(const CollectiveShape& shape, Schedule& schedule) {
  const int n = shape.nranks;
  const size_t count = shape.count;
  const int q = wrapRank(shape.rank - shape.root, n);
  const size_t segment = effectiveSegment(count, shape.segmentElements);
  const long long segments = static_cast<long long>(segmentsOf(count, segment));
  const int next = wrapRank(shape.rank + 1, n);
  const int prev = wrapRank(shape.rank - 1, n);
  schedule.clear();
  if (q == 0) schedule.copy(inputSpan(0, count), outputSpan(0, count));
  if (n == 1) return;
  const BufferId source = q == 0 ? BufferId::Input : BufferId::Output;
  for (long long t = 0; t < segments + n - 2; ++t) {
    const long long sendIndex = t - q;
    const long long recvIndex = t - q + 1;
    if (q < n - 1 && sendIndex >= 0 && sendIndex < segments) {
      schedule.send(next, segmentSpan(source, 0, count, segment, static_cast<size_t>(sendIndex)));
    }
    if (q > 0 && recvIndex >= 0 && recvIndex < segments) {
      schedule.recv(prev, segmentSpan(BufferId::Output, 0, count, segment, static_cast<size_t>(recvIndex)));
    }
    schedule.beginRound();
  }
}

void buildRingReduce(const CollectiveShape& shape, Schedule& schedule) {
  const int n = shape.nranks;
  const size_t count = shape.count;
  const int p = wrapRank(shape.rank - shape.root - 1, n);  // the root is last, at n - 1
  const size_t segment = effectiveSegment(count, shape.segmentElements);
  const long long segments = static_cast<long long>(segmentsOf(count, segment));
  const int next = wrapRank(shape.rank + 1, n);
  const int prev = wrapRank(shape.rank - 1, n);
  const bool root = p == n - 1;
  schedule.clear();
  if (n == 1) {
    schedule.copy(inputSpan(0, count), outputSpan(0, count));
    schedule.finalize(outputSpan(0, count));
    return;
  }
  if (!root && p > 0) schedule.needScratch(2 * segment);
  // Where this rank's partial result of segment `index` lives.
  auto partial = [&](long long index) {
    const Span in = segmentSpan(BufferId::Input, 0, count, segment, static_cast<size_t>(index));
    if (root) return Span{BufferId::Output, in.offset, in.count};
    if (p == 0) return in;
    return scratchSpan(static_cast<size_t>(index % 2) * segment, in.count);
  };
  for (long long t = 0; t < segments + n - 2; ++t) {
    const long long sendIndex = t - p;
    const long long recvIndex = t - p + 1;
    if (!root && sendIndex >= 0 && sendIndex < segments) schedule.send(next, partial(sendIndex));
    if (p > 0 && recvIndex >= 0 && recvIndex < segments) {
      const Span in = segmentSpan(BufferId::Input, 0, count, segment, static_cast<size_t>(recvIndex));
      schedule.recvReduce(prev, in, partial(recvIndex), OperandOrder::SrcSecond);
    }
    schedule.beginRound();
  }
  if (root) schedule.finalize(outputSpan(0, count));
}

}  // namespace hoop
