// check_cost_perf: what the always-on cross-rank argument check costs. Two communicators
// over the same ranks, one with HOOP_CHECK=1 (the default) and one with HOOP_CHECK=0, run
// the same all-reduce on the same buffers; their timings alternate in many short rounds so
// that drift on a shared machine hits both alike, and the median of each is compared.
//   mpirun -np 2 check_cost_perf [-b minbytes] [-e maxbytes] [-f factor] [-n iters] [-t rounds]
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include <algorithm>
#include <vector>

#include "base/aligned_buffer.h"
#include "bench_options.h"
#include "bench_timing.h"
#include "hoop/hoop_mpi.h"

namespace {

hoopComm_t makeComm(const char* check) {
  setenv("HOOP_CHECK", check, 1);
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitMPI: %s\n", hoopGetLastError(nullptr));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  unsetenv("HOOP_CHECK");
  return comm;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  hoop::bench::Options options;
  options.minBytes = 8;
  options.maxBytes = 1 << 20;
  options.factor = 1 << 17;
  options.iters = 200;
  options.trials = 21;
  if (!hoop::bench::parseOptions(argc, argv, &options)) {
    MPI_Finalize();
    return 2;
  }
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  hoopComm_t checked = makeComm("1");
  hoopComm_t unchecked = makeComm("0");
  hoop::AlignedBuffer send, recv;
  send.reserve(options.maxBytes);
  recv.reserve(options.maxBytes);
  std::fill(send.data(), send.data() + options.maxBytes, 0);
  std::fill(recv.data(), recv.data() + options.maxBytes, 0);
  if (rank == 0) printf("# %12s %14s %14s %10s\n", "size(B)", "checked(us)", "unchecked(us)", "cost");
  for (size_t bytes = options.minBytes; bytes <= options.maxBytes; bytes *= options.factor) {
    const size_t count = bytes / sizeof(float);
    const int iters = hoop::bench::itersFor(options, bytes);
    std::vector<double> on, off;
    for (int t = 0; t < options.trials; ++t) {
      auto call = [&](hoopComm_t comm) {
        return [&, comm] { hoopAllReduce(send.data(), recv.data(), count, hoopFloat32, hoopSum, comm, nullptr); };
      };
      on.push_back(hoop::bench::roundSeconds(iters, call(checked)));
      off.push_back(hoop::bench::roundSeconds(iters, call(unchecked)));
    }
    const double a = hoop::bench::median(on), b = hoop::bench::median(off);
    if (rank == 0) printf("  %12zu %14.3f %14.3f %9.1f%%\n", bytes, a * 1e6, b * 1e6, (a / b - 1) * 100);
  }
  hoopCommDestroy(checked);
  hoopCommDestroy(unchecked);
  MPI_Finalize();
  return 0;
}
