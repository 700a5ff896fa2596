// The set of live communicators, so that a call on a destroyed or never-created handle is
// reported as an error instead of touching freed memory.
#pragma once

#include "core/comm.h"

namespace hoop {

void registerComm(hoopComm* comm);
void unregisterComm(hoopComm* comm);
bool isLiveComm(const hoopComm* comm);

}  // namespace hoop
