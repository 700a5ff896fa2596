// Asynchronous all-reduce under MPI_THREAD_MULTIPLE: exact results for every datatype x op
// with all of them in flight at once, completion in issue order (each request reads what
// the previous one wrote), blocking calls ordered behind requests in flight, hoopTest
// polling, and the request handle's rules.
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "exact_data.h"
#include "mpi_fixture.h"

namespace {

using hoop::testing::datatypeName;
using hoop::testing::opName;
using hoop::testing::typeSize;

class AsyncAllReduce : public MpiCommTest {
 protected:
  static bool says(const char* message, const std::string& part) {
    return std::string(message).find(part) != std::string::npos;
  }
};

struct Call {
  hoopDataType_t datatype;
  hoopRedOp_t op;
  size_t count;
  bool inPlace;
  std::vector<char> input;
  std::vector<char> output;
  hoopRequest_t request = nullptr;
};

TEST_F(AsyncAllReduce, EveryDatatypeAndOpInFlightTogether) {
  std::vector<Call> calls;
  const size_t counts[] = {1, 7, 1001, 70001};
  size_t variant = 0;
  for (int d = 0; d < hoopNumTypes; ++d) {
    for (int o = 0; o < hoopNumOps; ++o) {
      const size_t count = counts[variant % 4];
      const bool inPlace = (variant / 4) % 2 == 1;
      ++variant;
      Call call{static_cast<hoopDataType_t>(d), static_cast<hoopRedOp_t>(o), count, inPlace, {}, {}};
      call.input.resize(count * typeSize(call.datatype));
      call.output.resize(call.input.size());
      hoop::testing::fillExactInput(call.input.data(), call.datatype, call.op, rank, count);
      calls.push_back(std::move(call));
    }
  }
  for (Call& call : calls) {
    void* out = call.inPlace ? call.input.data() : call.output.data();
    ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(call.input.data(), out, call.count, call.datatype, call.op, comm,
                                              &call.request))
        << hoopGetLastError(comm);
    ASSERT_NE(nullptr, call.request);
  }
  for (Call& call : calls) {
    ASSERT_EQ(hoopSuccess, hoopWait(&call.request)) << hoopGetLastError(comm);
    EXPECT_EQ(nullptr, call.request);
    std::vector<char> expected(call.input.size());
    hoop::testing::fillExpected(expected.data(), call.datatype, call.op, nranks, call.count);
    const char* out = call.inPlace ? call.input.data() : call.output.data();
    EXPECT_EQ(0, memcmp(expected.data(), out, expected.size()))
        << datatypeName(call.datatype) << " " << opName(call.op) << " count " << call.count
        << (call.inPlace ? " in place" : " out of place");
  }
}

// Request k reads buffer k and writes buffer k+1, so any reordering reads stale data.
TEST_F(AsyncAllReduce, CompleteInIssueOrder) {
  const int chain = 24;
  const size_t count = 5000;
  std::vector<std::vector<int64_t>> buffers(chain + 1, std::vector<int64_t>(count, 0));
  for (size_t i = 0; i < count; ++i) buffers[0][i] = rank + 1 + static_cast<int64_t>(i % 5);
  std::vector<hoopRequest_t> requests(chain, nullptr);
  for (int k = 0; k < chain; ++k) {
    ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(buffers[k].data(), buffers[k + 1].data(), count, hoopInt64,
                                              k % 2 == 0 ? hoopSum : hoopMax, comm, &requests[k]));
  }
  for (hoopRequest_t& request : requests) ASSERT_EQ(hoopSuccess, hoopWait(&request)) << hoopGetLastError(comm);
  for (size_t i = 0; i < count; ++i) {
    // sum over ranks of (r + 1 + i%5), then max (no change), then sum (times n), ...
    int64_t value = static_cast<int64_t>(nranks) * (nranks + 1) / 2 + static_cast<int64_t>(nranks) * static_cast<int64_t>(i % 5);
    for (int k = 2; k < chain; k += 2) value *= nranks;
    ASSERT_EQ(value, buffers[chain][i]) << "element " << i;
  }
}

