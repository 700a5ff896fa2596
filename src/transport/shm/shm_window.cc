#include "transport/shm/shm_window.h"

#include <string.h>

namespace hoop {

ShmWindow::~ShmWindow() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (window_ != MPI_WIN_NULL && !finalized) MPI_Win_free(&window_);
}

namespace {

constexpr size_t kCacheLine = 64;

}  // namespace

Status ShmWindow::create(MPI_Comm nodeComm, size_t bytesPerRank) {
  int size = 0;
  MPI_Comm_rank(nodeComm, &localRank_);
  MPI_Comm_size(nodeComm, &size);
  // One cache line more than asked, so that every segment can start on a cache line: the
  // library may place segments at any offset, and the counters in them must be aligned.
  const size_t bytes = (bytesPerRank + kCacheLine + 4095) / 4096 * 4096;
  MPI_Info info;
  MPI_Info_create(&info);
  MPI_Info_set(info, "alloc_shared_noncontig", "true");  // each segment on its own pages
  char* mine = nullptr;
  int rc = MPI_Win_allocate_shared(static_cast<MPI_Aint>(bytes), 1, info, nodeComm, &mine, &window_);
  MPI_Info_free(&info);
  if (rc != MPI_SUCCESS) {
    return Status(hoopSystemError, format("MPI_Win_allocate_shared of %zu bytes failed with code %d", bytes, rc));
  }
  memset(mine, 0, bytes);
  segments_.assign(static_cast<size_t>(size), nullptr);
  for (int r = 0; r < size; ++r) {
    MPI_Aint peerBytes = 0;
    int unit = 0;
    char* base = nullptr;
    rc = MPI_Win_shared_query(window_, r, &peerBytes, &unit, &base);
    if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Win_shared_query(%d) failed with code %d", r, rc));
    // Mappings start on pages in every process, so this offset is the same for all ranks.
    const uintptr_t address = reinterpret_cast<uintptr_t>(base);
    segments_[static_cast<size_t>(r)] = base + ((kCacheLine - address % kCacheLine) % kCacheLine);
  }
  // Every segment is zeroed before anyone reads a flag in it.
  rc = MPI_Barrier(nodeComm);
  if (rc != MPI_SUCCESS) return Status(hoopSystemError, format("MPI_Barrier on the node failed with code %d", rc));
  return Status::ok();
}

}  // namespace hoop
