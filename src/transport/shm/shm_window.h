// The node's shared memory: one MPI-3 shared window (MPI_Win_allocate_shared) over the
// ranks of a node communicator, each rank contributing a segment of the same size that
// every rank of the node can load from and store to.
#pragma once

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include <atomic>
#include <vector>

#include "base/status.h"

namespace hoop {

// A 64-bit counter alone on its cache line, so that flags written by different ranks never
// share a line.
struct alignas(64) SharedCounter {
  std::atomic<uint64_t> value;
  char pad[64 - sizeof(std::atomic<uint64_t>)];
};
static_assert(sizeof(SharedCounter) == 64, "one counter per cache line");
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared counters must be lock-free");

// `bytes` rounded up to whole cache lines, so that what follows starts on a line of its own.
inline size_t roundUpToCacheLine(size_t bytes) { return (bytes + 63) / 64 * 64; }

class ShmWindow {
 public:
  ShmWindow() = default;
  ~ShmWindow();
  ShmWindow(const ShmWindow&) = delete;
  ShmWindow& operator=(const ShmWindow&) = delete;

  // Collective over `nodeComm` (all of whose ranks must share memory): allocates
  // `bytesPerRank` bytes per rank, zeroed, and maps every rank's segment.
  Status create(MPI_Comm nodeComm, size_t bytesPerRank);

  char* segment(int localRank) const { return segments_[static_cast<size_t>(localRank)]; }
  int localRank() const { return localRank_; }
  int localSize() const { return static_cast<int>(segments_.size()); }

 private:
  MPI_Win window_ = MPI_WIN_NULL;
  int localRank_ = 0;
  std::vector<char*> segments_;
};

}  // namespace hoop
