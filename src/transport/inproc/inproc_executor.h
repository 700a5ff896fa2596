#pragma once

#include <vector>

#include "transport/executor.h"

namespace hoop {

// Runs one collective for schedules.size() simulated ranks inside this process, rank r with
// schedules[r] on buffers[r]. Besides moving the data it checks the schedule contract of
// algorithms/schedule.h: matching message sizes, peers in range, no hazard inside a round,
// no message left over, and no deadlock even if every send waited for its receiver.
Status runInProcess(const std::vector<const Schedule*>& schedules, const std::vector<Buffers>& buffers,
                    const ReduceSpec& spec);

}  // namespace hoop
