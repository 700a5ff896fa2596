// Misuse across ranks is reported, never hung on: arguments that differ between ranks, a
// peer that does not call, and hoopCommAbort from another thread.
#include <stdlib.h>
#include <string.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "mpi_fixture.h"

namespace {

bool says(const char* message, const std::string& part) { return std::string(message).find(part) != std::string::npos; }

// Whether "... from rank(s) 1 2 3 ..." lists `rank`: over MPI a ring's rank 0 names the one
// peer it receives from, over shared memory every rank that has not started the call.
bool namesSilentRank(const char* message, int rank) {
  const std::string text(message);
  const size_t list = text.find("from rank(s)");
  if (list == std::string::npos) return false;
  size_t at = list + strlen("from rank(s)");
  while (at < text.size() && text[at] == ' ') {
    char* end = nullptr;
    const long value = strtol(text.c_str() + at + 1, &end, 10);
    if (end == text.c_str() + at + 1) break;
    if (value == rank) return true;
    at = static_cast<size_t>(end - text.c_str());
  }
  return false;
}

class Reliability : public MpiCommTest {
 protected:
  // A fresh communicator with a short timeout, so a test that fails does not wait 600 s;
  // `algorithm` NULL lets the tuner choose.
  hoopComm_t commWithTimeout(double seconds, const char* algorithm = nullptr) {
    hoopConfig_t config = HOOP_CONFIG_INITIALIZER;
    config.timeoutSeconds = seconds;
    config.algorithm = algorithm;
    hoopComm_t c = nullptr;
    EXPECT_EQ(hoopSuccess, hoopCommInitMPI(&c, MPI_COMM_WORLD, &config)) << hoopGetLastError(nullptr);
    return c;
  }
  void expectUsable(hoopComm_t c) {
    int one = 1;
    int sum = 0;
    ASSERT_EQ(hoopSuccess, hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, c, nullptr)) << hoopGetLastError(c);
    EXPECT_EQ(sum, nranks);
  }
};

TEST_F(Reliability, CountMismatchFailsOnEveryRankAndNamesTheValues) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(60);
  const size_t count = rank == nranks - 1 ? 2000 : 1000;
  std::vector<float> send(count, 1.0f), recv(count);
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(send.data(), recv.data(), count, hoopFloat32, hoopSum, c, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(c), "allreduce #1")) << hoopGetLastError(c);
  EXPECT_TRUE(says(hoopGetLastError(c), "count=2000")) << hoopGetLastError(c);
  EXPECT_TRUE(says(hoopGetLastError(c), "count=1000")) << hoopGetLastError(c);
  expectUsable(c);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, DatatypeAndOpMismatchFailOnEveryRank) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(60);
  std::vector<double> send(4099, 1.0), recv(4099);
  const hoopDataType_t datatype = rank == 0 ? hoopFloat64 : hoopInt64;
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(send.data(), recv.data(), send.size(), datatype, hoopSum, c, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(c), "datatype=")) << hoopGetLastError(c);
  const hoopRedOp_t op = rank == 1 ? hoopMax : hoopSum;
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(send.data(), recv.data(), 3, hoopFloat64, op, c, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(c), "op=")) << hoopGetLastError(c);
  expectUsable(c);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, LargeMismatchedBuffersFailCleanly) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(60);
  const size_t count = (1u << 20) + static_cast<size_t>(rank) * 777;
  std::vector<float> data(count, 1.0f);
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(data.data(), data.data(), count, hoopFloat32, hoopSum, c, nullptr));
  expectUsable(c);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, CountsThatLeadToDifferentAlgorithmsStillFailFast) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(30);
  const size_t count = rank == 0 ? 2 : (size_t{1} << 20);
  std::vector<float> data(count, 1.0f);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(data.data(), data.data(), count, hoopFloat32, hoopSum, c, nullptr))
      << hoopGetLastError(c);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  EXPECT_TRUE(says(hoopGetLastError(c), "count=")) << hoopGetLastError(c);
  expectUsable(c);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, RanksForcedOntoDifferentAlgorithmsFail) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(30, rank == 0 ? "ring" : "recursive-doubling");
  std::vector<double> data(1000, 1.0);
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(data.data(), data.data(), data.size(), hoopFloat64, hoopSum, c, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(c), "algorithm=")) << hoopGetLastError(c);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, MissingPeerTimesOutNamingIt) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  hoopComm_t c = commWithTimeout(0.5, "ring");  // in a ring, rank 0 waits for rank n-1 at least
  if (rank == 0) {
    int one = 1, sum = 0;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(hoopTimeout, hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, c, nullptr));
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(waited, 0.5);
    EXPECT_LT(waited, 5.0);
    EXPECT_TRUE(says(hoopGetLastError(c), "allreduce #1 timed out on rank 0")) << hoopGetLastError(c);
    EXPECT_TRUE(namesSilentRank(hoopGetLastError(c), nranks - 1)) << hoopGetLastError(c);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, AbortFromAnotherThreadEndsTheCallAndWarnsPeers) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  // The ring: with a one-exchange algorithm a peer could finish legitimately with the data
  // the aborted rank sent before it stopped.
  hoopComm_t c = commWithTimeout(60, "ring");
  if (rank == 0) {
    std::thread aborter([c] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      EXPECT_EQ(hoopSuccess, hoopCommAbort(c));
    });
    int one = 1, sum = 0;
    const auto start = std::chrono::steady_clock::now();
    const hoopResult_t rc = hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, c, nullptr);
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    aborter.join();
    EXPECT_EQ(hoopInvalidUsage, rc);
    EXPECT_LT(waited, 1.2);
    EXPECT_TRUE(says(hoopGetLastError(c), "aborted")) << hoopGetLastError(c);
    EXPECT_EQ(hoopInvalidUsage, hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, c, nullptr));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank != 0) {
    // The peer learns of the abort from rank 0's notice instead of waiting 60 s.
    int one = 1, sum = 0;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(hoopRemoteError, hoopAllReduce(&one, &sum, 1, hoopInt32, hoopSum, c, nullptr));
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
    EXPECT_TRUE(says(hoopGetLastError(c), "rank 0 failed")) << hoopGetLastError(c);
  }
  EXPECT_EQ(hoopSuccess, hoopCommDestroy(c));
}

