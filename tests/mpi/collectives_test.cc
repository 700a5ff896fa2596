// Every collective through the public API between MPI processes, with each of its
// algorithms forced through hoopConfig_t.algorithm and with the automatic choice: exact
// results for every datatype (and op, where one applies), every root, in place (NCCL's
// layouts) and out of place, counts of 0, 1, fewer than the ranks and a few thousand.
#include <algorithm>
#include <string>
#include <vector>

#include "exact_data.h"
#include "mpi_fixture.h"

namespace {

using hoop::testing::datatypeName;
using hoop::testing::fillExactInput;
using hoop::testing::fillExpected;
using hoop::testing::opName;
using hoop::testing::typeSize;

enum class Collective { AllReduce, Broadcast, Reduce, AllGather, ReduceScatter };

struct Forced {
  Collective collective;
  const char* spec;  // hoopConfig_t.algorithm
};

// Every algorithm of every collective, and the automatic choice.
const Forced kEveryAlgorithm[] = {
    {Collective::AllReduce, "auto"},
    {Collective::AllReduce, "allreduce:ring"},
    {Collective::AllReduce, "allreduce:tree"},
    {Collective::AllReduce, "allreduce:binomial"},
    {Collective::AllReduce, "allreduce:halving-doubling"},
    {Collective::AllReduce, "allreduce:recursive-doubling"},
    {Collective::Broadcast, "auto"},
    {Collective::Broadcast, "broadcast:ring"},
    {Collective::Broadcast, "broadcast:binomial"},
    {Collective::Reduce, "auto"},
    {Collective::Reduce, "reduce:ring"},
    {Collective::Reduce, "reduce:binomial"},
    {Collective::AllGather, "auto"},
    {Collective::AllGather, "allgather:ring"},
    {Collective::AllGather, "allgather:bruck"},
    {Collective::ReduceScatter, "auto"},
    {Collective::ReduceScatter, "reducescatter:ring"},
    {Collective::ReduceScatter, "reducescatter:recursive-halving"},
};

class Collectives : public MpiCommTest {
 protected:
  // Runs one call on `forcedComm` and checks this rank's result.
  void check(hoopComm_t forcedComm, Collective collective, const char* spec, size_t count,
             hoopDataType_t datatype, hoopRedOp_t op, int root, bool inPlace) {
    const size_t elem = typeSize(datatype);
    const size_t n = static_cast<size_t>(nranks);
    const bool perRank = collective == Collective::AllGather || collective == Collective::ReduceScatter;
    const size_t full = perRank ? n * count : count;
    const size_t inCount = collective == Collective::AllGather ? count : full;
    const size_t outCount = collective == Collective::ReduceScatter ? count : full;
    // One allocation holds both buffers in place, laid out as NCCL's rules say.
    std::vector<char> a((inPlace ? std::max(inCount, outCount) : inCount) * elem + 1, 0x11);
    std::vector<char> b(outCount * elem + 1, 0x5a);
    char* send = a.data();
    char* recv = inPlace ? a.data() : b.data();
    if (inPlace && collective == Collective::AllGather) send = a.data() + static_cast<size_t>(rank) * count * elem;
    if (inPlace && collective == Collective::ReduceScatter) recv = a.data() + static_cast<size_t>(rank) * count * elem;
    const int dataRank = collective == Collective::Broadcast ? root : rank;
    fillExactInput(send, datatype, op, dataRank, inCount);
    hoopResult_t rc = hoopSuccess;
    switch (collective) {
      case Collective::AllReduce: rc = hoopAllReduce(send, recv, count, datatype, op, forcedComm, nullptr); break;
      case Collective::Broadcast:
        rc = hoopBroadcast(rank == root ? send : nullptr, recv, count, datatype, root, forcedComm, nullptr);
        break;
      case Collective::Reduce:
        rc = hoopReduce(send, rank == root ? recv : nullptr, count, datatype, op, root, forcedComm, nullptr);
        break;
      case Collective::AllGather: rc = hoopAllGather(send, recv, count, datatype, forcedComm, nullptr); break;
      case Collective::ReduceScatter: rc = hoopReduceScatter(send, recv, count, datatype, op, forcedComm, nullptr); break;
    }
    ASSERT_EQ(hoopSuccess, rc) << hoopGetLastError(forcedComm);
    if (collective == Collective::Reduce && rank != root) return;
    std::vector<char> expected(full * elem + 1);
    if (collective == Collective::AllGather) {
      for (int r = 0; r < nranks; ++r) fillExactInput(expected.data() + r * count * elem, datatype, op, r, count);
    } else if (collective == Collective::Broadcast) {
      fillExactInput(expected.data(), datatype, op, root, full);
    } else {
      fillExpected(expected.data(), datatype, op, nranks, full);
    }
    const char* want = expected.data() + (collective == Collective::ReduceScatter ? rank * count * elem : 0);
    ASSERT_EQ(0, memcmp(want, recv, outCount * elem))
        << spec << " rank " << rank << "/" << nranks << " count " << count << " " << datatypeName(datatype) << " "
        << opName(op) << " root " << root << (inPlace ? " in place" : " out of place");
    if (!inPlace) {
      ASSERT_EQ(b[outCount * elem], 0x5a) << spec << ": wrote past the end of recvbuff";
    }
  }
};

TEST_F(Collectives, EveryAlgorithmIsExactForEveryDatatypeOpRootAndPlacement) {
  const size_t counts[] = {0, 1, static_cast<size_t>(nranks) - 1, 1031};
  for (const Forced& forced : kEveryAlgorithm) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    config.algorithm = forced.spec;
    hoopComm_t forcedComm = nullptr;
    ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&forcedComm, MPI_COMM_WORLD, &config)) << hoopGetLastError(nullptr);
    const bool rooted = forced.collective == Collective::Broadcast || forced.collective == Collective::Reduce;
    const bool reduces = forced.collective != Collective::Broadcast && forced.collective != Collective::AllGather;
    for (int root = 0; root < (rooted ? nranks : 1); ++root) {
      for (size_t count : counts) {
        for (int dt = 0; dt < hoopNumTypes; ++dt) {
          for (int op = 0; op < (reduces ? hoopNumOps : 1); ++op) {
            for (bool inPlace : {false, true}) {
              check(forcedComm, forced.collective, forced.spec, count, static_cast<hoopDataType_t>(dt),
                    static_cast<hoopRedOp_t>(op), root, inPlace);
              if (HasFatalFailure()) {
                hoopCommDestroy(forcedComm);
                return;
              }
            }
          }
        }
      }
    }
    EXPECT_EQ(hoopSuccess, hoopCommDestroy(forcedComm));
  }
}

