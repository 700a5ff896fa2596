// Public entry points for communicators, versions and errors.
#include "api/argcheck.h"
#include "core/collective_call.h"
#include "core/comm_registry.h"
#include "hoop/hoop_cuda.h"

using hoop::recordError;

namespace {

// Copies one of a live, unaborted communicator's properties to the out-pointer `name`.
hoopResult_t queryComm(const char* function, hoopComm_t comm, const char* name, int* out, int hoopComm::*property) {
  HOOP_API_CHECK(nullptr, hoop::checkComm(function, comm));
  HOOP_API_CHECK(comm, hoop::checkNotAborted(function, comm));
  HOOP_API_CHECK(comm, hoop::checkOutPointer(function, name, out));
  *out = comm->*property;
  return hoopSuccess;
}

}  // namespace

extern "C" {

const char* hoopGetErrorString(hoopResult_t result) {
  switch (result) {
    case hoopSuccess: return "no error";
    case hoopUnhandledCudaError: return "unhandled cuda error (run with HOOP_DEBUG=INFO for details)";
    case hoopSystemError: return "unhandled system error (run with HOOP_DEBUG=INFO for details)";
    case hoopInternalError: return "internal error - please report this issue to the hoop developers";
    case hoopInvalidArgument: return "invalid argument (run with HOOP_DEBUG=INFO for details)";
    case hoopInvalidUsage: return "invalid usage (run with HOOP_DEBUG=INFO for details)";
    case hoopRemoteError: return "remote process exited or there was a network error";
    case hoopInProgress: return "operation in progress";
    case hoopTimeout: return "operation timed out";
    case hoopNumResults: break;
  }
  return "unknown result code";
}

const char* hoopGetLastError(hoopComm_t comm) {
  if (comm != nullptr && hoop::isLiveComm(comm)) return comm->lastError.c_str();
  return hoop::threadLastError().c_str();
}

hoopResult_t hoopGetVersion(int* version) {
  HOOP_API_CHECK(nullptr, hoop::checkOutPointer("hoopGetVersion", "version", version));
  *version = HOOP_VERSION_CODE;
  return hoopSuccess;
}

hoopResult_t hoopCommDestroy(hoopComm_t comm) {
  if (comm == nullptr) return hoopSuccess;  // like free(NULL)
  HOOP_API_CHECK(nullptr, hoop::checkComm("hoopCommDestroy", comm));
  hoop::unregisterComm(comm);
  delete comm;
  return hoopSuccess;
}

hoopResult_t hoopCommAbort(hoopComm_t comm) {
  if (comm == nullptr) return hoopSuccess;  // as ncclCommAbort
  HOOP_API_CHECK(nullptr, hoop::checkComm("hoopCommAbort", comm));
  comm->aborted.store(true);
  return hoopSuccess;
}

hoopResult_t hoopCommRank(hoopComm_t comm, int* rank) {
  return queryComm("hoopCommRank", comm, "rank", rank, &hoopComm::rank);
}

hoopResult_t hoopCommCuDevice(hoopComm_t comm, int* device) {
  return queryComm("hoopCommCuDevice", comm, "device", device, &hoopComm::device);
}

hoopResult_t hoopCommCount(hoopComm_t comm, int* count) {
  return queryComm("hoopCommCount", comm, "count", count, &hoopComm::nranks);
}

}  // extern "C"
