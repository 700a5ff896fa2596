// Measured cost-model parameters: one line per (transport, collective, algorithm, rank
// count, size band), in the text format the calibration tool (benchmarks/calibrate) writes
// and HOOP_TUNE_FILE names:
//
//   # comment
//   # transport collective algorithm nranks alpha_us beta_ns_per_byte gamma_ns_per_byte [from_bytes]
//   mpi allreduce ring 2 1.25 0.081 0.040
//   mpi allreduce ring 2 3.10 0.120 0.040 4194304
//
// The optional last column starts a size band: the line's parameters price calls of at least
// that many bytes, up to the next band of the same algorithm (a machine's per-byte costs
// change where data stops fitting in cache, which one straight line cannot follow).
// Lookups take the entries of the nearest rank count (by ratio), then the band holding the
// size; the built-in table holds figures measured on the development machines, and a
// tuning file's entries take precedence over it for the collective and algorithm they name.
#pragma once

#include <string>
#include <vector>

#include "algorithms/collective.h"
#include "base/status.h"
#include "core/cost_model.h"

namespace hoop {

struct TuningEntry {
  std::string transport;
  Collective collective;
  Algorithm algorithm;
  int nranks;
  CostParams params;
  double fromBytes = 0;  // the band's first size
};

// Parses the text format; `origin` names the source in error messages.
Status parseTuning(const std::string& text, const std::string& origin, std::vector<TuningEntry>* entries);

// Reads and parses a tuning file.
Status loadTuningFile(const std::string& path, std::vector<TuningEntry>* entries);

// The built-in table, in the same format.
const char* builtInTuning();

// The parameters for one algorithm at `bytes`: from `preferred` when it has an entry for the
// transport, collective and algorithm, else from `fallback`, else generic figures.
CostParams lookupCostParams(const std::vector<TuningEntry>& preferred, const std::vector<TuningEntry>& fallback,
                            const char* transport, Collective collective, Algorithm algorithm, int nranks, double bytes);

}  // namespace hoop
