// calibrate: measures the cost-model parameters of every algorithm of every collective on
// this machine and transport, at the rank count it runs with, and writes them in the
// tuning-file format (src/core/tuning_table.h) for HOOP_TUNE_FILE or the built-in table.
//
//   mpirun -np 2 build/benchmarks/calibrate -o hoop.tune [-b 8] [-e 16M] [-f 4] [-a allreduce:tree]
//
// -a measures only the algorithms whose "collective:algorithm" name starts with its value.
// For each collective it times float32 sum calls of every algorithm over a sweep of sizes
// (median of 5 trials, slowest rank; the algorithms take turns within each trial), prices
// each size with the model's terms (rounds, bytes sent, bytes reduced), and fits alpha,
// beta and gamma by non-negative least squares on the relative error, so that small and
// large sizes weigh the same: alpha on the smallest sizes, beta and gamma separately for
// each band between two neighbouring sampled sizes, since per-byte costs change where data
// leaves the caches or the transport changes protocol. Pipelined algorithms run with 128 KiB
// segments while they are measured.
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "base/aligned_buffer.h"
#include "bench_options.h"
#include "bench_timing.h"
#include "core/collectives.h"
#include "core/cost_model.h"
#include "hoop/hoop_mpi.h"

namespace {

using namespace hoop;

constexpr double kSegmentBytes = kCalibrationSegmentBytes;

struct Sample {
  double bytes;
  CostTerms terms;
  double seconds;
};

// The per-round cost is fitted on this many of the smallest sizes.
constexpr size_t kLatencySamples = 3;

constexpr int kTrials = 5;

// One algorithm of the collective being calibrated, and its samples so far.
struct Candidate {
  Algorithm algorithm;
  AlgorithmChoice choice;
  std::vector<Sample> samples;
};

// Least squares of seconds ~ x . (rounds, bytesSent, bytesReduced) over the parameters in
// `mask`, rows weighted by 1 / seconds; x[0] stays `alpha` when the mask leaves it out. False
// when the normal equations are singular.
bool solveSubset(const std::vector<Sample>& samples, int mask, double alpha, double x[3], double* residual) {
  int index[3];
  int k = 0;
  for (int j = 0; j < 3; ++j) {
    if (mask & (1 << j)) index[k++] = j;
  }
  double a[3][4] = {};
  for (const Sample& s : samples) {
    const double row[3] = {s.terms.rounds / s.seconds, s.terms.bytesSent / s.seconds, s.terms.bytesReduced / s.seconds};
    for (int i = 0; i < k; ++i) {
      for (int j = 0; j < k; ++j) a[i][j] += row[index[i]] * row[index[j]];
      a[i][k] += row[index[i]] * (mask & 1 ? 1 : 1 - alpha * row[0]);  // target: the rest of 1
    }
  }
  for (int col = 0; col < k; ++col) {  // Gauss-Jordan with partial pivoting
    int pivot = col;
    for (int r = col + 1; r < k; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    }
    if (std::abs(a[pivot][col]) < 1e-300) return false;
    for (int c = 0; c <= k; ++c) std::swap(a[col][c], a[pivot][c]);
    for (int r = 0; r < k; ++r) {
      if (r == col) continue;
      const double f = a[r][col] / a[col][col];
      for (int c = col; c <= k; ++c) a[r][c] -= f * a[col][c];
    }
  }
  x[0] = mask & 1 ? 0 : alpha;
  x[1] = x[2] = 0;
  for (int i = 0; i < k; ++i) x[index[i]] = a[i][k] / a[i][i];
  *residual = 0;
  for (const Sample& s : samples) {
    const double predicted = x[0] * s.terms.rounds + x[1] * s.terms.bytesSent + x[2] * s.terms.bytesReduced;
    *residual += (predicted / s.seconds - 1) * (predicted / s.seconds - 1);
  }
  return true;
}

// The per-round cost is the transport's latency, the same at every size: it is fitted on
// the smallest sizes (alpha < 0) and held for the bands above (alpha given), which fit only
// the per-byte costs.
CostParams fit(const std::vector<Sample>& samples, double alpha) {
  CostParams best{alpha < 0 ? 0 : alpha, 0, 0};
  double bestResidual = -1;
  for (int mask = 1; mask < 8; ++mask) {
    if (alpha >= 0 && (mask & 1)) continue;
    double x[3];
    double residual = 0;
    if (!solveSubset(samples, mask, alpha, x, &residual) || x[0] < 0 || x[1] < 0 || x[2] < 0) continue;
    if (bestResidual < 0 || residual < bestResidual) {
      bestResidual = residual;
      best = CostParams{x[0], x[1], x[2]};
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  size_t minBytes = 8;
  size_t maxBytes = 16 << 20;
  size_t factor = 4;
  std::string output;
  std::string only;
  int c;
  while ((c = getopt(argc, argv, "b:e:f:o:a:")) != -1) {
    switch (c) {
      case 'b': minBytes = strtoull(optarg, nullptr, 10); break;
      case 'e': maxBytes = static_cast<size_t>(strtod(optarg, nullptr) * (strchr(optarg, 'M') ? 1 << 20 : 1)); break;
      case 'f': factor = strtoull(optarg, nullptr, 10); break;
      case 'o': output = optarg; break;
      case 'a': only = optarg; break;
      default:
        if (rank == 0) fprintf(stderr, "usage: %s [-b minbytes] [-e maxbytes[M]] [-f factor] [-o file] [-a collective:algorithm]\n", argv[0]);
        MPI_Finalize();
        return 2;
    }
  }
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) MPI_Abort(MPI_COMM_WORLD, 1);
  AlignedBuffer input, result;
  if (!input.reserve(maxBytes) || !result.reserve(maxBytes)) MPI_Abort(MPI_COMM_WORLD, 1);
  memset(input.data(), 0, maxBytes);
  memset(result.data(), 0, maxBytes);
  bench::Options options;

  std::string text = "# transport collective algorithm nranks alpha_us beta_ns_per_byte gamma_ns_per_byte from_bytes\n";
  for (int ci = 0; ci < kCollectiveCount; ++ci) {
    const Collective collective = static_cast<Collective>(ci);
    const bool perRank = collective == Collective::AllGather || collective == Collective::ReduceScatter;
    std::vector<Candidate> candidates;
    for (int ai = 0; ai < kAlgorithmCount; ++ai) {
      const Algorithm algorithm = static_cast<Algorithm>(ai);
      if (!algorithmSupports(collective, algorithm)) continue;
      const std::string name = std::string(collectiveName(collective)) + ":" + algorithmName(algorithm);
      if (name.compare(0, only.size(), only) != 0) continue;
      const size_t segment = isPipelined(collective, algorithm) ? static_cast<size_t>(kSegmentBytes) : 0;
      candidates.push_back(Candidate{algorithm, AlgorithmChoice{algorithm, segment}, {}});
    }
    // The algorithms take turns within every trial, so that a noisy spell of this shared
    // machine touches them alike instead of skewing one algorithm's table.
    for (size_t bytes = std::max<size_t>(minBytes, 4 * nranks); bytes <= maxBytes && !candidates.empty(); bytes *= factor) {
      const size_t count = perRank ? bytes / 4 / static_cast<size_t>(nranks) : bytes / 4;
      const size_t used = perRank ? count * 4 * static_cast<size_t>(nranks) : count * 4;
      const CollectiveArgs call{collective, input.data(), result.data(), count, hoopFloat32, hoopSum, 0, nullptr};
      const int iters = bench::itersFor(options, used);
      std::vector<std::vector<double>> trials(candidates.size());
      for (int t = 0; t < kTrials; ++t) {
        for (size_t k = 0; k < candidates.size(); ++k) {
          trials[k].push_back(bench::roundSeconds(iters, [&] {
            const Status status = runCollectiveArgs(comm, call, &candidates[k].choice);
            if (!status.isOk()) {
              fprintf(stderr, "calibrate: %s\n", status.message().c_str());
              MPI_Abort(MPI_COMM_WORLD, 1);
            }
          }));
        }
      }
      for (size_t k = 0; k < candidates.size(); ++k) {
        candidates[k].samples.push_back(Sample{static_cast<double>(used),
                                               costTerms(collective, candidates[k].algorithm, nranks,
                                                         static_cast<double>(used), kSegmentBytes),
                                               bench::median(trials[k])});
      }
    }
    for (const Candidate& candidate : candidates) {
      const std::vector<Sample>& samples = candidate.samples;
      // A band from each sampled size to the next, fitted on those two: between sizes the model
      // interpolates what was measured, and a cliff (a protocol switch, the cache's edge) stays
      // where it was seen.
      const size_t smallest = std::min(samples.size(), kLatencySamples);
      const double alpha = fit(std::vector<Sample>(samples.begin(), samples.begin() + static_cast<long>(smallest)), -1).alpha;
      for (size_t first = 0; first + 1 < std::max<size_t>(samples.size(), 2); ++first) {
        const size_t last = std::min(samples.size(), first + 2);
        const CostParams params = fit(std::vector<Sample>(samples.begin() + static_cast<long>(first),
                                                          samples.begin() + static_cast<long>(last)),
                                      alpha);
        char line[256];
        snprintf(line, sizeof line, "%s %s %s %d %.4f %.5f %.5f %.0f\n", comm->transport, collectiveName(collective),
                 algorithmName(candidate.algorithm), nranks, params.alpha * 1e6, params.beta * 1e9, params.gamma * 1e9,
                 first == 0 ? 0.0 : samples[first].bytes);
        text += line;
        if (rank == 0) {
          fputs(line, stdout);
          fflush(stdout);
        }
      }
    }
  }
  if (rank == 0 && !output.empty()) {
    FILE* file = fopen(output.c_str(), "w");
    if (file == nullptr || fputs(text.c_str(), file) < 0) fprintf(stderr, "cannot write %s\n", output.c_str());
    if (file != nullptr) fclose(file);
  }
  hoopCommDestroy(comm);
  MPI_Finalize();
  return 0;
}
