// allreduce_perf: hoopAllReduce bandwidth and latency over a range of sizes, with
// MPI_Allreduce timed on the same buffers in the same run.
//
// Each size is measured in `trials` rounds; a round times `iters` back-to-back calls of each
// contender after a barrier, and the slowest rank's mean time per call counts. The median
// round is printed. algbw = bytes / time; busbw = algbw * 2(n-1)/n, the per-link rate a
// ring needs (nccl-tests' convention). "speedup" is MPI's time over hoop's out-of-place
// time. #wrong counts elements differing from the exact reference (-c 1).
//
// Two memory-bandwidth references are measured in the same run, timed like the contenders
// with every rank at once: "memcpy", a plain copy of the size from the send to the receive
// buffer, and "ceiling", the traffic of the ideal zero-copy all-reduce in which each rank
// reduces its part straight out of all ranks' inputs into all ranks' outputs (see
// bandwidth_ceiling.h). Both are printed as busbw; "%ceil" is hoop's out-of-place busbw as a
// share of the ceiling.
#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "bandwidth_ceiling.h"
#include "base/aligned_buffer.h"
#include "bench_options.h"
#include "exact_data.h"
#include "hoop/hoop_mpi.h"
#include "mpi_baseline.h"

namespace {

using hoop::bench::Options;

template <typename Call>
double medianSeconds(const Options& options, int iters, Call call) {
  std::vector<double> rounds;
  for (int t = 0; t < options.trials; ++t) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    for (int i = 0; i < iters; ++i) call();
    double elapsed = (MPI_Wtime() - start) / iters;
    MPI_Allreduce(MPI_IN_PLACE, &elapsed, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    rounds.push_back(elapsed);
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[rounds.size() / 2];
}

// Elements of `out` that differ from the exact result, summed over ranks.
long long countWrong(const char* out, const char* expected, size_t count, size_t elemSize) {
  long long wrong = 0;
  for (size_t i = 0; i < count; ++i) wrong += memcmp(out + i * elemSize, expected + i * elemSize, elemSize) != 0;
  MPI_Allreduce(MPI_IN_PLACE, &wrong, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return wrong;
}

bool ok(hoopResult_t rc, hoopComm_t comm) {
  if (rc == hoopSuccess) return true;
  fprintf(stderr, "hoopAllReduce: %s: %s\n", hoopGetErrorString(rc), hoopGetLastError(comm));
  MPI_Abort(MPI_COMM_WORLD, 1);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  Options options;
  if (!hoop::bench::parseOptions(argc, argv, &options)) {
    MPI_Finalize();
    return 2;
  }
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitMPI: %s\n", hoopGetLastError(nullptr));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  const hoopDataType_t datatype = options.datatype;
  const hoopRedOp_t op = options.op;
  const size_t elemSize = hoop::testing::typeSize(datatype);
  const MPI_Datatype mpiType = hoop::bench::mpiDatatype(datatype);
  const bool baseline = options.mpiBaseline && mpiType != MPI_DATATYPE_NULL;
  const double busFactor = nranks > 1 ? 2.0 * (nranks - 1) / nranks : 1.0;

  hoop::AlignedBuffer send, recv, expected;
  const size_t capacity = std::max(options.maxBytes, elemSize);
  if (!send.reserve(capacity) || !recv.reserve(capacity) || !expected.reserve(capacity)) {
    fprintf(stderr, "cannot allocate %zu bytes\n", capacity);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  hoop::bench::BandwidthCeiling ceiling;
  if (!ceiling.reserve(nranks, capacity)) {
    fprintf(stderr, "cannot allocate the ceiling's %zu bytes\n", 2 * capacity);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  // Touch every page once, so no measurement pays for first-touch page faults.
  memset(send.data(), 0, capacity);
  memset(recv.data(), 0, capacity);

  if (rank == 0) {
    printf("# hoop allreduce_perf: %d ranks, %s %s, iters up to %d, warmup %d, median of %d trials\n", nranks,
           hoop::testing::datatypeName(datatype), hoop::testing::opName(op), options.iters, options.warmup,
           options.trials);
    printf("# %-46s %-31s %-31s %-23s %s\n", "", "out-of-place", "in-place", "memory (busbw)",
           baseline ? (op == hoopAvg ? "MPI_Allreduce (MPI_SUM; no avg in MPI)" : "MPI_Allreduce") : "");
    printf("# %12s %12s %8s %5s  %9s %7s %7s %6s  %9s %7s %7s %6s  %7s %7s %6s  %9s %7s %8s\n", "size(B)", "count",
           "type", "redop", "time(us)", "algbw", "busbw", "#wrong", "time(us)", "algbw", "busbw", "#wrong", "memcpy",
           "ceiling", "%ceil", "time(us)", "busbw", "speedup");
  }
  for (size_t bytes = options.minBytes; bytes <= options.maxBytes; bytes *= options.factor) {
    const size_t count = bytes / elemSize;
    const size_t used = count * elemSize;
    const int iters = hoop::bench::itersFor(options, used);
    hoop::testing::fillExactInput(send.data(), datatype, op, rank, count);
    double hoopOut = 0, hoopIn = 0, mpiTime = 0, copyTime = 0, ceilingTime = 0;
    long long wrongOut = -1, wrongIn = -1;

    auto runOut = [&] { ok(hoopAllReduce(send.data(), recv.data(), count, datatype, op, comm, nullptr), comm); };
    auto runIn = [&] { ok(hoopAllReduce(recv.data(), recv.data(), count, datatype, op, comm, nullptr), comm); };
    auto runCopy = [&] { memcpy(recv.data(), send.data(), used); };
    auto runCeiling = [&] { ceiling.run(used); };
    auto runMpi = [&] { MPI_Allreduce(send.data(), recv.data(), static_cast<int>(count), mpiType, hoop::bench::mpiOp(op), MPI_COMM_WORLD); };
    for (int i = 0; i < options.warmup; ++i) {
      runOut();
      if (baseline) runMpi();
    }
    hoopOut = medianSeconds(options, iters, runOut);
    hoopIn = medianSeconds(options, iters, runIn);
    copyTime = medianSeconds(options, iters, runCopy);
    ceilingTime = medianSeconds(options, iters, runCeiling);
    if (baseline) mpiTime = medianSeconds(options, iters, runMpi);
    if (options.check) {
      hoop::testing::fillExpected(expected.data(), datatype, op, nranks, count);
      runOut();
      wrongOut = countWrong(recv.data(), expected.data(), count, elemSize);
      hoop::testing::fillExactInput(recv.data(), datatype, op, rank, count);
      runIn();
      wrongIn = countWrong(recv.data(), expected.data(), count, elemSize);
    }
    if (rank == 0) {
      const double gb = static_cast<double>(used) / 1e9;
      printf("  %12zu %12zu %8s %5s  %9.2f %7.2f %7.2f %6lld  %9.2f %7.2f %7.2f %6lld", used, count,
             hoop::testing::datatypeName(datatype), hoop::testing::opName(op), hoopOut * 1e6, gb / hoopOut,
             gb / hoopOut * busFactor, wrongOut, hoopIn * 1e6, gb / hoopIn, gb / hoopIn * busFactor, wrongIn);
      printf("  %7.2f %7.2f %5.0f%%", gb / copyTime * busFactor, gb / ceilingTime * busFactor,
             100.0 * ceilingTime / hoopOut);
      if (baseline) {
        printf("  %9.2f %7.2f %7.2fx", mpiTime * 1e6, gb / mpiTime * busFactor, mpiTime / hoopOut);
      }
      printf("\n");
      fflush(stdout);
    }
    if (bytes == 0) break;
  }
  hoopCommDestroy(comm);
  MPI_Finalize();
  return 0;
}