TEST_F(Collectives, LargePipelinedCallsAreExact) {
  // Enough segments that the tree and the chains pipeline over many rounds.
  const size_t count = (3u << 20) + 5;
  for (const Forced& forced : kEveryAlgorithm) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    config.algorithm = forced.spec;
    hoopComm_t forcedComm = nullptr;
    ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&forcedComm, MPI_COMM_WORLD, &config)) << hoopGetLastError(nullptr);
    const size_t perRankCount = forced.collective == Collective::AllGather || forced.collective == Collective::ReduceScatter
                                    ? count / static_cast<size_t>(nranks)
                                    : count;
    check(forcedComm, forced.collective, forced.spec, perRankCount, hoopFloat32, hoopSum, nranks - 1, false);
    EXPECT_EQ(hoopSuccess, hoopCommDestroy(forcedComm));
    if (HasFatalFailure()) return;
  }
}

TEST_F(Collectives, BarrierWaitsForEveryRank) {
  // Rank 0 enters 100 ms after the others; none may leave before it has entered (the slack
  // allows for ranks leaving MPI_Barrier at different times on an oversubscribed machine).
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = MPI_Wtime();
  if (rank == 0) {
    while (MPI_Wtime() - start < 0.1) {
    }
  }
  ASSERT_EQ(hoopSuccess, hoopBarrier(comm)) << hoopGetLastError(comm);
  const double waited = MPI_Wtime() - start;
  if (nranks > 1) {
    EXPECT_GE(waited, 0.05) << "rank " << rank << " left the barrier before rank 0 entered it";
  }
  for (int i = 0; i < 10; ++i) ASSERT_EQ(hoopSuccess, hoopBarrier(comm));
}

}  // namespace
