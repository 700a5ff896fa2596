// Each size is measured in `trials` rounds; a round times `iters` back-to-back calls of one
// contender after a barrier, and the slowest rank's mean time per call counts. Contenders
// (each -A algorithm out of place and in place, and MPI) take turns within every trial, and
// each one's median round is printed. "speedup" is MPI's time over hoop's out-of-place time. #wrong counts
// elements differing from the exact reference (-c 1), summed over ranks.
//
// The all-reduce also prints a memory-bandwidth ceiling, measured in the same trials: every
// rank copies the input buffer to the output buffer with memcpy at the same time. An
// all-reduce must at least read every input once and write every output once, which
// shared out evenly is one buffer read and one written per rank: exactly that copy. So no
// all-reduce on this machine beats busbw = bus factor x size / (time of that copy), printed
// as "ceiling", and "%ceil" is hoop's out-of-place busbw as a share of it.
#include "collective_bench.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/aligned_buffer.h"
#include "bench_options.h"
#include "bench_timing.h"
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
  double copySeconds;  // the memory ceiling's copy; 0 when not measured
  long long wrongOut;
  long long wrongIn;
};

// One hoop communicator per algorithm timed (-A, repeatable).
struct Contender {
  std::string algorithm;
  hoopComm_t comm;
  std::vector<Row> rows;
};

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

// One JSON object per algorithm; several -A write a JSON array of them.
void writeRun(FILE* file, const Options& options, BenchCollective collective, int nranks, bool baseline,
              const Contender& contender) {
  const std::vector<Row>& rows = contender.rows;
  const double factor = busFactor(collective, nranks);
  fprintf(file, "{\n  \"collective\": \"%s\",\n  \"nranks\": %d,\n  \"datatype\": \"%s\",\n  \"op\": \"%s\",\n", benchName(collective),
          nranks, testing::datatypeName(options.datatype), testing::opName(options.op));
  fprintf(file, "  \"root\": %d,\n  \"algorithm\": \"%s\",\n  \"mpi\": \"%s\",\n  \"bus_factor\": %.6f,\n  \"results\": [\n",
          options.root, contender.algorithm.c_str(), baseline ? mpiName(collective) : "",
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
    if (row.copySeconds > 0) fprintf(file, ", \"ceiling_busbw\": %.4f", gb / row.copySeconds * factor);
    fprintf(file, "}%s\n", i + 1 < rows.size() ? "," : "");
  }
  fprintf(file, "  ]\n}");
}

