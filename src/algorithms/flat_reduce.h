#pragma once

#include <stddef.h>

#include "algorithms/schedule.h"

namespace hoop {

// Builds rank `rank`'s schedule of the flat reduce of `count` elements to `root`: the root's
// output receives op over all ranks' inputs; other ranks' outputs are untouched.
void buildFlatReduce(int rank, int nranks, int root, size_t count, Schedule& schedule);

}  // namespace hoop
