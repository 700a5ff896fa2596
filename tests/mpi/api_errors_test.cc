// Bad arguments to the C API: the documented result code, a message that names the
// problem, and a communicator that keeps working afterwards.
#include <stdint.h>

#include <string>
#include <vector>

#include "mpi_fixture.h"

namespace {

class ApiErrors : public MpiCommTest {
 protected:
  void expectUsable() {
    int one = 1;
    int sum = 0;
    ASSERT_EQ(hoopSuccess, hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, comm, nullptr)) << hoopGetLastError(comm);
    EXPECT_EQ(sum, nranks);
  }
  static bool says(const char* message, const std::string& part) {
    return std::string(message).find(part) != std::string::npos;
  }

  std::vector<float> a = std::vector<float>(64, 1.0f);
  std::vector<float> b = std::vector<float>(64, 0.0f);
};

TEST_F(ApiErrors, NullComm) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, hoopFloat32, hoopSum, nullptr, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "comm is NULL")) << hoopGetLastError(nullptr);
}

TEST_F(ApiErrors, UnknownDatatype) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, static_cast<hoopDataType_t>(10), hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "unknown datatype 10")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, static_cast<hoopDataType_t>(-1), hoopSum, comm, nullptr));
  expectUsable();
}

TEST_F(ApiErrors, UnknownOp) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, hoopFloat32, static_cast<hoopRedOp_t>(5), comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "unknown reduction op 5")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, hoopFloat32, static_cast<hoopRedOp_t>(-3), comm, nullptr));
  expectUsable();
}

TEST_F(ApiErrors, NullBuffersOnlyWithZeroCount) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(nullptr, b.data(), 4, hoopFloat32, hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "sendbuff is NULL with count 4")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), nullptr, 4, hoopFloat32, hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "recvbuff is NULL")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopSuccess, hoopAllReduce(nullptr, nullptr, 0, hoopFloat32, hoopSum, comm, nullptr));
  expectUsable();
}

TEST_F(ApiErrors, PartlyOverlappingBuffers) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), a.data() + 1, 8, hoopFloat32, hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "overlap")) << hoopGetLastError(comm);
  expectUsable();
}

TEST_F(ApiErrors, ByteSizeOverflow) {
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), SIZE_MAX / 4, hoopInt64, hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "overflows")) << hoopGetLastError(comm);
  expectUsable();
}

TEST_F(ApiErrors, StreamOnHostCommunicator) {
  int fakeStream = 0;
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, hoopFloat32, hoopSum, comm, &fakeStream));
  EXPECT_TRUE(says(hoopGetLastError(comm), "stream")) << hoopGetLastError(comm);
  expectUsable();
}

TEST_F(ApiErrors, NullOutPointers) {
  EXPECT_EQ(hoopInvalidArgument, hoopCommRank(comm, nullptr));
  EXPECT_EQ(hoopInvalidArgument, hoopCommCount(comm, nullptr));
  EXPECT_EQ(hoopInvalidArgument, hoopGetVersion(nullptr));
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(nullptr, MPI_COMM_WORLD, nullptr));
  expectUsable();
}

TEST_F(ApiErrors, DestroyedCommunicator) {
  hoopComm_t other = nullptr;
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&other, MPI_COMM_WORLD, nullptr));
  ASSERT_EQ(hoopSuccess, hoopCommDestroy(other));
  EXPECT_EQ(hoopInvalidArgument, hoopAllReduce(a.data(), b.data(), 4, hoopFloat32, hoopSum, other, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "not a live communicator")) << hoopGetLastError(nullptr);
  EXPECT_EQ(hoopInvalidArgument, hoopCommDestroy(other));
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(nullptr));
}

TEST_F(ApiErrors, BadConfig) {
  hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
  config.magic = 0;
  hoopComm_t other = reinterpret_cast<hoopComm_t>(&config);
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&other, MPI_COMM_WORLD, &config));
  EXPECT_EQ(other, nullptr);
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "HOOP_CONFIG_INITIALIZER")) << hoopGetLastError(nullptr);

  hoopConfig_t named = HOOP_CONFIG_INITIALIZER;
  named.algorithm = "bogus";
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&other, MPI_COMM_WORLD, &named));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "unknown algorithm 'bogus'")) << hoopGetLastError(nullptr);

  hoopConfig_t depth = HOOP_CONFIG_INITIALIZER;
  depth.pipelineDepth = -1;
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&other, MPI_COMM_WORLD, &depth));
}

