// Device staging memory kept between calls: grown when a call needs more, never shrunk.
#pragma once

#include <cuda_runtime.h>
#include <stddef.h>

#include "transport/cuda/cuda_status.h"

namespace hoop {

// Makes *buffer (of *bytes, on the current device) hold at least `needed` bytes; the
// contents are not kept. cudaFree waits for the device, so no queued work still uses the
// old memory.
inline Status growDeviceStaging(void** buffer, size_t* bytes, size_t needed) {
  if (needed <= *bytes) return Status::ok();
  HOOP_CUDA_RETURN_IF_ERROR(cudaFree(*buffer));
  *buffer = nullptr;
  *bytes = 0;
  HOOP_CUDA_RETURN_IF_ERROR(cudaMalloc(buffer, needed));
  *bytes = needed;
  return Status::ok();
}

}  // namespace hoop
