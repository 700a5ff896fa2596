// The alpha-beta-gamma cost model the tuner prices algorithms with.
//
// For a collective over n ranks moving S bytes (the whole array), each algorithm is
// described by three terms along its critical path: the number of communication rounds,
// the bytes one rank sends in them, and the bytes it reduces (or copies). Its predicted
// time is alpha * rounds + beta * bytes sent + gamma * bytes reduced, with (alpha, beta,
// gamma) measured for that algorithm on the transport (see tuning_table.h): the per-round
// cost covers the transport's latency and the executor's bookkeeping, the per-byte costs
// its bandwidth and the reducer's.
#pragma once

#include <stddef.h>

#include "algorithms/collective.h"

namespace hoop {

struct CostTerms {
  double rounds;
  double bytesSent;
  double bytesReduced;
};

struct CostParams {
  double alpha;  // seconds per round
  double beta;   // seconds per byte sent
  double gamma;  // seconds per byte reduced or copied
};

// The pipeline segment the calibration tool measures pipelined algorithms with. The model
// prices larger segments well, but a smaller one costs more per message than the fitted
// per-round figure says, so the tuner never chooses a segment below it.
constexpr double kCalibrationSegmentBytes = 128 << 10;

// Whether the algorithm pipelines across rounds, so that its segment size matters.
bool isPipelined(Collective collective, Algorithm algorithm);

// The terms for `bytes` over `nranks` with pipeline segments of `segmentBytes` (ignored by
// algorithms that do not pipeline).
CostTerms costTerms(Collective collective, Algorithm algorithm, int nranks, double bytes, double segmentBytes);

inline double predictSeconds(const CostParams& params, const CostTerms& terms) {
  return params.alpha * terms.rounds + params.beta * terms.bytesSent + params.gamma * terms.bytesReduced;
}

}  // namespace hoop
