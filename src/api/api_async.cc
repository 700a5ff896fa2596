// Public entry points for asynchronous collectives and their requests: argument checks, then
// the communicator's progress engine (core/progress_engine.h).
#include <new>
#include <string>
#include <system_error>

#include "api/argcheck.h"
#include "core/collective_call.h"
#include "core/comm_registry.h"
#include "core/progress_engine.h"

using hoop::recordError;

namespace {

// The request behind *request, or an error when the handle is not a live one.
hoop::Status checkRequest(const char* function, const hoopRequest_t* request) {
  HOOP_RETURN_IF_ERROR(hoop::checkOutPointer(function, "request", request));
  const hoopRequest* live = *request;
  if (live == nullptr) return hoop::Status::ok();
  if (live->magic != hoopRequest::kLiveMagic || !hoop::isLiveComm(live->comm)) {
    return hoop::Status(hoopInvalidArgument,
                        hoop::format("%s: request %p is not a live request (already completed and freed?)", function,
                                     static_cast<const void*>(live)));
  }
  return hoop::Status::ok();
}

// Frees a completed request and returns its result, recorded on its communicator.
hoopResult_t finish(hoopRequest_t* request) {
  hoopRequest* done = *request;
  hoopComm* comm = done->comm;
  const hoop::Status status = done->status;
  comm->progress->release(done);
  *request = nullptr;
  return recordError(comm, status);
}

}  // namespace

extern "C" {

hoopResult_t hoopAllReduceAsync(const void* sendbuff, void* recvbuff, size_t count, hoopDataType_t datatype,
                                hoopRedOp_t op, hoopComm_t comm, hoopRequest_t* request) {
  static const char* const kName = "hoopAllReduceAsync";
  if (request != nullptr) *request = nullptr;  // no failure leaves a handle behind
  HOOP_API_CHECK(nullptr, hoop::checkComm(kName, comm));
  HOOP_API_CHECK(comm, hoop::checkOutPointer(kName, "request", request));
  HOOP_API_CHECK(comm, hoop::checkNotAborted(kName, comm));
  HOOP_API_CHECK(comm, hoop::checkDatatype(kName, datatype));
  HOOP_API_CHECK(comm, hoop::checkOp(kName, op));
  HOOP_API_CHECK(comm, hoop::checkSameCountBuffers(kName, sendbuff, recvbuff, count, datatype));
  try {
    const hoop::Status ready = hoop::ensureProgressEngine(comm);
    if (!ready.isOk()) return recordError(comm, hoop::Status(ready.code(), std::string(kName) + ": " + ready.message()));
    const hoop::CollectiveOp call{hoop::OpKind::AllReduce, sendbuff, recvbuff, count, datatype, op, 0};
    return recordError(comm, comm->progress->submit(call, request));
  } catch (const std::bad_alloc&) {
    return recordError(comm, hoop::Status(hoopSystemError, "hoopAllReduceAsync: out of memory"));
  } catch (const std::system_error& error) {
    return recordError(comm, hoop::Status(hoopSystemError,
                                          hoop::format("hoopAllReduceAsync: cannot start the communication thread: %s",
                                                       error.what())));
  }
}

hoopResult_t hoopTest(hoopRequest_t* request, int* done) {
  HOOP_API_CHECK(nullptr, checkRequest("hoopTest", request));
  HOOP_API_CHECK(*request != nullptr ? (*request)->comm : nullptr, hoop::checkOutPointer("hoopTest", "done", done));
  if (*request == nullptr) {
    *done = 1;
    return hoopSuccess;
  }
  *done = hoop::ProgressEngine::isDone(*request) ? 1 : 0;
  return *done ? finish(request) : hoopSuccess;
}

hoopResult_t hoopWait(hoopRequest_t* request) {
  HOOP_API_CHECK(nullptr, checkRequest("hoopWait", request));
  if (*request == nullptr) return hoopSuccess;
  (*request)->comm->progress->wait(*request);
  return finish(request);
}

}  // extern "C"
