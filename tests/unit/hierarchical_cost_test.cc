// The alpha-beta prices of the flat ring and the hierarchical all-reduce.
#include <gtest/gtest.h>

#include "algorithms/hierarchical_cost.h"

namespace {

using hoop::LinkCost;

TEST(HierarchicalCost, RingIsTwoNMinusOneLatenciesPlusTheBandwidthTerm) {
  const LinkCost link{1e-6, 1e-9};
  EXPECT_DOUBLE_EQ(0.0, hoop::ringAllReduceCost(1 << 20, 1, link));
  EXPECT_DOUBLE_EQ(6e-6 + 1.5 * (1 << 20) * 1e-9, hoop::ringAllReduceCost(1 << 20, 4, link));
}

TEST(HierarchicalCost, OneRankPerNodeIsTheRingAcrossNodes) {
  const LinkCost intra{1e-7, 1e-11};
  const LinkCost inter{1e-5, 1e-8};
  EXPECT_DOUBLE_EQ(hoop::ringAllReduceCost(4096, 3, inter), hoop::hierarchicalAllReduceCost(4096, 3, 1, intra, inter));
}

TEST(HierarchicalCost, BeatsTheFlatRingOnSlowLinksAndAddsTheNodeLevel) {
  const LinkCost intra{2e-7, 1e-10};
  const LinkCost inter{5e-5, 8e-9};  // about 1 Gbit/s
  const size_t bytes = 64u << 20;
  const double hierarchical = hoop::hierarchicalAllReduceCost(bytes, 2, 2, intra, inter);
  EXPECT_LT(hierarchical, hoop::ringAllReduceCost(bytes, 4, inter));
  const double inNode = intra.alpha + 0.5 * bytes * intra.beta;
  EXPECT_DOUBLE_EQ(2 * inNode + hoop::ringAllReduceCost(bytes, 2, inter), hierarchical);
}

}  // namespace
