// A hoop communicator over MPI_COMM_WORLD for each test, and a helper that checks every
// rank holds the same bytes.
#pragma once

#include <gtest/gtest.h>
#include <mpi.h>

#include <vector>

#include "hoop/hoop_mpi.h"

class MpiCommTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr)) << hoopGetLastError(nullptr);
  }
  void TearDown() override { EXPECT_EQ(hoopSuccess, hoopCommDestroy(comm)); }

  // True when `bytes` bytes at `data` are identical on every rank.
  static bool sameOnAllRanks(const void* data, size_t bytes) {
    std::vector<char> root(static_cast<const char*>(data), static_cast<const char*>(data) + bytes);
    for (size_t offset = 0; offset < bytes; offset += 1 << 30) {
      const int chunk = static_cast<int>(bytes - offset < (1u << 30) ? bytes - offset : 1u << 30);
      MPI_Bcast(root.data() + offset, chunk, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
    const int same = memcmp(root.data(), data, bytes) == 0 ? 1 : 0;
    int all = 0;
    MPI_Allreduce(&same, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
  }

  int rank = 0;
  int nranks = 1;
  hoopComm_t comm = nullptr;
};
