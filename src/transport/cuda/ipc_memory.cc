#include "transport/cuda/ipc_memory.h"

#include <cudaTypedefs.h>
#include <string.h>

#include <mutex>

#include "transport/cuda/cuda_status.h"

namespace hoop {

namespace {

// cuMemGetAddressRange, found through the runtime so that libhoop needs no link to the
// driver library (machines without a GPU driver still load it).
Status addressRangeFunction(PFN_cuMemGetAddressRange_v3020* function) {
  static std::once_flag once;
  static void* found = nullptr;
  static cudaError_t error = cudaSuccess;
  static cudaDriverEntryPointQueryResult query = cudaDriverEntryPointSuccess;
  std::call_once(once, [] {
    error = cudaGetDriverEntryPointByVersion("cuMemGetAddressRange", &found, 3020, cudaEnableDefault, &query);
  });
  if (error != cudaSuccess) return cudaFailure("cudaGetDriverEntryPointByVersion(cuMemGetAddressRange)", error);
  if (query != cudaDriverEntryPointSuccess || found == nullptr) {
    return Status(hoopUnhandledCudaError, "the CUDA driver has no cuMemGetAddressRange");
  }
  *function = reinterpret_cast<PFN_cuMemGetAddressRange_v3020>(found);
  return Status::ok();
}

}  // namespace

Status exportAddress(const void* pointer, IpcAddress* address) {
  PFN_cuMemGetAddressRange_v3020 addressRange = nullptr;
  HOOP_RETURN_IF_ERROR(addressRangeFunction(&addressRange));
  CUdeviceptr base = 0;
  size_t size = 0;
  const CUdeviceptr at = reinterpret_cast<CUdeviceptr>(pointer);
  const CUresult result = addressRange(&base, &size, at);
  if (result != CUDA_SUCCESS) {
    return Status(hoopInvalidArgument, format("buffer %p is not device memory this process allocated with cudaMalloc "
                                              "(cuMemGetAddressRange: error %d); CUDA IPC cannot share it",
                                              pointer, static_cast<int>(result)));
  }
  const cudaError_t error = cudaIpcGetMemHandle(&address->allocation, reinterpret_cast<void*>(base));
  if (error != cudaSuccess) {
    cudaGetLastError();
    return Status(hoopInvalidArgument, format("buffer %p cannot be shared with CUDA IPC (cudaIpcGetMemHandle: %s); "
                                              "allocate it with cudaMalloc, not cudaMallocAsync or cudaMallocManaged",
                                              pointer, cudaGetErrorString(error)));
  }
  address->offset = at - base;
  return Status::ok();
}

IpcMappings::~IpcMappings() {
  for (const Mapping& mapping : mappings_) cudaIpcCloseMemHandle(mapping.base);
}

Status IpcMappings::resolve(int peer, const IpcAddress& address, const char** pointer) {
  ++clock_;
  for (Mapping& mapping : mappings_) {
    if (mapping.peer == peer && memcmp(&mapping.allocation, &address.allocation, sizeof address.allocation) == 0) {
      mapping.lastUse = clock_;
      *pointer = mapping.base + address.offset;
      return Status::ok();
    }
  }
  if (mappings_.size() >= capacity_) HOOP_RETURN_IF_ERROR(closeLeastRecentlyUsed());
  void* base = nullptr;
  const cudaError_t error = cudaIpcOpenMemHandle(&base, address.allocation, cudaIpcMemLazyEnablePeerAccess);
  if (error != cudaSuccess) {
    return Status(hoopUnhandledCudaError, format("cannot map rank %d's buffer (cudaIpcOpenMemHandle: %s)", peer,
                                                 cudaGetErrorString(error)));
  }
  mappings_.push_back(Mapping{peer, address.allocation, static_cast<char*>(base), clock_});
  *pointer = static_cast<char*>(base) + address.offset;
  return Status::ok();
}

Status IpcMappings::closeLeastRecentlyUsed() {
  size_t oldest = 0;
  for (size_t i = 1; i < mappings_.size(); ++i) {
    if (mappings_[i].lastUse < mappings_[oldest].lastUse) oldest = i;
  }
  HOOP_CUDA_RETURN_IF_ERROR(cudaDeviceSynchronize());
  HOOP_CUDA_RETURN_IF_ERROR(cudaIpcCloseMemHandle(mappings_[oldest].base));
  mappings_.erase(mappings_.begin() + static_cast<std::ptrdiff_t>(oldest));
  return Status::ok();
}

}  // namespace hoop