TEST_F(Reliability, SettingsThatDifferBetweenRanksFailInitOnEveryRank) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  setenv("HOOP_SEGMENT_BYTES", rank == 0 ? "65536" : "131072", 1);
  hoopComm_t c = nullptr;
  EXPECT_EQ(hoopInvalidUsage, hoopCommInitMPI(&c, MPI_COMM_WORLD, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "HOOP_SEGMENT_BYTES (segmentBytes) differs between ranks (from 65536 to "
                                              "131072)"))
      << hoopGetLastError(nullptr);
  unsetenv("HOOP_SEGMENT_BYTES");
}

TEST_F(Reliability, AnInvalidSettingOnOneRankFailsInitOnEveryRank) {
  if (nranks < 2) GTEST_SKIP() << "needs two ranks";
  setenv("HOOP_TIMEOUT", rank == nranks - 1 ? "soon" : "30", 1);
  hoopComm_t c = nullptr;
  const hoopResult_t rc = hoopCommInitMPI(&c, MPI_COMM_WORLD, nullptr);
  if (rank == nranks - 1) {
    EXPECT_EQ(hoopInvalidArgument, rc);
    EXPECT_TRUE(says(hoopGetLastError(nullptr), "HOOP_TIMEOUT='soon'")) << hoopGetLastError(nullptr);
  } else {
    EXPECT_EQ(hoopInvalidUsage, rc);
    EXPECT_TRUE(says(hoopGetLastError(nullptr), "another rank")) << hoopGetLastError(nullptr);
  }
  unsetenv("HOOP_TIMEOUT");
}

TEST_F(Reliability, TimeoutParameterIsValidated) {
  setenv("HOOP_TIMEOUT", "soon", 1);
  hoopComm_t c = nullptr;
  EXPECT_EQ(hoopInvalidArgument, hoopCommInitMPI(&c, MPI_COMM_WORLD, nullptr));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "HOOP_TIMEOUT='soon'")) << hoopGetLastError(nullptr);
  unsetenv("HOOP_TIMEOUT");
}

}  // namespace
