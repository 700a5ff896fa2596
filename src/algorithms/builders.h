// Every schedule builder, and the one entry point that dispatches to them.
//
// A builder fills `schedule` (cleared first) with rank shape.rank's part of the collective.
// Every builder works for every rank count, every count (0 and fewer elements than ranks
// included), every root, and both the in-place and the out-of-place buffer layout of its
// collective; the result of a given (algorithm, nranks, count) is computed in one fixed
// order, and every rank ends with the same bits.
#pragma once

#include "algorithms/collective.h"
#include "algorithms/schedule.h"

namespace hoop {

void buildRingAllReduce(const CollectiveShape& shape, Schedule& schedule);
void buildTreeAllReduce(const CollectiveShape& shape, Schedule& schedule);
void buildBinomialAllReduce(const CollectiveShape& shape, Schedule& schedule);
void buildHalvingDoublingAllReduce(const CollectiveShape& shape, Schedule& schedule);
void buildRecursiveDoublingAllReduce(const CollectiveShape& shape, Schedule& schedule);
void buildRingBroadcast(const CollectiveShape& shape, Schedule& schedule);
void buildBinomialBroadcast(const CollectiveShape& shape, Schedule& schedule);
void buildRingReduce(const CollectiveShape& shape, Schedule& schedule);
void buildBinomialReduce(const CollectiveShape& shape, Schedule& schedule);
void buildRingAllGather(const CollectiveShape& shape, Schedule& schedule);
void buildBruckAllGather(const CollectiveShape& shape, Schedule& schedule);
void buildRingReduceScatter(const CollectiveShape& shape, Schedule& schedule);
void buildRecursiveHalvingReduceScatter(const CollectiveShape& shape, Schedule& schedule);

// Builds with `algorithm`, which must support shape.collective (see algorithmSupports).
void buildSchedule(Algorithm algorithm, const CollectiveShape& shape, Schedule& schedule);

}  // namespace hoop