TEST_F(ApiErrors, RootOutOfRange) {
  for (int root : {-1, nranks}) {
    EXPECT_EQ(hoopInvalidArgument, hoopBroadcast(a.data(), b.data(), 4, hoopFloat32, root, comm, nullptr));
    EXPECT_TRUE(says(hoopGetLastError(comm), "root " + std::to_string(root) + " is not a rank")) << hoopGetLastError(comm);
    EXPECT_EQ(hoopInvalidArgument, hoopReduce(a.data(), b.data(), 4, hoopFloat32, hoopSum, root, comm, nullptr));
    EXPECT_TRUE(says(hoopGetLastError(comm), "valid: 0..")) << hoopGetLastError(comm);
  }
  expectUsable();
}

TEST_F(ApiErrors, BuffersOnlyWhereTheyAreUsed) {
  // Broadcast reads sendbuff on the root only; reduce writes recvbuff on the root only.
  const int root = nranks - 1;
  std::vector<float> data(8, rank == root ? 2.0f : 0.0f);
  ASSERT_EQ(hoopSuccess, hoopBroadcast(rank == root ? data.data() : nullptr, b.data(), 8, hoopFloat32, root, comm, nullptr))
      << hoopGetLastError(comm);
  EXPECT_EQ(b[7], 2.0f);
  ASSERT_EQ(hoopSuccess, hoopReduce(a.data(), rank == root ? b.data() : nullptr, 8, hoopFloat32, hoopSum, root, comm, nullptr))
      << hoopGetLastError(comm);
  if (rank == root) {
    EXPECT_EQ(b[3], static_cast<float>(nranks));
  }
  EXPECT_EQ(hoopInvalidArgument, hoopBroadcast(a.data(), nullptr, 8, hoopFloat32, root, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "recvbuff is NULL")) << hoopGetLastError(comm);
  expectUsable();
}

TEST_F(ApiErrors, GatherAndScatterLayouts) {
  std::vector<float> big(64 * nranks, 1.0f);
  // Overlapping but not NCCL's in-place layout (which puts rank r's block at r * 8).
  EXPECT_EQ(hoopInvalidArgument, hoopAllGather(big.data() + 1, big.data(), 8, hoopFloat32, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "sendbuff = recvbuff + rank * sendcount")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopReduceScatter(big.data(), big.data() + 1, 8, hoopFloat32, hoopSum, comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "recvbuff = sendbuff + rank * recvcount")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopAllGather(a.data(), b.data(), SIZE_MAX / 2, hoopFloat32, comm, nullptr));
  EXPECT_EQ(hoopInvalidArgument, hoopReduceScatter(a.data(), b.data(), 4, hoopFloat32, static_cast<hoopRedOp_t>(9), comm, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(comm), "unknown reduction op 9")) << hoopGetLastError(comm);
  EXPECT_EQ(hoopInvalidArgument, hoopBarrier(nullptr));
  expectUsable();
}

TEST_F(ApiErrors, BadAlgorithmSpecs) {
  hoopComm_t other = nullptr;
  hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
  config.algorithm = "allgather:tree";
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&other, MPI_COMM_WORLD, &config));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "does not implement allgather (valid: auto ring bruck)"))
      << hoopGetLastError(nullptr);
  config.algorithm = "allreduce:ring@<4Q";
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&other, MPI_COMM_WORLD, &config));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "config algorithm='allreduce:ring@<4Q'")) << hoopGetLastError(nullptr);
  EXPECT_EQ(other, nullptr);
}

TEST(ApiStrings, EveryResultHasAName) {
  for (int r = 0; r <= hoopNumResults; ++r) {
    const char* name = hoopGetErrorString(static_cast<hoopResult_t>(r));
    ASSERT_NE(name, nullptr);
    EXPECT_GT(strlen(name), 0u);
  }
  EXPECT_STREQ(hoopGetErrorString(hoopSuccess), "no error");
  int version = 0;
  ASSERT_EQ(hoopSuccess, hoopGetVersion(&version));
  EXPECT_EQ(version, HOOP_VERSION_CODE);
}

}  // namespace
