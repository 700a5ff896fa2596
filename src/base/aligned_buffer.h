// A growable, 64-byte aligned scratch buffer that keeps its memory between uses, so hot
// paths never allocate after the first call of a given size.
#pragma once

#include <stddef.h>
#include <stdlib.h>

namespace hoop {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { free(data_); }

  // Makes at least `bytes` available; false when the allocation fails. Contents are not kept.
  bool reserve(size_t bytes) {
    if (bytes <= capacity_) return true;
    free(data_);
    data_ = nullptr;
    capacity_ = 0;
    void* fresh = nullptr;
    if (posix_memalign(&fresh, 64, bytes) != 0) return false;
    data_ = static_cast<char*>(fresh);
    capacity_ = bytes;
    return true;
  }

  char* data() { return data_; }
  size_t capacity() const { return capacity_; }

 private:
  char* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace hoop