// A blocking all-reduce issued while requests are in flight reads the output of the last one.
TEST_F(AsyncAllReduce, BlockingCallsWaitForRequestsInFlight) {
  const size_t count = 300000;
  std::vector<float> a(count, 1.0f);
  std::vector<float> b(count, 0.0f);
  std::vector<float> c(count, 0.0f);
  hoopRequest_t first = nullptr;
  hoopRequest_t second = nullptr;
  ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(a.data(), b.data(), count, hoopFloat32, hoopSum, comm, &first));
  ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(b.data(), b.data(), count, hoopFloat32, hoopSum, comm, &second));
  ASSERT_EQ(hoopSuccess, hoopAllReduce(b.data(), c.data(), count, hoopFloat32, hoopSum, comm, nullptr));
  const float expected = static_cast<float>(nranks) * nranks * nranks;
  EXPECT_EQ(expected, c[0]);
  EXPECT_EQ(expected, c[count - 1]);
  int done = 0;
  ASSERT_EQ(hoopSuccess, hoopTest(&first, &done));
  EXPECT_EQ(1, done);
  EXPECT_EQ(nullptr, first);
  ASSERT_EQ(hoopSuccess, hoopWait(&second));
}

TEST_F(AsyncAllReduce, TestPollsUntilDone) {
  std::vector<double> data(1 << 20, 1.0);
  hoopRequest_t request = nullptr;
  ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(data.data(), data.data(), data.size(), hoopFloat64, hoopAvg, comm, &request));
  int done = 0;
  while (!done) ASSERT_EQ(hoopSuccess, hoopTest(&request, &done)) << hoopGetLastError(comm);
  EXPECT_EQ(nullptr, request);
  EXPECT_EQ(1.0, data[0]);
  EXPECT_EQ(1.0, data.back());
  // A completed (NULL) request stays completed.
  EXPECT_EQ(hoopSuccess, hoopTest(&request, &done));
  EXPECT_EQ(1, done);
  EXPECT_EQ(hoopSuccess, hoopWait(&request));
}

// A copy of a handle that was already completed and freed is refused, not used. The other
// bad arguments are rows of the bad-input matrix (api_errors_test.cc).
TEST_F(AsyncAllReduce, StaleHandleIsRefused) {
  float x = 1.0f;
  hoopRequest_t request = nullptr;
  ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(&x, &x, 1, hoopFloat32, hoopSum, comm, &request));
  hoopRequest_t stale = request;
  ASSERT_EQ(hoopSuccess, hoopWait(&request));
  EXPECT_EQ(hoopInvalidArgument, hoopWait(&stale));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "hoopWait: request")) << hoopGetLastError(nullptr);
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "is not a live request")) << hoopGetLastError(nullptr);
  int done = 0;
  EXPECT_EQ(hoopInvalidArgument, hoopTest(&stale, &done));
  EXPECT_TRUE(says(hoopGetLastError(nullptr), "hoopTest: request")) << hoopGetLastError(nullptr);
}

// Destroying a communicator completes what is still in flight.
TEST_F(AsyncAllReduce, DestroyCompletesRequestsInFlight) {
  hoopComm_t second = nullptr;
  ASSERT_EQ(hoopSuccess, hoopCommInitMPI(&second, MPI_COMM_WORLD, nullptr));
  std::vector<int32_t> data(100000, 2);
  hoopRequest_t request = nullptr;
  ASSERT_EQ(hoopSuccess, hoopAllReduceAsync(data.data(), data.data(), data.size(), hoopInt32, hoopSum, second, &request));
  ASSERT_EQ(hoopSuccess, hoopCommDestroy(second));
  EXPECT_EQ(2 * nranks, data[0]);
  EXPECT_EQ(2 * nranks, data.back());
}

}  // namespace
