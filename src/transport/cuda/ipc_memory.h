// Device memory shared between the processes of one node with CUDA IPC.
//
// A sender names a span of its device memory by the IPC handle of the cudaMalloc allocation
// that holds it and the span's offset in that allocation (exportAddress). The receiver maps
// the allocation into its own address space once and keeps the mapping (IpcMappings): a
// handle names one allocation for as long as it lives, so a later span of the same
// allocation costs no driver call. A freed and reallocated buffer comes with a new handle and
// gets a new mapping; the oldest mappings are closed when there are more than the capacity,
// after the device has finished the work queued on it (so nothing still reads them).
#pragma once

#include <cuda_runtime.h>
#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "base/status.h"

namespace hoop {

// Where a span of device memory lies, in terms another process can open.
struct IpcAddress {
  cudaIpcMemHandle_t allocation;
  uint64_t offset;  // bytes from the allocation's start
};

// The IPC address of `pointer`, which must lie in memory from cudaMalloc (not the stream-
// ordered allocator, managed or host memory: CUDA IPC cannot export those).
Status exportAddress(const void* pointer, IpcAddress* address);

// The peers' allocations this process has opened, by peer and handle.
class IpcMappings {
 public:
  explicit IpcMappings(size_t capacity) : capacity_(capacity) {}
  ~IpcMappings();
  IpcMappings(const IpcMappings&) = delete;
  IpcMappings& operator=(const IpcMappings&) = delete;

  // The address, in this process, of `address` in the memory of rank `peer`; opens the
  // allocation on its first use. The current device must be the one that reads it.
  Status resolve(int peer, const IpcAddress& address, const char** pointer);

 private:
  struct Mapping {
    int peer;
    cudaIpcMemHandle_t allocation;
    char* base;
    uint64_t lastUse;
  };

  Status closeLeastRecentlyUsed();

  size_t capacity_;
  std::vector<Mapping> mappings_;
  uint64_t clock_ = 0;
};

}  // namespace hoop
