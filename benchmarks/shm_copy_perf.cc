// shm_copy_perf: ways for one rank to take a peer's buffer on the same node, at 2 ranks.
//
// Rank 0 copies `size` bytes that rank 1 holds into its own private buffer by:
//   staged     rank 1 copies into a shared segment (MPI_Win_allocate_shared), rank 0 copies
//              out: two copies, the transport's default for data in private user memory;
//   cma        process_vm_readv straight from rank 1's private buffer: one copy in the kernel;
//   shared     a load from the peer's buffer that already lives in a shared segment (what a
//              buffer registered with the window would allow): one copy;
//   win+get    MPI_Win_create over the private buffer, MPI_Get, MPI_Win_free: a copy plus
//              the registration, paid per call when user buffers change;
//   get        MPI_Get on a window created once.
// Each figure is size / median time of the copy alone (GB/s), after a warm-up.
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "base/aligned_buffer.h"

namespace {

template <typename Call>
double medianSeconds(int trials, Call call) {
  std::vector<double> times;
  for (int t = 0; t < trials; ++t) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    call();
    double elapsed = MPI_Wtime() - start;
    MPI_Allreduce(MPI_IN_PLACE, &elapsed, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    times.push_back(elapsed);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  const size_t maxBytes = argc > 1 ? strtoull(argv[1], nullptr, 10) << 20 : 64u << 20;
  const int trials = argc > 2 ? atoi(argv[2]) : 7;
  if (nranks != 2) {
    if (rank == 0) fprintf(stderr, "shm_copy_perf runs at exactly 2 ranks\n");
    MPI_Finalize();
    return 2;
  }
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  hoop::AlignedBuffer mine;
  mine.reserve(maxBytes);
  memset(mine.data(), rank + 1, maxBytes);
  char* shared = nullptr;
  MPI_Win sharedWin;
  MPI_Win_allocate_shared(static_cast<MPI_Aint>(maxBytes), 1, MPI_INFO_NULL, node, &shared, &sharedWin);
  memset(shared, rank + 1, maxBytes);
  MPI_Aint peerBytes;
  int unit;
  char* peerShared = nullptr;
  MPI_Win_shared_query(sharedWin, 1 - rank, &peerBytes, &unit, &peerShared);
  MPI_Win onceWin;
  MPI_Win_create(mine.data(), static_cast<MPI_Aint>(maxBytes), 1, MPI_INFO_NULL, MPI_COMM_WORLD, &onceWin);
  // Addresses and pid of the peer, for process_vm_readv.
  uint64_t local[2] = {static_cast<uint64_t>(getpid()), reinterpret_cast<uint64_t>(mine.data())};
  uint64_t remote[2];
  MPI_Sendrecv(local, 2, MPI_UINT64_T, 1 - rank, 0, remote, 2, MPI_UINT64_T, 1 - rank, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  hoop::AlignedBuffer target;
  target.reserve(maxBytes);
  memset(target.data(), 0, maxBytes);

  if (rank == 0) {
    printf("# shm_copy_perf: rank 0 takes rank 1's buffer; GB/s, median of %d\n", trials);
    printf("# %10s %9s %9s %9s %9s %9s\n", "size(B)", "staged", "cma", "shared", "win+get", "get");
  }
  for (size_t bytes = 64 << 10; bytes <= maxBytes; bytes *= 4) {
    const double staged = medianSeconds(trials, [&] {
      if (rank == 1) memcpy(shared, mine.data(), bytes);
      MPI_Barrier(node);
      if (rank == 0) memcpy(target.data(), peerShared, bytes);
    });
    bool cmaOk = true;
    const double cma = medianSeconds(trials, [&] {
      if (rank != 0) return;
      iovec to{target.data(), bytes};
      iovec from{reinterpret_cast<void*>(remote[1]), bytes};
      cmaOk = process_vm_readv(static_cast<pid_t>(remote[0]), &to, 1, &from, 1, 0) == static_cast<ssize_t>(bytes);
    });
    const double direct = medianSeconds(trials, [&] {
      if (rank == 0) memcpy(target.data(), peerShared, bytes);
    });
    const double winGet = medianSeconds(trials, [&] {
      MPI_Win win;
      MPI_Win_create(mine.data(), static_cast<MPI_Aint>(bytes), 1, MPI_INFO_NULL, MPI_COMM_WORLD, &win);
      MPI_Win_fence(0, win);
      if (rank == 0) MPI_Get(target.data(), static_cast<int>(bytes), MPI_BYTE, 1, 0, static_cast<int>(bytes), MPI_BYTE, win);
      MPI_Win_fence(0, win);
      MPI_Win_free(&win);
    });
    const double get = medianSeconds(trials, [&] {
      MPI_Win_fence(0, onceWin);
      if (rank == 0) MPI_Get(target.data(), static_cast<int>(bytes), MPI_BYTE, 1, 0, static_cast<int>(bytes), MPI_BYTE, onceWin);
      MPI_Win_fence(0, onceWin);
    });
    if (rank == 0) {
      const double gb = static_cast<double>(bytes) / 1e9;
      printf("  %10zu %9.2f %9.2f %9.2f %9.2f %9.2f%s\n", bytes, gb / staged, cmaOk ? gb / cma : 0.0, gb / direct,
             gb / winGet, gb / get, cmaOk ? "" : "  (process_vm_readv failed: cma shows 0)");
      fflush(stdout);
    }
  }
  MPI_Win_free(&onceWin);
  MPI_Win_free(&sharedWin);
  MPI_Comm_free(&node);
  MPI_Finalize();
  return 0;
}
