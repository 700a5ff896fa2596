// Every algorithm of every collective, run for 1..32 simulated ranks by the in-process
// executor: exact results for every datatype (and op, where one applies), counts of 0, 1,
// fewer than the ranks and awkward sizes, every root, in place and out of place, and
// pipeline segments from a few elements to none; plus the contract checks of the executor.
#include <gtest/gtest.h>

#include <vector>

#include "collective_harness.h"

namespace hoop {
namespace {

using testing::CollectiveCase;
using testing::runCollectiveCase;

struct Pairing {
  Collective collective;
  Algorithm algorithm;
};

std::vector<Pairing> allPairings() {
  std::vector<Pairing> pairings;
  for (int c = 0; c < kCollectiveCount; ++c) {
    for (int a = 0; a < kAlgorithmCount; ++a) {
      if (algorithmSupports(static_cast<Collective>(c), static_cast<Algorithm>(a))) {
        pairings.push_back(Pairing{static_cast<Collective>(c), static_cast<Algorithm>(a)});
      }
    }
  }
  return pairings;
}

bool hasRoot(Collective collective) { return collective == Collective::Broadcast || collective == Collective::Reduce; }
bool hasOp(Collective collective) { return collective != Collective::Broadcast && collective != Collective::AllGather; }

std::vector<int> rootsFor(Collective collective, int nranks, bool every) {
  if (!hasRoot(collective)) return {0};
  std::vector<int> roots;
  for (int r = 0; r < nranks; ++r) {
    if (every || r == 0 || r == 1 || r == nranks / 2 || r == nranks - 1) roots.push_back(r);
  }
  return roots;
}

// Every datatype x op x root x placement x count at small rank counts.
class EveryDatatypeAndOp : public ::testing::TestWithParam<int> {};

TEST_P(EveryDatatypeAndOp, Exact) {
  const int n = GetParam();
  const size_t counts[] = {0, 1, 2, 3, static_cast<size_t>(n) - 1, static_cast<size_t>(n) + 1, 17 * static_cast<size_t>(n), 1000};
  for (const Pairing& pairing : allPairings()) {
    for (int root : rootsFor(pairing.collective, n, true)) {
      for (size_t count : counts) {
        for (int dt = 0; dt < hoopNumTypes; ++dt) {
          for (int op = 0; op < (hasOp(pairing.collective) ? hoopNumOps : 1); ++op) {
            for (bool inPlace : {false, true}) {
              for (size_t segment : {size_t{0}, size_t{7}}) {
                const CollectiveCase c{pairing.collective, pairing.algorithm, n, count, static_cast<hoopDataType_t>(dt),
                                       static_cast<hoopRedOp_t>(op), root, inPlace, segment};
                const std::string failure = runCollectiveCase(c);
                ASSERT_TRUE(failure.empty()) << failure;
              }
            }
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, EveryDatatypeAndOp, ::testing::Range(1, 7));

// Rank counts 7 to 32, with datatype/op pairs of 1-, 2- and 8-byte elements (max, the
// avg finalisation, prod) at every root up to 12 ranks and at four roots beyond.
class EveryRankCount : public ::testing::TestWithParam<int> {};

TEST_P(EveryRankCount, Exact) {
  const int n = GetParam();
  const size_t counts[] = {0, 1, static_cast<size_t>(n) - 1, static_cast<size_t>(n) + 1, 3 * static_cast<size_t>(n) + 5, 1000};
  const struct {
    hoopDataType_t datatype;
    hoopRedOp_t op;
  } kinds[] = {{hoopInt8, hoopMax}, {hoopFloat16, hoopAvg}, {hoopFloat64, hoopProd}};
  for (const Pairing& pairing : allPairings()) {
    for (int root : rootsFor(pairing.collective, n, n <= 12)) {
      for (size_t count : counts) {
        for (const auto& kind : kinds) {
          for (bool inPlace : {false, true}) {
            for (size_t segment : {size_t{0}, size_t{32}}) {
              const CollectiveCase c{pairing.collective, pairing.algorithm, n, count, kind.datatype, kind.op, root,
                                     inPlace, segment};
              const std::string failure = runCollectiveCase(c);
              ASSERT_TRUE(failure.empty()) << failure;
            }
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, EveryRankCount, ::testing::Range(7, 33));

// max over +0/-0 and NaN is not bitwise commutative (max(+0, -0) is -0, max(-0, +0) is
// +0): ranks that combined the same operands in different orders would disagree.
TEST(BitwiseIdentity, EveryRankGetsTheSameBitsFromOrderSensitiveInputs) {
  const float values[] = {0.0f, -0.0f, __builtin_nanf(""), -__builtin_nanf("0x1234"), 1.0f};
  for (const Pairing& pairing : allPairings()) {
    if (!hasOp(pairing.collective)) continue;
    for (int n = 2; n <= 12; ++n) {
      const size_t count = 301;
      const size_t full = pairing.collective == Collective::ReduceScatter ? count * n : count;
      std::vector<std::vector<float>> inputs(n, std::vector<float>(full));
      std::vector<std::vector<float>> outputs(n, std::vector<float>(full));
      std::vector<std::vector<float>> scratch(n);
      std::vector<Schedule> schedules(n);
      std::vector<const Schedule*> pointers;
      std::vector<Buffers> buffers;
      for (int r = 0; r < n; ++r) {
        for (size_t i = 0; i < full; ++i) inputs[r][i] = values[(i * 7 + static_cast<size_t>(r) * 3 + i / 5) % 5];
        buildSchedule(pairing.algorithm, CollectiveShape{pairing.collective, r, n, 0, count, 4, 16}, schedules[r]);
        scratch[r].resize(schedules[r].scratchCount());
        pointers.push_back(&schedules[r]);
        buffers.push_back(Buffers{inputs[r].data(), outputs[r].data(), scratch[r].data()});
      }
      const ReduceSpec spec{4, reduceFunction(hoopFloat32, hoopMax), nullptr, n};
      const Status status = runInProcess(pointers, buffers, spec);
      ASSERT_TRUE(status.isOk()) << status.message();
      if (pairing.collective != Collective::AllReduce) continue;
      for (int r = 1; r < n; ++r) {
        ASSERT_EQ(0, memcmp(outputs[0].data(), outputs[r].data(), count * sizeof(float)))
            << algorithmName(pairing.algorithm) << ": rank " << r << " of " << n << " differs from rank 0";
      }
    }
  }
}

TEST(AlgorithmShape, RingTakesTwoTimesNMinusOneRounds) {
  Schedule schedule;
  buildRingAllReduce(CollectiveShape{Collective::AllReduce, 2, 5, 0, 1000, 4, 0}, schedule);
  EXPECT_EQ(schedule.roundCount(), 8u);
}

TEST(AlgorithmShape, RingSendsTwiceItsShareOfTheBuffer) {
  const int nranks = 4;
  const size_t count = 4096;
  Schedule schedule;
  buildRingAllReduce(CollectiveShape{Collective::AllReduce, 1, nranks, 0, count, 4, 0}, schedule);
  size_t sent = 0;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (step->kind == StepKind::Send) sent += step->src.count;
    }
  }
  EXPECT_EQ(sent, 2 * (nranks - 1) * count / nranks);
}

size_t communicationRounds(Algorithm algorithm, Collective collective, int rank, int nranks, size_t count) {
  Schedule schedule;
  buildSchedule(algorithm, CollectiveShape{collective, rank, nranks, 0, count, 4, 0}, schedule);
  size_t rounds = 0;
  for (size_t round = 0; round < schedule.roundCount(); ++round) {
    for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
      if (!isLocalStep(*step)) {
        ++rounds;
        break;
      }
    }
  }
  return rounds;
}

TEST(AlgorithmShape, LatencyFormsTakeLogarithmicSteps) {
  // 16 ranks: 4 exchanges; 12 ranks: 3 exchanges plus one fold step at each end.
  EXPECT_EQ(communicationRounds(Algorithm::RecursiveDoubling, Collective::AllReduce, 5, 16, 100), 4u);
  EXPECT_EQ(communicationRounds(Algorithm::RecursiveDoubling, Collective::AllReduce, 1, 12, 100), 5u);
  EXPECT_EQ(communicationRounds(Algorithm::HalvingDoubling, Collective::AllReduce, 5, 16, 100), 8u);
  EXPECT_EQ(communicationRounds(Algorithm::HalvingDoubling, Collective::AllReduce, 11, 12, 100), 6u);
  EXPECT_EQ(communicationRounds(Algorithm::Bruck, Collective::AllGather, 3, 13, 100), 4u);
  EXPECT_EQ(communicationRounds(Algorithm::RecursiveHalving, Collective::ReduceScatter, 3, 16, 100), 4u);
}

TEST(AlgorithmShape, TreeNodesAreLeavesInOneOfTheTwoTrees) {
  // With one segment per half, an interior node of a tree receives from two children; a
  // rank that is interior in both trees would receive from up to four peers.
  for (int n : {4, 7, 8, 16, 31}) {
    for (int rank = 0; rank < n; ++rank) {
      Schedule schedule;
      buildTreeAllReduce(CollectiveShape{Collective::AllReduce, rank, n, 0, 1024, 4, 0}, schedule);
      std::vector<bool> from(n, false);
      for (size_t round = 0; round < schedule.roundCount(); ++round) {
        for (const Step* step = schedule.roundBegin(round); step != schedule.roundEnd(round); ++step) {
          if (step->kind == StepKind::RecvReduce || (step->kind == StepKind::Recv && step->dst.buffer == BufferId::Scratch)) {
            from[step->peer] = true;
          }
        }
      }
      int children = 0;
      for (bool f : from) children += f ? 1 : 0;
      EXPECT_LE(children, 3) << "rank " << rank << " of " << n;
    }
  }
}

}  // namespace
}  // namespace hoop
