#pragma once

#include <stddef.h>

#include "algorithms/schedule.h"

namespace hoop {

// Builds rank `rank`'s schedule of the flat broadcast of `count` elements from `root`: every
// rank's output ends up holding the root's input.
void buildFlatBroadcast(int rank, int nranks, int root, size_t count, Schedule& schedule);

}  // namespace hoop
