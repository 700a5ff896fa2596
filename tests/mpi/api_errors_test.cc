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
