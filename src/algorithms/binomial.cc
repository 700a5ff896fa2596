// Binomial trees: broadcast, reduce, and all-reduce as a reduce followed by a broadcast.
//
// Ranks are numbered relative to the root, v = (rank - root) mod n. In the reduce, step j
// (distance 2^j) has every v with bit j set send its partial result to v - 2^j and stop,
// while v with bits 0..j clear receive from v + 2^j and combine (own group first, then the
// higher group); after ceil(log2 n) steps the root holds the result of one fixed reduction
// tree and finalises it. The broadcast is the same tree run from the top: v receives from
// v - lowbit(v) and then sends to v + 2^j for every 2^j below lowbit(v), largest first.
// Each step moves the whole buffer, so the cost is ceil(log2 n) latencies per phase with no
// pipelining: the form for tiny messages. Partial results of non-root ranks live in scratch
// (their output may not exist in a reduce).
#include "algorithms/builders.h"
#include "algorithms/topology.h"

namespace hoop {

namespace {

// The reduce towards `root`; the result lands in the root's output, unfinalised.
void appendBinomialReduce(const CollectiveShape& shape, int root, Schedule& schedule) {
  const int n = shape.nranks;
  const int v = wrapRank(shape.rank - root, n);
  const size_t count = shape.count;
  Span have = inputSpan(0, count);
  const Span partial = v == 0 ? outputSpan(0, count) : scratchSpan(0, count);
  for (int distance = 1; distance < n; distance *= 2) {
    if (v & distance) {
      schedule.send(wrapRank(v - distance + root, n), have);
      schedule.beginRound();
      return;
    }
    if (v + distance < n) {
      if (v != 0) schedule.needScratch(count);
      schedule.recvReduce(wrapRank(v + distance + root, n), have, partial, OperandOrder::SrcFirst);
      schedule.beginRound();
      have = partial;
    }
  }
  if (have.buffer == BufferId::Input) schedule.copy(have, outputSpan(0, count));  // a root without children
}

// The broadcast from `root`, whose data is in `source`; everyone else receives into output.
void appendBinomialBroadcast(const CollectiveShape& shape, int root, Span source, Schedule& schedule) {
  const int n = shape.nranks;
  const int v = wrapRank(shape.rank - root, n);
  int top = 1;
  while (top < n) top *= 2;
  int below = top;  // sends go to the distances below lowbit(v); the root sends from the top
  if (v != 0) {
    below = v & -v;
    schedule.recv(wrapRank(v - below + root, n), outputSpan(0, shape.count));
    schedule.beginRound();
    source = outputSpan(0, shape.count);
  }
  for (int distance = below / 2; distance >= 1; distance /= 2) {
    if (v + distance >= n) continue;
    schedule.send(wrapRank(v + distance + root, n), source);
    schedule.beginRound();
  }
}

}  // namespace

void buildBinomialBroadcast(const CollectiveShape& shape, Schedule& schedule) {
  schedule.clear();
  if (shape.rank == shape.root) schedule.copy(inputSpan(0, shape.count), outputSpan(0, shape.count));
  appendBinomialBroadcast(shape, shape.root, inputSpan(0, shape.count), schedule);
}

void buildBinomialReduce(const CollectiveShape& shape, Schedule& schedule) {
  schedule.clear();
  appendBinomialReduce(shape, shape.root, schedule);
  if (shape.rank == shape.root) schedule.finalize(outputSpan(0, shape.count));
}

void buildBinomialAllReduce(const CollectiveShape& shape, Schedule& schedule) {
  schedule.clear();
  appendBinomialReduce(shape, 0, schedule);
  if (shape.rank == 0) schedule.finalize(outputSpan(0, shape.count));
  appendBinomialBroadcast(shape, 0, outputSpan(0, shape.count), schedule);
}

}  // namespace hoop
