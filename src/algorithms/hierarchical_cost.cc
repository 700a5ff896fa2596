#include "algorithms/hierarchical_cost.h"

namespace hoop {

double ringAllReduceCost(size_t bytes, int nranks, LinkCost link) {
  if (nranks <= 1) return 0.0;
  const double n = nranks;
  return 2.0 * (n - 1.0) * link.alpha + 2.0 * (n - 1.0) / n * static_cast<double>(bytes) * link.beta;
}

double hierarchicalAllReduceCost(size_t bytes, int nodes, int ranksPerNode, LinkCost intra, LinkCost inter) {
  const double q = ranksPerNode;
  const double size = static_cast<double>(bytes);
  const double inNode = ranksPerNode > 1 ? intra.alpha + (q - 1.0) / q * size * intra.beta : 0.0;
  return 2.0 * inNode + ringAllReduceCost(bytes, nodes, inter);
}

}  // namespace hoop
