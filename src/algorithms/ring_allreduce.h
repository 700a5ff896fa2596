#pragma once

#include <stddef.h>

#include "algorithms/schedule.h"

namespace hoop {

// Builds rank `rank`'s schedule of the ring all-reduce of `count` elements over `nranks`.
void buildRingAllReduce(int rank, int nranks, size_t count, size_t elemSize, Schedule& schedule);

}  // namespace hoop
