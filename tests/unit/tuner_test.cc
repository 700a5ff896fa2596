// HOOP_ALGO's grammar, tuning files, and the tuner's choices: forced rules first, the cost
// model's cheapest algorithm otherwise.
#include <gtest/gtest.h>

#include <string>

#include "core/algo_spec.h"
#include "core/cost_model.h"
#include "core/tuner.h"
#include "core/tuning_table.h"

namespace hoop {
namespace {

bool mentions(const Status& status, const std::string& part) { return status.message().find(part) != std::string::npos; }

TEST(AlgorithmSpec, OneNameForcesEveryCollectiveThatHasIt) {
  AlgorithmOverrides overrides;
  ASSERT_TRUE(parseAlgorithmSpec("ring", &overrides).isOk());
  for (int c = 0; c < kCollectiveCount; ++c) {
    ASSERT_EQ(overrides.rules[c].size(), 1u);
    EXPECT_EQ(overrides.rules[c][0].algorithm, Algorithm::Ring);
  }
  ASSERT_TRUE(parseAlgorithmSpec("binomial", &overrides).isOk());
  EXPECT_EQ(overrides.rules[static_cast<int>(Collective::Broadcast)].size(), 1u);
  EXPECT_TRUE(overrides.rules[static_cast<int>(Collective::AllGather)].empty());
}

TEST(AlgorithmSpec, RulesPerCollectiveAndSizeRange) {
  AlgorithmOverrides overrides;
  const Status status = parseAlgorithmSpec(" allreduce:recursive-doubling@<4K, tree@4K-1M ,ring; broadcast:binomial@>=1K", &overrides);
  ASSERT_TRUE(status.isOk()) << status.message();
  const auto& allreduce = overrides.rules[static_cast<int>(Collective::AllReduce)];
  ASSERT_EQ(allreduce.size(), 3u);
  EXPECT_EQ(allreduce[0].maxBytes, 4096u);
  EXPECT_EQ(allreduce[1].minBytes, 4096u);
  EXPECT_EQ(allreduce[1].maxBytes, 1u << 20);
  EXPECT_EQ(allreduce[2].algorithm, Algorithm::Ring);
  EXPECT_EQ(overrides.rules[static_cast<int>(Collective::Broadcast)][0].minBytes, 1024u);
  EXPECT_TRUE(overrides.rules[static_cast<int>(Collective::Reduce)].empty());
}

TEST(AlgorithmSpec, ActionableErrors) {
  AlgorithmOverrides overrides;
  Status status = parseAlgorithmSpec("bogus", &overrides);
  EXPECT_EQ(status.code(), hoopInvalidArgument);
  EXPECT_TRUE(mentions(status, "unknown algorithm 'bogus'")) << status.message();
  EXPECT_TRUE(mentions(status, "halving-doubling")) << status.message();
  status = parseAlgorithmSpec("allgather:tree", &overrides);
  EXPECT_TRUE(mentions(status, "does not implement allgather")) << status.message();
  EXPECT_TRUE(mentions(status, "bruck")) << status.message();
  status = parseAlgorithmSpec("allreduce:ring@<lots", &overrides);
  EXPECT_TRUE(mentions(status, "bad size range")) << status.message();
  status = parseAlgorithmSpec("allreduce:ring@1M-4K", &overrides);
  EXPECT_TRUE(mentions(status, "bad size range")) << status.message();
  status = parseAlgorithmSpec("gather:ring", &overrides);
  EXPECT_TRUE(mentions(status, "unknown collective 'gather'")) << status.message();
}

TEST(TuningTable, ParsesCommentsAndReportsBadLines) {
  std::vector<TuningEntry> entries;
  ASSERT_TRUE(parseTuning("# header\n\nmpi allreduce ring 2 1.5 0.25 0.125  # trailing\n", "t", &entries).isOk());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_DOUBLE_EQ(entries[0].params.alpha, 1.5e-6);
  EXPECT_DOUBLE_EQ(entries[0].params.beta, 0.25e-9);
  entries.clear();
  Status status = parseTuning("mpi allreduce ring 2 1 1 1\nmpi allreduce ring two 1 1 1\n", "my.tune", &entries);
  EXPECT_TRUE(mentions(status, "my.tune:2")) << status.message();
  status = parseTuning("mpi allgather tree 2 1 1 1\n", "my.tune", &entries);
  EXPECT_TRUE(mentions(status, "allgather tree")) << status.message();
  EXPECT_FALSE(loadTuningFile("/nonexistent/hoop.tune", &entries).isOk());
}

TEST(TuningTable, TakesTheNearestRankCountAndPrefersTheFile) {
  std::vector<TuningEntry> file;
  std::vector<TuningEntry> builtIn;
  ASSERT_TRUE(parseTuning("mpi allreduce ring 2 1 0 0\nmpi allreduce ring 16 9 0 0\n", "f", &file).isOk());
  ASSERT_TRUE(parseTuning("mpi allreduce ring 4 5 0 0\nmpi allreduce tree 4 7 0 0\n", "b", &builtIn).isOk());
  EXPECT_DOUBLE_EQ(lookupCostParams(file, builtIn, "mpi", Collective::AllReduce, Algorithm::Ring, 3, 64).alpha, 1e-6);
  EXPECT_DOUBLE_EQ(lookupCostParams(file, builtIn, "mpi", Collective::AllReduce, Algorithm::Ring, 12, 64).alpha, 9e-6);
  EXPECT_DOUBLE_EQ(lookupCostParams(file, builtIn, "mpi", Collective::AllReduce, Algorithm::Tree, 2, 64).alpha, 7e-6);
}

TEST(TuningTable, TakesTheSizeBandHoldingTheSize) {
  std::vector<TuningEntry> file;
  ASSERT_TRUE(parseTuning("mpi allreduce ring 2 3 0 0 4096\nmpi allreduce ring 2 1 0 0\n"
                          "mpi allreduce ring 2 5 0 0 1048576\nmpi allreduce ring 4 7 0 0 8\n",
                          "f", &file)
                  .isOk());
  const std::vector<TuningEntry> none;
  auto alphaAt = [&](int nranks, double bytes) {
    return lookupCostParams(file, none, "mpi", Collective::AllReduce, Algorithm::Ring, nranks, bytes).alpha;
  };
  EXPECT_DOUBLE_EQ(alphaAt(2, 0), 1e-6);
  EXPECT_DOUBLE_EQ(alphaAt(2, 4095), 1e-6);
  EXPECT_DOUBLE_EQ(alphaAt(2, 4096), 3e-6);
  EXPECT_DOUBLE_EQ(alphaAt(2, 1 << 20), 5e-6);
  EXPECT_DOUBLE_EQ(alphaAt(2, 1e12), 5e-6);
  EXPECT_DOUBLE_EQ(alphaAt(4, 0), 7e-6);  // below the only band of 4 ranks: that band
  std::vector<TuningEntry> bad;
  EXPECT_FALSE(parseTuning("mpi allreduce ring 2 1 1 1 -5\n", "f", &bad).isOk());
}

TEST(Tuner, PicksTheCheapestAlgorithmBySize) {
  // Recursive doubling: cheap rounds, every round moves the whole buffer. Ring: dear rounds,
  // cheap bytes. The crossover must come from the figures alone.
  std::vector<TuningEntry> tuning;
  ASSERT_TRUE(parseTuning("mpi allreduce ring 8 20 0.1 0\n"
                          "mpi allreduce recursive-doubling 8 1 0.1 0\n"
                          "mpi allreduce halving-doubling 8 1000 1 0\n"
                          "mpi allreduce binomial 8 1000 1 0\n"
                          "mpi allreduce tree 8 1000 1 0\n",
                          "t", &tuning)
                  .isOk());
  Tuner tuner;
  tuner.init("mpi", 8, AlgorithmOverrides(), tuning);
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 8).algorithm, Algorithm::RecursiveDoubling);
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 64 << 20).algorithm, Algorithm::Ring);
  // ring: 14 * 20 us + 1.75 S * 0.1 ns; doubling: 3 us + 3 S * 0.1 ns; equal near S = 2.2 MB.
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 1 << 20).algorithm, Algorithm::RecursiveDoubling);
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 4 << 20).algorithm, Algorithm::Ring);
  EXPECT_NE(tuner.describe().find("recursive-doubling"), std::string::npos) << tuner.describe();
}

