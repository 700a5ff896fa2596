// The tuner: which algorithm (and pipeline segment) runs each collective call.
//
// At communicator creation it prices every algorithm of every collective with the cost
// model (cost_model.h) for each power-of-two size class and keeps the cheapest, trying the
// candidate segment sizes of pipelined algorithms; there are no size thresholds anywhere
// but those that fall out of the measured parameters. Forced choices (HOOP_ALGO or the
// config, see algo_spec.h) are applied per call in front of the table. A call costs one
// table lookup, or a scan of the few forced rules.
#pragma once

#include <stddef.h>

#include <string>
#include <vector>

#include "algorithms/collective.h"
#include "core/algo_spec.h"
#include "core/tuning_table.h"

namespace hoop {

struct AlgorithmChoice {
  Algorithm algorithm;
  size_t segmentBytes;  // pipeline segment; 0 when the algorithm does not pipeline
};

class Tuner {
 public:
  // Size classes: 0 bytes, then [2^(b-1), 2^b) for b = 1 .. kSizeClasses-1 (the last open).
  static constexpr int kSizeClasses = 48;

  void init(const char* transport, int nranks, const AlgorithmOverrides& overrides,
            const std::vector<TuningEntry>& tuning);

  AlgorithmChoice choose(Collective collective, size_t bytes) const {
    const int size = sizeClass(bytes);
    for (const AlgorithmRule& rule : overrides_.rules[static_cast<int>(collective)]) {
      if (bytes < rule.minBytes || bytes >= rule.maxBytes) continue;
      if (rule.automatic) break;
      return AlgorithmChoice{rule.algorithm, segments_[static_cast<int>(collective)][size][static_cast<int>(rule.algorithm)]};
    }
    return best_[static_cast<int>(collective)][size];
  }

  // The automatic choices, one line per collective: "allreduce: <4K recursive-doubling, ...".
  std::string describe() const;

  static int sizeClass(size_t bytes) {
    const int size = bytes == 0 ? 0 : 64 - __builtin_clzll(static_cast<unsigned long long>(bytes));
    return size < kSizeClasses ? size : kSizeClasses - 1;
  }

 private:
  AlgorithmChoice best_[kCollectiveCount][kSizeClasses];
  size_t segments_[kCollectiveCount][kSizeClasses][kAlgorithmCount];
  AlgorithmOverrides overrides_;
};

}  // namespace hoop
