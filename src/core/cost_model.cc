#include "core/cost_model.h"

#include <math.h>

namespace hoop {

namespace {

int ceilLog2(int n) {
  int steps = 0;
  while ((1 << steps) < n) ++steps;
  return steps;
}

int floorLog2(int n) {
  int steps = 0;
  while ((2 << steps) <= n) ++steps;
  return steps;
}

double segmentsOf(double bytes, double segment) { return bytes <= segment ? 1.0 : ceil(bytes / segment); }

}  // namespace

bool isPipelined(Collective collective, Algorithm algorithm) {
  return algorithm == Algorithm::Tree ||
         (algorithm == Algorithm::Ring && (collective == Collective::Broadcast || collective == Collective::Reduce));
}

CostTerms costTerms(Collective collective, Algorithm algorithm, int nranks, double bytes, double segmentBytes) {
  const double n = nranks;
  if (nranks <= 1) return CostTerms{0, 0, bytes};
  const int p = 1 << floorLog2(nranks);
  const double k = floorLog2(nranks);
  const double fold = p == nranks ? 0 : 2;
  const double log = ceilLog2(nranks);
  const double share = (n - 1) / n * bytes;
  const double pShare = (p - 1.0) / p * bytes;
  switch (collective) {
    case Collective::AllReduce:
      switch (algorithm) {
        case Algorithm::Ring: return CostTerms{2 * (n - 1), 2 * share, share};
        case Algorithm::RecursiveDoubling: return CostTerms{k + fold, bytes * (k + fold), bytes * (k + fold / 2 + 1)};
        case Algorithm::HalvingDoubling: return CostTerms{2 * k + fold, 2 * pShare + fold * bytes, pShare + fold / 2 * bytes};
        case Algorithm::Binomial: return CostTerms{2 * log, 2 * log * bytes, log * bytes};
        case Algorithm::Tree: {
          // Each tree carries half the buffer in segments; a tree round moves one segment per
          // link and the trees take turns. A rank sends its half up one tree and, as an
          // interior node of the other, up to two copies down it: 2S in all (S at 2 ranks).
          const double half = bytes / 2;
          const double segment = half < segmentBytes ? half : segmentBytes;
          const double steps = segmentsOf(half, segment) + 2 * k;
          const double fanOut = nranks == 2 ? 1 : 2;
          return CostTerms{2 * steps, fanOut * 2 * steps * segment, 2 * steps * segment};
        }
        default: break;
      }
      break;
    case Collective::Broadcast:
    case Collective::Reduce: {
      const double reduced = collective == Collective::Reduce ? 1 : 0;
      if (algorithm == Algorithm::Binomial) return CostTerms{log, log * bytes, reduced * log * bytes};
      const double segment = bytes < segmentBytes ? bytes : segmentBytes;
      const double steps = segmentsOf(bytes, segment) + n - 2;
      return CostTerms{steps, steps * segment, reduced * steps * segment};
    }
    case Collective::AllGather:
      if (algorithm == Algorithm::Bruck) return CostTerms{log, share, bytes};
      return CostTerms{n - 1, share, 0};
    case Collective::ReduceScatter:
      if (algorithm == Algorithm::RecursiveHalving) return CostTerms{k + fold, pShare + fold / 2 * bytes, pShare + fold / 2 * bytes};
      return CostTerms{n - 1, share, share};
  }
  return CostTerms{0, 0, 0};
}

}  // namespace hoop
