// This program initializes MPI with MPI_Init (MPI_THREAD_SINGLE): asynchronous calls must be
// refused with a message naming the thread level they need, and the communicator must keep
// working for blocking calls.
#include <string>

#include "hoop/trainer.h"
#include "mpi_fixture.h"

namespace {

using AsyncThreadLevel = MpiCommTest;

TEST_F(AsyncThreadLevel, AsyncNeedsThreadMultiple) {
  int provided = MPI_THREAD_MULTIPLE;
  MPI_Query_thread(&provided);
  if (provided == MPI_THREAD_MULTIPLE) GTEST_SKIP() << "MPI provides MPI_THREAD_MULTIPLE here";
  float x = 1.0f;
  hoopRequest_t request = nullptr;
  EXPECT_EQ(hoopInvalidUsage, hoopAllReduceAsync(&x, &x, 1, hoopFloat32, hoopSum, comm, &request));
  EXPECT_EQ(nullptr, request);
  const std::string message = hoopGetLastError(comm);
  EXPECT_NE(std::string::npos, message.find("MPI_THREAD_MULTIPLE")) << message;
  EXPECT_NE(std::string::npos, message.find("MPI_THREAD_SINGLE")) << message;

  std::unique_ptr<hoop::Trainer> trainer;
  EXPECT_EQ(hoopInvalidUsage, hoop::Trainer::create(comm, hoop::TrainerOptions{}, &trainer));
  EXPECT_EQ(nullptr, trainer);
  EXPECT_NE(std::string::npos, std::string(hoopGetLastError(comm)).find("MPI_THREAD_MULTIPLE"));

  float sum = 0.0f;
  ASSERT_EQ(hoopSuccess, hoopAllReduce(&x, &sum, 1, hoopFloat32, hoopSum, comm, nullptr));
  EXPECT_EQ(static_cast<float>(nranks), sum);
}

}  // namespace
