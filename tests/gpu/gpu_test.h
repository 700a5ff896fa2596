// A small harness for the GPU test programs, which also build where GoogleTest is absent (the
// GPU machine): CHECK records a failure with its context and goes on; finish() prints the
// closing line and the exit code. A program that finds no usable GPU calls skip(), which
// prints why and exits with kSkipExitCode, which ctest reports as skipped (SKIP_RETURN_CODE).
#pragma once

#include <cuda_runtime.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

namespace hoop {
namespace gputest {

constexpr int kSkipExitCode = 77;

struct Tally {
  long passed = 0;
  long failed = 0;
};

inline Tally& tally() {
  static Tally counts;
  return counts;
}

inline bool check(bool ok, const char* file, int line, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
inline bool check(bool ok, const char* file, int line, const char* fmt, ...) {
  if (ok) {
    ++tally().passed;
    return true;
  }
  if (++tally().failed <= 50) {
    fprintf(stderr, "%s:%d: FAILED: ", file, line);
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
  }
  return false;
}

[[noreturn]] inline void skip(const char* reason) {
  printf("SKIPPED: %s\n", reason);
  fflush(stdout);
  exit(kSkipExitCode);
}

// The number of CUDA devices, or a skip when there is none this process can use.
inline int devicesOrSkip(int needed) {
  int count = 0;
  const cudaError_t error = cudaGetDeviceCount(&count);
  char reason[256];
  if (error != cudaSuccess) {
    snprintf(reason, sizeof reason, "no usable CUDA device (cudaGetDeviceCount: %s)", cudaGetErrorString(error));
    skip(reason);
  }
  if (count < needed) {
    snprintf(reason, sizeof reason, "needs %d CUDA device(s), %d visible", needed, count);
    skip(reason);
  }
  return count;
}

inline int finish() {
  printf("%ld passed, %ld failed\n", tally().passed, tally().failed);
  return tally().failed == 0 ? 0 : 1;
}

// Device memory freed at scope end.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t bytes) {
    if (cudaMalloc(&data_, bytes == 0 ? 1 : bytes) != cudaSuccess) {
      fprintf(stderr, "cudaMalloc of %zu bytes failed\n", bytes);
      exit(1);
    }
  }
  ~DeviceBuffer() { cudaFree(data_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  char* get() const { return static_cast<char*>(data_); }

 private:
  void* data_ = nullptr;
};

}  // namespace gputest
}  // namespace hoop

#define CHECK(cond, ...) ::hoop::gputest::check((cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_CUDA(call)                                                                                   \
  do {                                                                                                     \
    const cudaError_t checkError_ = (call);                                                                \
    if (checkError_ != cudaSuccess) {                                                                      \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(checkError_)); \
      exit(1);                                                                                             \
    }                                                                                                      \
  } while (0)
