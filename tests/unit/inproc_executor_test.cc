// The in-process executor must reject schedules that would break on a real transport;
// otherwise a green schedule test would prove nothing.
#include <gtest/gtest.h>

#include <vector>

#include "transport/inproc/inproc_executor.h"

namespace hoop {
namespace {

class InProcessContract : public ::testing::Test {
 protected:
  Status run() {
    std::vector<const Schedule*> pointers = {&schedules[0], &schedules[1]};
    std::vector<Buffers> buffers = {Buffers{in[0].data(), out[0].data(), nullptr}, Buffers{in[1].data(), out[1].data(), nullptr}};
    const ReduceSpec spec{4, reduceFunction(hoopInt32, hoopSum), nullptr, 2};
    return runInProcess(pointers, buffers, spec);
  }

  Schedule schedules[2];
  std::vector<int32_t> in[2] = {std::vector<int32_t>(16, 1), std::vector<int32_t>(16, 2)};
  std::vector<int32_t> out[2] = {std::vector<int32_t>(16, 0), std::vector<int32_t>(16, 0)};
};

TEST_F(InProcessContract, DeliversAMatchedExchange) {
  for (int r = 0; r < 2; ++r) {
    schedules[r].send(1 - r, inputSpan(0, 16));
    schedules[r].recvReduce(1 - r, inputSpan(0, 16), outputSpan(0, 16));
  }
  const Status status = run();
  ASSERT_TRUE(status.isOk()) << status.message();
  EXPECT_EQ(out[0][7], 3);
  EXPECT_EQ(out[1][15], 3);
}

TEST_F(InProcessContract, ReportsSizeMismatch) {
  schedules[0].send(1, inputSpan(0, 16));
  schedules[1].recv(0, outputSpan(0, 8));
  const Status status = run();
  EXPECT_EQ(status.code(), hoopInternalError);
  EXPECT_NE(status.message().find("expected 32 bytes from rank 0, got 64"), std::string::npos) << status.message();
}

TEST_F(InProcessContract, ReportsDeadlockUnderSynchronousSends) {
  // Both ranks send first and receive only in the next round: fine with buffering, a
  // deadlock once messages are large enough to wait for their receiver.
  for (int r = 0; r < 2; ++r) {
    schedules[r].send(1 - r, inputSpan(0, 16));
    schedules[r].beginRound();
    schedules[r].recv(1 - r, outputSpan(0, 16));
  }
  const Status status = run();
  EXPECT_EQ(status.code(), hoopInternalError);
  EXPECT_NE(status.message().find("deadlock"), std::string::npos) << status.message();
}

TEST_F(InProcessContract, ReportsUnreceivedMessage) {
  schedules[0].send(1, inputSpan(0, 4));
  const Status status = run();
  EXPECT_EQ(status.code(), hoopInternalError);
}

TEST_F(InProcessContract, ReportsWriteOverDataBeingSent) {
  for (int r = 0; r < 2; ++r) {
    schedules[r].send(1 - r, outputSpan(0, 16));
    schedules[r].recv(1 - r, outputSpan(8, 8));
  }
  const Status status = run();
  EXPECT_EQ(status.code(), hoopInternalError);
  EXPECT_NE(status.message().find("overwrites memory being sent"), std::string::npos) << status.message();
}

TEST_F(InProcessContract, ReportsPeerOutOfRange) {
  schedules[0].send(2, inputSpan(0, 4));
  EXPECT_EQ(run().code(), hoopInternalError);
}

}  // namespace
}  // namespace hoop
