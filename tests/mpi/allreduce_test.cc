// hoopAllReduce between MPI processes: exact results for every datatype x op x count, in
// place and out of place (also mixed between ranks), bitwise identical on all ranks and
// across repeated calls.
#include <random>
#include <vector>

#include "exact_data.h"
#include "mpi_fixture.h"

namespace {

using hoop::testing::datatypeName;
using hoop::testing::opName;

class AllReduce : public MpiCommTest {};

TEST_F(AllReduce, ExactForEveryDatatypeOpCountAndPlacement) {
  const size_t counts[] = {0, 1, 3, static_cast<size_t>(nranks) - 1, 1000, (1u << 20) + 7};
  for (size_t count : counts) {
    for (int dt = 0; dt < hoopNumTypes; ++dt) {
      const hoopDataType_t datatype = static_cast<hoopDataType_t>(dt);
      const size_t bytes = count * hoop::testing::typeSize(datatype);
      for (int o = 0; o < hoopNumOps; ++o) {
        const hoopRedOp_t op = static_cast<hoopRedOp_t>(o);
        std::vector<char> expected(bytes + 1);
        hoop::testing::fillExpected(expected.data(), datatype, op, nranks, count);
        for (bool inPlace : {false, true}) {
          std::vector<char> send(bytes + 1);
          std::vector<char> recv(bytes + 1, 0x5a);
          hoop::testing::fillExactInput(send.data(), datatype, op, rank, count);
          void* out = inPlace ? send.data() : recv.data();
          ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), out, count, datatype, op, comm, nullptr))
              << hoopGetLastError(comm);
          ASSERT_EQ(0, memcmp(expected.data(), out, bytes))
              << "rank " << rank << "/" << nranks << " count " << count << " " << datatypeName(datatype) << " "
              << opName(op) << (inPlace ? " in place" : " out of place");
          if (!inPlace) {
            ASSERT_EQ(recv[bytes], 0x5a) << "wrote past the end of recvbuff";
            std::vector<char> input(bytes + 1);
            hoop::testing::fillExactInput(input.data(), datatype, op, rank, count);
            ASSERT_EQ(0, memcmp(input.data(), send.data(), bytes)) << "modified sendbuff";
          }
        }
      }
    }
  }
}

// Each rank chooses in place or out of place for itself; the ranks must not take different
// paths because of it. Sizes in each range of the shared-memory transport (the latency path,
// the single copy, and from 32 MiB the staged pipeline unless every rank is in place).
TEST_F(AllReduce, SomeRanksInPlaceOthersNot) {
  const size_t counts[] = {5, 100003, (size_t{8} << 20) + 5};  // the last: 32 MiB + 20 B of float32
  for (size_t count : counts) {
    for (const hoopDataType_t datatype : {hoopFloat32, hoopInt64}) {
      if (count > 100003 && datatype != hoopFloat32) continue;  // one large size is enough, and costly
      const size_t bytes = count * hoop::testing::typeSize(datatype);
      std::vector<char> expected(bytes);
      hoop::testing::fillExpected(expected.data(), datatype, hoopSum, nranks, count);
      for (int placement : {0, 1, 2}) {  // every rank in place, then the odd ones, then the even ones
        const bool inPlace = placement == 0 || rank % 2 == placement % 2;
        std::vector<char> send(bytes);
        std::vector<char> recv(inPlace ? 0 : bytes);
        hoop::testing::fillExactInput(send.data(), datatype, hoopSum, rank, count);
        void* out = inPlace ? send.data() : recv.data();
        ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), out, count, datatype, hoopSum, comm, nullptr))
            << hoopGetLastError(comm);
        ASSERT_EQ(0, memcmp(expected.data(), out, bytes)) << "rank " << rank << "/" << nranks << " count " << count
                                                          << " " << datatypeName(datatype)
                                                          << (inPlace ? " in place" : " out of place");
      }
    }
  }
}

TEST_F(AllReduce, RandomFloatsAreBitwiseIdenticalOnAllRanksAndRepeatable) {
  const size_t count = 300007;
  std::mt19937 generator(1234 + rank);
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  std::vector<float> send(count);
  for (float& v : send) v = distribution(generator);
  for (hoopRedOp_t op : {hoopSum, hoopAvg, hoopProd}) {
    std::vector<float> first(count);
    std::vector<float> second(count);
    ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), first.data(), count, hoopFloat32, op, comm, nullptr));
    ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), second.data(), count, hoopFloat32, op, comm, nullptr));
    EXPECT_EQ(0, memcmp(first.data(), second.data(), count * sizeof(float))) << opName(op) << " not repeatable";
    EXPECT_TRUE(sameOnAllRanks(first.data(), count * sizeof(float))) << opName(op) << " differs across ranks";
  }
}

TEST_F(AllReduce, RandomFloatSumIsCloseToTheFloat64Reference) {
  const size_t count = 10007;
  std::vector<float> send(count);
  std::vector<double> reference(count, 0.0);
  for (int r = 0; r < nranks; ++r) {
    std::mt19937 generator(99 + r);
    std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
    for (size_t i = 0; i < count; ++i) {
      const float v = distribution(generator);
      reference[i] += v;
      if (r == rank) send[i] = v;
    }
  }
  std::vector<float> recv(count);
  ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), recv.data(), count, hoopFloat32, hoopSum, comm, nullptr));
  for (size_t i = 0; i < count; ++i) ASSERT_NEAR(recv[i], reference[i], 1e-5 * nranks) << "element " << i;
}

TEST_F(AllReduce, SegmentAndPipelineSettingsDoNotChangeResults) {
  hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
  config.segmentBytes = 192;  // not a multiple of 8 bytes: segments must still hold whole elements
  config.pipelineDepth = 2;
  hoopComm_t small = nullptr;
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&small, MPI_COMM_WORLD, &config)) << hoopGetLastError(nullptr);
  const size_t count = 5003;
  std::vector<double> send(count);
  std::vector<double> recv(count);
  std::vector<double> expected(count);
  hoop::testing::fillExactInput(send.data(), hoopFloat64, hoopSum, rank, count);
  hoop::testing::fillExpected(expected.data(), hoopFloat64, hoopSum, nranks, count);
  ASSERT_EQ(hoopSuccess, hoopAllReduce(send.data(), recv.data(), count, hoopFloat64, hoopSum, small, nullptr));
  EXPECT_EQ(0, memcmp(expected.data(), recv.data(), count * sizeof(double)));
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(small));
}

TEST_F(AllReduce, ReportsRankAndCount) {
  int r = -1;
  int n = -1;
  ASSERT_EQ(hoopSuccess, hoopCommRank(comm, &r));
  ASSERT_EQ(hoopSuccess, hoopCommCount(comm, &n));
  EXPECT_EQ(r, rank);
  EXPECT_EQ(n, nranks);
}

}  // namespace