TEST(Tuner, ForcedRulesComeFirstAndAutoFallsThrough) {
  AlgorithmOverrides overrides;
  ASSERT_TRUE(parseAlgorithmSpec("allreduce:tree@<64K,auto@<1M,ring;broadcast:binomial", &overrides).isOk());
  Tuner automatic;
  automatic.init("mpi", 4, AlgorithmOverrides(), {});
  Tuner tuner;
  tuner.init("mpi", 4, overrides, {});
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 100).algorithm, Algorithm::Tree);
  EXPECT_NE(tuner.choose(Collective::AllReduce, 100).segmentBytes, 0u);  // the model's segment for the tree
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 512 << 10).algorithm,
            automatic.choose(Collective::AllReduce, 512 << 10).algorithm);
  EXPECT_EQ(tuner.choose(Collective::AllReduce, 1 << 20).algorithm, Algorithm::Ring);
  EXPECT_EQ(tuner.choose(Collective::Broadcast, 1 << 30).algorithm, Algorithm::Binomial);
  EXPECT_EQ(tuner.choose(Collective::Reduce, 8).algorithm, automatic.choose(Collective::Reduce, 8).algorithm);
}

TEST(CostModel, PipelinedTermsShrinkWithTheSegmentUntilRoundsDominate) {
  const CostTerms coarse = costTerms(Collective::Broadcast, Algorithm::Ring, 8, 64 << 20, 64 << 20);
  const CostTerms fine = costTerms(Collective::Broadcast, Algorithm::Ring, 8, 64 << 20, 64 << 10);
  EXPECT_LT(fine.bytesSent, coarse.bytesSent);
  EXPECT_GT(fine.rounds, coarse.rounds);
}

}  // namespace
}  // namespace hoop
