// The device API's argument checks and group bookkeeping, which need no GPU: this test runs
// (and must pass) on every machine. Without a GPU, hoopCommInitAll must fail cleanly, naming
// the CUDA error, and leave every handle NULL.
#include <cuda_runtime.h>
#include <string.h>

#include "gpu_test.h"
#include "hoop/hoop_cuda.h"

int main() {
  hoopComm_t comms[3] = {nullptr, nullptr, nullptr};
  CHECK(hoopCommInitAll(nullptr, 1, nullptr) == hoopInvalidArgument, "NULL comms");
  CHECK(strstr(hoopGetLastError(nullptr), "comms is NULL") != nullptr, "message: %s", hoopGetLastError(nullptr));
  CHECK(hoopCommInitAll(comms, 0, nullptr) == hoopInvalidArgument, "ndev 0");
  CHECK(strstr(hoopGetLastError(nullptr), "ndev is 0") != nullptr, "message: %s", hoopGetLastError(nullptr));
  const int negative[3] = {0, -1, 0};
  int deviceCount = 0;
  const bool haveGpu = cudaGetDeviceCount(&deviceCount) == cudaSuccess && deviceCount > 0;
  const hoopResult_t result = hoopCommInitAll(comms, 3, negative);
  CHECK(comms[0] == nullptr && comms[1] == nullptr && comms[2] == nullptr, "handles stay NULL on failure");
  if (haveGpu) {
    CHECK(result == hoopInvalidArgument, "devlist[1] = -1: got %d", result);
    CHECK(strstr(hoopGetLastError(nullptr), "devlist[1] is -1") != nullptr, "message: %s", hoopGetLastError(nullptr));
  } else {
    CHECK(result == hoopUnhandledCudaError, "no GPU: got %d", result);
    CHECK(strstr(hoopGetLastError(nullptr), "cudaGetDeviceCount") != nullptr, "message: %s", hoopGetLastError(nullptr));
  }
  int device = 0;
  CHECK(hoopCommCuDevice(nullptr, &device) == hoopInvalidArgument, "hoopCommCuDevice(NULL)");
  CHECK(hoopGroupEnd() == hoopInvalidUsage, "hoopGroupEnd without hoopGroupStart");
  CHECK(hoopGroupStart() == hoopSuccess && hoopGroupStart() == hoopSuccess, "nested hoopGroupStart");
  CHECK(hoopGroupEnd() == hoopSuccess && hoopGroupEnd() == hoopSuccess, "nested hoopGroupEnd with nothing queued");
  return hoop::gputest::finish();
}
