// Each size is measured in `trials` rounds; a round times `iters` back-to-back calls of one
// contender after a barrier, and the slowest rank's mean time per call counts. The median
// round is printed. "speedup" is MPI's time over hoop's out-of-place time. #wrong counts
// elements differing from the exact reference (-c 1), summed over ranks.
#include "collective_bench.h"

#include <mpi.h>
#include <stdio.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/aligned_buffer.h"
#include "bench_options.h"
#include "collective_calls.h"
#include "exact_data.h"
#include "hoop/hoop_mpi.h"
#include "mpi_baseline.h"

namespace hoop {
namespace bench {

namespace {

struct Row {
  size_t bytes;
  size_t count;
  double outSeconds;
  double inSeconds;
  double mpiSeconds;  // 0 when not measured
  long long wrongOut;
  long long wrongIn;
};

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

long long countWrong(const char* out, const char* expected, size_t count, size_t elemSize, bool counts) {
  long long wrong = 0;
  for (size_t i = 0; counts && i < count; ++i) wrong += memcmp(out + i * elemSize, expected + i * elemSize, elemSize) != 0;
  MPI_Allreduce(MPI_IN_PLACE, &wrong, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return wrong;
}

void check(hoopResult_t rc, hoopComm_t comm, BenchCollective collective) {
  if (rc == hoopSuccess) return;
  fprintf(stderr, "%s: %s: %s\n", benchName(collective), hoopGetErrorString(rc), hoopGetLastError(comm));
  MPI_Abort(MPI_COMM_WORLD, 1);
}

void writeJson(const Options& options, BenchCollective collective, int nranks, bool baseline, const std::vector<Row>& rows) {
  FILE* file = fopen(options.jsonPath.c_str(), "w");
  if (file == nullptr) {
    fprintf(stderr, "cannot write %s\n", options.jsonPath.c_str());
    return;
  }
  const double factor = busFactor(collective, nranks);
  fprintf(file, "{\n  \"collective\": \"%s\",\n  \"nranks\": %d,\n  \"datatype\": \"%s\",\n  \"op\": \"%s\",\n", benchName(collective),
          nranks, testing::datatypeName(options.datatype), testing::opName(options.op));
  fprintf(file, "  \"root\": %d,\n  \"algorithm\": \"%s\",\n  \"mpi\": \"%s\",\n  \"bus_factor\": %.6f,\n  \"results\": [\n",
          options.root, options.algorithm.empty() ? "auto" : options.algorithm.c_str(), baseline ? mpiName(collective) : "",
          factor);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double gb = static_cast<double>(row.bytes) / 1e9;
    fprintf(file, "    {\"bytes\": %zu, \"count\": %zu, \"time_us\": %.4f, \"busbw\": %.4f, \"inplace_time_us\": %.4f, "
                  "\"inplace_busbw\": %.4f, \"wrong\": %lld, \"inplace_wrong\": %lld",
            row.bytes, row.count, row.outSeconds * 1e6, gb / row.outSeconds * factor, row.inSeconds * 1e6,
            gb / row.inSeconds * factor, row.wrongOut, row.wrongIn);
    if (row.mpiSeconds > 0) {
      fprintf(file, ", \"mpi_time_us\": %.4f, \"mpi_busbw\": %.4f", row.mpiSeconds * 1e6, gb / row.mpiSeconds * factor);
    }
    fprintf(file, "}%s\n", i + 1 < rows.size() ? "," : "");
  }
  fprintf(file, "  ]\n}\n");
  fclose(file);
}

}  // namespace

int runCollectiveBenchmark(int argc, char** argv, BenchCollective collective) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  Options options;
  if (!parseOptions(argc, argv, &options) || options.root >= nranks) {
    if (rank == 0 && options.root >= nranks) fprintf(stderr, "root %d is not below %d ranks\n", options.root, nranks);
    MPI_Finalize();
    return 2;
  }
  hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
  if (!options.algorithm.empty()) config.algorithm = options.algorithm.c_str();
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, &config) != hoopSuccess) {
    fprintf(stderr, "hoopCommInitMPI: %s\n", hoopGetLastError(nullptr));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  const size_t elemSize = testing::typeSize(options.datatype);
  const bool baseline = options.mpiBaseline && mpiDatatypeExists(options.datatype);
  const double factor = busFactor(collective, nranks);
  const hoopRedOp_t op = hasOp(collective) ? options.op : hoopSum;

  AlignedBuffer base, out, expected;
  const size_t capacity = std::max(options.maxBytes, elemSize * static_cast<size_t>(nranks));
  if (!base.reserve(capacity) || !out.reserve(capacity) || !expected.reserve(capacity)) {
    fprintf(stderr, "cannot allocate %zu bytes\n", capacity);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  // Touch every page once, so no measurement pays for first-touch page faults.
  memset(base.data(), 0, capacity);
  memset(out.data(), 0, capacity);

  if (rank == 0) {
    printf("# hoop %s_perf: %d ranks, %s%s%s, root %d, algorithm %s, iters up to %d, warmup %d, median of %d trials\n",
           benchName(collective), nranks, testing::datatypeName(options.datatype), hasOp(collective) ? " " : "",
           hasOp(collective) ? testing::opName(op) : "", options.root,
           options.algorithm.empty() ? "auto" : options.algorithm.c_str(), options.iters, options.warmup, options.trials);
    printf("# %-46s %-31s %-31s %s\n", "", "out-of-place", "in-place", baseline ? mpiName(collective) : "");
    printf("# %12s %12s %8s %5s  %9s %7s %7s %6s  %9s %7s %7s %6s  %9s %7s %8s\n", "size(B)", "count", "type", "redop",
           "time(us)", "algbw", "busbw", "#wrong", "time(us)", "algbw", "busbw", "#wrong", "time(us)", "busbw", "speedup");
  }
  std::vector<Row> rows;
  for (size_t bytes = options.minBytes; bytes <= options.maxBytes; bytes *= options.factor) {
    const CallShape shape{collective, rank, nranks, options.root, countFor(collective, bytes, elemSize, nranks),
                          options.datatype, op};
    const size_t used = hasRoot(collective) || collective == BenchCollective::AllReduce ? shape.count * elemSize
                                                                                         : shape.count * elemSize * nranks;
    const int iters = itersFor(options, used);
    fillInput(shape, base.data());
    auto runOut = [&] { check(callHoop(shape, base.data(), out.data(), false, comm), comm, collective); };
    auto runIn = [&] { check(callHoop(shape, base.data(), out.data(), true, comm), comm, collective); };
    auto runMpi = [&] { callMpi(shape, base.data(), out.data()); };
    for (int i = 0; i < options.warmup; ++i) {
      runOut();
      if (baseline) runMpi();
    }
    Row row{used, shape.count, 0, 0, 0, -1, -1};
    row.outSeconds = medianSeconds(options, iters, runOut);
    fillInput(shape, inPlaceInput(shape, base.data()));
    row.inSeconds = medianSeconds(options, iters, runIn);
    if (baseline) {
      fillInput(shape, base.data());
      row.mpiSeconds = medianSeconds(options, iters, runMpi);
    }
    if (options.check) {
      const bool hasResult = collective != BenchCollective::Reduce || rank == options.root;
      const size_t outCount = outputElements(shape);
      fillExpectedOutput(shape, expected.data());
      fillInput(shape, base.data());
      runOut();
      row.wrongOut = countWrong(out.data(), expected.data(), outCount, elemSize, hasResult);
      fillInput(shape, inPlaceInput(shape, base.data()));
      runIn();
      row.wrongIn = countWrong(inPlaceOutput(shape, base.data()), expected.data(), outCount, elemSize, hasResult);
    }
    if (rank == 0) {
      const double gb = static_cast<double>(used) / 1e9;
      printf("  %12zu %12zu %8s %5s  %9.2f %7.2f %7.2f %6lld  %9.2f %7.2f %7.2f %6lld", used, shape.count,
             testing::datatypeName(options.datatype), hasOp(collective) ? testing::opName(op) : "none",
             row.outSeconds * 1e6, gb / row.outSeconds, gb / row.outSeconds * factor, row.wrongOut, row.inSeconds * 1e6,
             gb / row.inSeconds, gb / row.inSeconds * factor, row.wrongIn);
      if (baseline) printf("  %9.2f %7.2f %7.2fx", row.mpiSeconds * 1e6, gb / row.mpiSeconds * factor, row.mpiSeconds / row.outSeconds);
      printf("\n");
      fflush(stdout);
    }
    rows.push_back(row);
    if (bytes == 0) break;
  }
  if (rank == 0 && !options.jsonPath.empty()) writeJson(options, collective, nranks, baseline, rows);
  hoopCommDestroy(comm);
  MPI_Finalize();
  return 0;
}

}  // namespace bench
}  // namespace hoop
