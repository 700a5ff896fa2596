// One funnel for validating public arguments. Each check returns hoopInvalidArgument with
// a message naming the function, the argument and its value.
#pragma once

#include <stddef.h>

#include "base/status.h"
#include "core/comm.h"

namespace hoop {

Status checkComm(const char* function, const hoopComm* comm);
Status checkOutPointer(const char* function, const char* name, const void* pointer);
Status checkDatatype(const char* function, hoopDataType_t datatype);
Status checkOp(const char* function, hoopRedOp_t op);
// Host communicators take no stream (NULL); device communicators take any, NULL included.
Status checkStream(const char* function, const hoopComm* comm, hoopStream_t stream);
Status checkPositive(const char* function, const char* name, int value);
// A device list for hoopCommInitAll: ndev entries, each a device index in [0, deviceCount).
Status checkDeviceList(const char* function, int ndev, const int* devlist, int deviceCount);
// NULL buffers are accepted only with count == 0; count * element size must fit in size_t.
Status checkBuffer(const char* function, const char* name, const void* buffer, size_t count, hoopDataType_t datatype);
// The two buffers are the same pointer (in place) or do not overlap at all.
Status checkInPlaceOrDisjoint(const char* function, const void* sendbuff, const void* recvbuff, size_t bytes);

}  // namespace hoop

// Records the error on `comm` and returns its code from the enclosing API function.
#define HOOP_API_CHECK(comm, expr)                                               \
  do {                                                                           \
    ::hoop::Status check_ = (expr);                                              \
    if (!check_.isOk()) return ::hoop::recordError((comm), check_);              \
  } while (0)
