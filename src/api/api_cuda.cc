// Public entry points for single-process device communicators and call groups.
#include <new>

#include "api/argcheck.h"
#include "core/comm_registry.h"
#include "hoop/hoop_cuda.h"
#include "transport/group.h"
#if HOOP_HAVE_CUDA
#include "core/comm_cuda.h"
#endif

using hoop::recordError;

extern "C" {

hoopResult_t hoopCommInitAll(hoopComm_t* comms, int ndev, const int* devlist) {
  static const char* const kName = "hoopCommInitAll";
  HOOP_API_CHECK(nullptr, hoop::checkOutPointer(kName, "comms", comms));
  HOOP_API_CHECK(nullptr, hoop::checkPositive(kName, "ndev", ndev));
  for (int i = 0; i < ndev; ++i) comms[i] = nullptr;
#if HOOP_HAVE_CUDA
  int deviceCount = 0;
  hoop::Status status = hoop::visibleCudaDevices(&deviceCount);
  if (status.isOk()) status = hoop::checkDeviceList(kName, ndev, devlist, deviceCount);
  std::vector<std::unique_ptr<hoopComm>> created;
  if (status.isOk()) {
    try {
      status = hoop::createCliqueComms(ndev, devlist, &created);
    } catch (const std::bad_alloc&) {
      status = hoop::Status(hoopSystemError, "out of memory");
    }
  }
  if (!status.isOk()) {
    const bool argument = status.code() == hoopInvalidArgument;
    return recordError(nullptr, argument ? status : hoop::Status(status.code(), std::string(kName) + ": " + status.message()));
  }
  for (int i = 0; i < ndev; ++i) {
    hoop::registerComm(created[i].get());
    comms[i] = created[i].release();
  }
  return hoopSuccess;
#else
  (void)devlist;
  return recordError(nullptr, hoop::Status(hoopInvalidUsage, std::string(kName) + ": this libhoop was built without "
                                                                                    "CUDA (configure with HOOP_WITH_CUDA=ON)"));
#endif
}

hoopResult_t hoopGroupStart(void) {
  hoop::groupStart();
  return hoopSuccess;
}

hoopResult_t hoopGroupEnd(void) {
  try {
    return recordError(nullptr, hoop::groupEnd());
  } catch (const std::bad_alloc&) {
    return recordError(nullptr, hoop::Status(hoopSystemError, "hoopGroupEnd: out of memory"));
  }
}

}  // extern "C"
