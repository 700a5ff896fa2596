// HOOP_ALGO (or hoopConfig_t.algorithm): which algorithm to force, per collective and per
// size range. The grammar, in full:
//
//   spec    := rule (';' rule)*
//   rule    := [collective ':'] choice (',' choice)*
//   choice  := algorithm ['@' range]
//   range   := '<' size | '>=' size | size '-' size        (half-open: lo <= bytes < hi)
//   size    := digits with an optional K, M or G suffix (powers of 1024)
//
// Collectives: allreduce broadcast reduce allgather reducescatter. Algorithms: auto ring
// tree binomial halving-doubling recursive-doubling recursive-halving bruck. A rule without
// a collective applies to every collective the algorithm implements ("ring" forces the
// ring everywhere). Within a collective the first choice whose range holds the call's size
// wins; sizes no choice covers are left to the tuner, as is "auto". Examples:
//
//   ring
//   allreduce:recursive-doubling@<4K,tree@<1M,ring;broadcast:binomial
//   allreduce:ring@>=64M
//
// Sizes are the bytes of the collective's whole array: count x element size for
// all-reduce, broadcast and reduce, nranks x count x element size for all-gather and
// reduce-scatter (the convention of the benchmarks' size column).
#pragma once

#include <stddef.h>

#include <string>
#include <vector>

#include "algorithms/collective.h"
#include "base/status.h"

namespace hoop {

struct AlgorithmRule {
  size_t minBytes;   // inclusive
  size_t maxBytes;   // exclusive; SIZE_MAX for no bound
  bool automatic;    // "auto": leave this range to the tuner
  Algorithm algorithm;
};

struct AlgorithmOverrides {
  std::vector<AlgorithmRule> rules[kCollectiveCount];  // in the order written
};

// Parses `text`; "" and "auto" force nothing. The message of a failure quotes the bad part
// and lists the valid names.
Status parseAlgorithmSpec(const std::string& text, AlgorithmOverrides* overrides);

}  // namespace hoop
