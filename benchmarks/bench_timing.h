// Timing helpers shared by the benchmarks: one round of back-to-back calls after a barrier,
// counted as the slowest rank's mean time per call, and the median of several rounds.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <vector>

namespace hoop {
namespace bench {

template <typename Call>
double roundSeconds(int iters, Call call) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  for (int i = 0; i < iters; ++i) call();
  double elapsed = (MPI_Wtime() - start) / iters;
  MPI_Allreduce(MPI_IN_PLACE, &elapsed, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return elapsed;
}

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace bench
}  // namespace hoop