void writeJson(const Options& options, BenchCollective collective, int nranks, bool baseline,
               const std::vector<Contender>& contenders) {
  FILE* file = fopen(options.jsonPath.c_str(), "w");
  if (file == nullptr) {
    fprintf(stderr, "cannot write %s\n", options.jsonPath.c_str());
    return;
  }
  const bool several = contenders.size() > 1;
  if (several) fprintf(file, "[\n");
  for (size_t i = 0; i < contenders.size(); ++i) {
    writeRun(file, options, collective, nranks, baseline, contenders[i]);
    fprintf(file, "%s\n", several && i + 1 < contenders.size() ? "," : "");
  }
  if (several) fprintf(file, "]\n");
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
  std::vector<Contender> contenders;
  if (options.algorithms.empty()) options.algorithms.push_back("");
  for (const std::string& algorithm : options.algorithms) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    if (!algorithm.empty()) config.algorithm = algorithm.c_str();
    hoopComm_t comm = nullptr;
    if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, &config) != hoopSuccess) {
      fprintf(stderr, "hoopCommInitMPI: %s\n", hoopGetLastError(nullptr));
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    contenders.push_back(Contender{algorithm.empty() ? "auto" : algorithm, comm, {}});
  }
  const bool several = contenders.size() > 1;
  const size_t elemSize = testing::typeSize(options.datatype);
  const bool baseline = options.mpiBaseline && mpiDatatypeExists(options.datatype);
  const double factor = busFactor(collective, nranks);
  const bool ceiling = collective == BenchCollective::AllReduce;
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
    std::string names;
    for (const Contender& contender : contenders) names += (names.empty() ? "" : ", ") + contender.algorithm;
    printf("# hoop %s_perf: %d ranks, %s%s%s, root %d, algorithm%s %s, iters up to %d, warmup %d, median of %d trials%s\n",
           benchName(collective), nranks, testing::datatypeName(options.datatype), hasOp(collective) ? " " : "",
           hasOp(collective) ? testing::opName(op) : "", options.root, several ? "s" : "", names.c_str(), options.iters,
           options.warmup, options.trials, several ? " (interleaved)" : "");
    printf("# %-46s %-31s %-31s %-27s%s\n", "", "out-of-place", "in-place", baseline ? mpiName(collective) : "",
           ceiling ? "  memory ceiling" : "");
    printf("# %12s %12s %8s %5s  %9s %7s %7s %6s  %9s %7s %7s %6s  %9s %7s %8s%s%s\n", "size(B)", "count", "type", "redop",
           "time(us)", "algbw", "busbw", "#wrong", "time(us)", "algbw", "busbw", "#wrong", "time(us)", "busbw", "speedup",
           ceiling ? "    busbw  %ceil" : "", several ? "  algorithm" : "");
  }
  for (size_t bytes = options.minBytes; bytes <= options.maxBytes; bytes *= options.factor) {
    const CallShape shape{collective, rank, nranks, options.root, countFor(collective, bytes, elemSize, nranks),
                          options.datatype, op};
    const size_t used = hasRoot(collective) || collective == BenchCollective::AllReduce ? shape.count * elemSize
                                                                                         : shape.count * elemSize * nranks;
    const int iters = itersFor(options, used);
    fillInput(shape, base.data());
    auto runOut = [&](hoopComm_t comm) { check(callHoop(shape, base.data(), out.data(), false, comm), comm, collective); };
    auto runIn = [&](hoopComm_t comm) { check(callHoop(shape, base.data(), out.data(), true, comm), comm, collective); };
    auto runMpi = [&] { callMpi(shape, base.data(), out.data()); };
    auto runCopy = [&] { memcpy(out.data(), base.data(), used); };
    for (int i = 0; i < options.warmup; ++i) {
      for (const Contender& contender : contenders) runOut(contender.comm);
      if (baseline) runMpi();
    }
    // Every contender is timed once per trial, in turn, so that a slow spell of a shared
    // machine touches them all alike; each keeps its median.
    std::vector<std::vector<double>> outTimes(contenders.size()), inTimes(contenders.size());
    std::vector<double> mpiTimes, copyTimes;
    for (int t = 0; t < options.trials; ++t) {
      for (size_t c = 0; c < contenders.size(); ++c) {
        outTimes[c].push_back(roundSeconds(iters, [&] { runOut(contenders[c].comm); }));
        inTimes[c].push_back(roundSeconds(iters, [&] { runIn(contenders[c].comm); }));
      }
      if (baseline) mpiTimes.push_back(roundSeconds(iters, runMpi));
      if (ceiling) copyTimes.push_back(roundSeconds(iters, runCopy));
    }
    const double mpiSeconds = baseline ? median(mpiTimes) : 0;
    const double copySeconds = ceiling ? median(copyTimes) : 0;
    for (size_t c = 0; c < contenders.size(); ++c) {
      Contender& contender = contenders[c];
      Row row{used, shape.count, median(outTimes[c]), median(inTimes[c]), mpiSeconds, copySeconds, -1, -1};
      if (options.check) {
        const bool hasResult = collective != BenchCollective::Reduce || rank == options.root;
        const size_t outCount = outputElements(shape);
        fillExpectedOutput(shape, expected.data());
        fillInput(shape, base.data());
        runOut(contender.comm);
        row.wrongOut = countWrong(out.data(), expected.data(), outCount, elemSize, hasResult);
        fillInput(shape, inPlaceInput(shape, base.data()));
        runIn(contender.comm);
        row.wrongIn = countWrong(inPlaceOutput(shape, base.data()), expected.data(), outCount, elemSize, hasResult);
      }
      if (rank == 0) {
        const double gb = static_cast<double>(used) / 1e9;
        printf("  %12zu %12zu %8s %5s  %9.2f %7.2f %7.2f %6lld  %9.2f %7.2f %7.2f %6lld", used, shape.count,
               testing::datatypeName(options.datatype), hasOp(collective) ? testing::opName(op) : "none",
               row.outSeconds * 1e6, gb / row.outSeconds, gb / row.outSeconds * factor, row.wrongOut, row.inSeconds * 1e6,
               gb / row.inSeconds, gb / row.inSeconds * factor, row.wrongIn);
        if (baseline) printf("  %9.2f %7.2f %7.2fx", row.mpiSeconds * 1e6, gb / row.mpiSeconds * factor, row.mpiSeconds / row.outSeconds);
        if (ceiling) printf("  %7.2f %5.0f%%", gb / row.copySeconds * factor, 100.0 * row.copySeconds / row.outSeconds);
        if (several) printf("  %s", contender.algorithm.c_str());
        printf("\n");
        fflush(stdout);
      }
      contender.rows.push_back(row);
    }
    if (bytes == 0) break;
  }
  if (rank == 0 && !options.jsonPath.empty()) writeJson(options, collective, nranks, baseline, contenders);
  for (const Contender& contender : contenders) hoopCommDestroy(contender.comm);
  MPI_Finalize();
  return 0;
}

}  // namespace bench
}  // namespace hoop
