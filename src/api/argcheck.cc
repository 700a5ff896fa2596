#include "api/argcheck.h"

#include <stdint.h>

#include "core/comm_registry.h"
#include "reduce/cpu_reducer.h"

namespace hoop {

Status checkComm(const char* function, const hoopComm* comm) {
  if (comm == nullptr) return Status(hoopInvalidArgument, format("%s: comm is NULL", function));
  if (!isLiveComm(comm)) {
    return Status(hoopInvalidArgument, format("%s: comm %p is not a live communicator (destroyed?)", function,
                                              static_cast<const void*>(comm)));
  }
  return Status::ok();
}

Status checkOutPointer(const char* function, const char* name, const void* pointer) {
  if (pointer == nullptr) return Status(hoopInvalidArgument, format("%s: %s is NULL", function, name));
  return Status::ok();
}

Status checkDatatype(const char* function, hoopDataType_t datatype) {
  if (dataTypeSize(datatype) == 0) {
    return Status(hoopInvalidArgument, format("%s: unknown datatype %d (valid: 0..%d)", function,
                                              static_cast<int>(datatype), hoopNumTypes - 1));
  }
  return Status::ok();
}

Status checkOp(const char* function, hoopRedOp_t op) {
  if (static_cast<int>(op) < 0 || static_cast<int>(op) >= hoopNumOps) {
    return Status(hoopInvalidArgument,
                  format("%s: unknown reduction op %d (valid: 0..%d)", function, static_cast<int>(op), hoopNumOps - 1));
  }
  return Status::ok();
}

Status checkStream(const char* function, const hoopComm* comm, hoopStream_t stream) {
  if (comm->device < 0 && stream != nullptr) {
    return Status(hoopInvalidArgument, format("%s: stream must be NULL for a host communicator", function));
  }
  return Status::ok();
}

Status checkPositive(const char* function, const char* name, int value) {
  if (value < 1) return Status(hoopInvalidArgument, format("%s: %s is %d; it must be at least 1", function, name, value));
  return Status::ok();
}

Status checkDeviceList(const char* function, int ndev, const int* devlist, int deviceCount) {
  if (devlist == nullptr && ndev > deviceCount) {
    return Status(hoopInvalidArgument, format("%s: devlist is NULL (devices 0..ndev-1) but ndev %d exceeds the %d "
                                              "visible device(s); pass a devlist to put several ranks on one device",
                                              function, ndev, deviceCount));
  }
  if (devlist == nullptr) return Status::ok();
  for (int i = 0; i < ndev; ++i) {
    if (devlist[i] < 0 || devlist[i] >= deviceCount) {
      return Status(hoopInvalidArgument, format("%s: devlist[%d] is %d; valid devices are 0..%d", function, i, devlist[i],
                                                deviceCount - 1));
    }
  }
  return Status::ok();
}

Status checkBuffer(const char* function, const char* name, const void* buffer, size_t count, hoopDataType_t datatype) {
  const size_t elemSize = dataTypeSize(datatype);
  size_t bytes = 0;
  // No object is larger than PTRDIFF_MAX bytes: a larger count is a bad count, not a buffer.
  if (__builtin_mul_overflow(count, elemSize, &bytes) || bytes > static_cast<size_t>(PTRDIFF_MAX)) {
    return Status(hoopInvalidArgument, format("%s: count %zu of %zu-byte elements overflows the address space",
                                              function, count, elemSize));
  }
  if (buffer == nullptr && count > 0) {
    return Status(hoopInvalidArgument, format("%s: %s is NULL with count %zu", function, name, count));
  }
  return Status::ok();
}

Status checkPerRankCount(const char* function, size_t count, int nranks) {
  size_t total = 0;
  if (__builtin_mul_overflow(count, static_cast<size_t>(nranks), &total)) {
    return Status(hoopInvalidArgument, format("%s: count %zu times %d ranks overflows size_t", function, count, nranks));
  }
  return Status::ok();
}

Status checkRoot(const char* function, int root, int nranks) {
  if (root < 0 || root >= nranks) {
    return Status(hoopInvalidArgument, format("%s: root %d is not a rank of this communicator (valid: 0..%d)", function,
                                              root, nranks - 1));
  }
  return Status::ok();
}

Status checkInPlaceOrDisjoint(const char* function, const void* sendbuff, size_t sendBytes, const void* recvbuff,
                              size_t recvBytes, bool inPlace, const char* rule) {
  if (inPlace || sendBytes == 0 || recvBytes == 0) return Status::ok();
  const uintptr_t send = reinterpret_cast<uintptr_t>(sendbuff);
  const uintptr_t recv = reinterpret_cast<uintptr_t>(recvbuff);
  if (send < recv + recvBytes && recv < send + sendBytes) {
    return Status(hoopInvalidArgument,
                  format("%s: sendbuff %p (%zu bytes) and recvbuff %p (%zu bytes) overlap; for in place pass %s",
                         function, sendbuff, sendBytes, recvbuff, recvBytes, rule));
  }
  return Status::ok();
}

Status checkSameCountBuffers(const char* function, const void* sendbuff, const void* recvbuff, size_t count,
                             hoopDataType_t datatype) {
  HOOP_RETURN_IF_ERROR(checkBuffer(function, "sendbuff", sendbuff, count, datatype));
  HOOP_RETURN_IF_ERROR(checkBuffer(function, "recvbuff", recvbuff, count, datatype));
  const size_t bytes = count * dataTypeSize(datatype);
  return checkInPlaceOrDisjoint(function, sendbuff, bytes, recvbuff, bytes, sendbuff == recvbuff, "the same pointer");
}

}  // namespace hoop
