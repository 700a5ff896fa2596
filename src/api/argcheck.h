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
// NULL buffers are accepted only with count == 0; count * element size must be at most
// PTRDIFF_MAX bytes (larger does not fit in the address space).
Status checkBuffer(const char* function, const char* name, const void* buffer, size_t count, hoopDataType_t datatype);
// `count` elements per rank times `nranks` must fit in size_t (all-gather, reduce-scatter).
Status checkPerRankCount(const char* function, size_t count, int nranks);
Status checkRoot(const char* function, int root, int nranks);
// The call is in place (`inPlace`, by the collective's rule) or its two buffers do not
// overlap at all; `rule` describes the in-place layout for the message.
Status checkInPlaceOrDisjoint(const char* function, const void* sendbuff, size_t sendBytes, const void* recvbuff,
                              size_t recvBytes, bool inPlace, const char* rule);
// Send and receive buffers of `count` elements each (all-reduce; broadcast and reduce at the
// root): checkBuffer on sendbuff, then on recvbuff, then the same pointer or disjoint.
Status checkSameCountBuffers(const char* function, const void* sendbuff, const void* recvbuff, size_t count,
                             hoopDataType_t datatype);

}  // namespace hoop

// Records the error on `comm` and returns its code from the enclosing API function.
#define HOOP_API_CHECK(comm, expr)                                               \
  do {                                                                           \
    ::hoop::Status check_ = (expr);                                              \
    if (!check_.isOk()) return ::hoop::recordError((comm), check_);              \
  } while (0)
