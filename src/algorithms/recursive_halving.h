// Recursive halving: the reduce-scatter steps shared by the halving-doubling all-reduce and
// the recursive-halving reduce-scatter.
//
// The buffer is seen as fold.p groups, one per virtual rank, in order; groupSpan(buffer,
// first, last) is the span of groups [first, last) in `buffer`. In step j (distance p/2,
// p/4, ..., 1) virtual rank v and its partner v xor distance split the groups they still
// cover: each keeps the half containing itself, sends the other half and reduces the
// partner's copy of its own half into `result`, the lower group's data first. The first
// step reads from `data`, the later ones from `result`. Each step ends a round. Afterwards
// group v of `result` holds the full reduction, not yet finalised.
#pragma once

#include "algorithms/schedule.h"
#include "algorithms/topology.h"

namespace hoop {

template <typename GroupSpan>
void addRecursiveHalving(const PowerOfTwoFold& fold, int v, BufferId data, BufferId result, const GroupSpan& groupSpan,
                         Schedule& schedule) {
  int first = 0;
  int last = fold.p;
  for (int distance = fold.p / 2; distance >= 1; distance /= 2) {
    const int partner = v ^ distance;
    const int middle = first + distance;
    const bool lower = v < partner;
    const int keepFirst = lower ? first : middle;
    const int keepLast = lower ? middle : last;
    schedule.send(fold.realRank(partner), lower ? groupSpan(data, middle, last) : groupSpan(data, first, middle));
    schedule.recvReduce(fold.realRank(partner), groupSpan(data, keepFirst, keepLast),
                        groupSpan(result, keepFirst, keepLast),
                        lower ? OperandOrder::SrcFirst : OperandOrder::SrcSecond);
    data = result;
    first = keepFirst;
    last = keepLast;
    schedule.beginRound();
  }
}

}  // namespace hoop
