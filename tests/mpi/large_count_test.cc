// A count above INT_MAX (more elements than an MPI int can count) must work.
#include <limits.h>

#include <vector>

#include "mpi_fixture.h"

namespace {

class LargeCount : public MpiCommTest {};

TEST_F(LargeCount, Int8SumAboveIntMax) {
  const size_t count = static_cast<size_t>(INT_MAX) + 4099;
  std::vector<int8_t> data(count, 1);
  data[count - 1] = static_cast<int8_t>(rank + 2);
  ASSERT_EQ(hoopSuccess, hoopAllReduce(data.data(), data.data(), count, hoopInt8, hoopSum, comm, nullptr))
      << hoopGetLastError(comm);
  size_t wrong = 0;
  for (size_t i = 0; i + 1 < count; ++i) wrong += data[i] != nranks;
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(data[count - 1], nranks * (nranks + 3) / 2);
}

}  // namespace
