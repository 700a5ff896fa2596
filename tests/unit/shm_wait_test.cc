// The shared-memory transport's waits end: by the flag, by the deadline, or by the abort flag.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "transport/shm/shm_wait.h"

namespace {

TEST(ShmWait, ReturnsOnceTheCounterReachesTheTarget) {
  std::atomic<uint64_t> counter{0};
  hoop::WaitLimits limits;
  limits.timeoutSeconds = 30;
  hoop::Waiter waiter(limits);
  std::thread writer([&] { counter.store(3, std::memory_order_release); });
  EXPECT_TRUE(hoop::waitAtLeast(counter, 3, waiter, "the writer").isOk());
  writer.join();
}

TEST(ShmWait, TimesOutWithACodeAndTheWaitsName) {
  std::atomic<uint64_t> counter{0};
  hoop::WaitLimits limits;
  limits.timeoutSeconds = 0.05;
  limits.oversubscribed = true;
  hoop::Waiter waiter(limits);
  const hoop::Status status = hoop::waitAtLeast(counter, 1, waiter, "a peer that never comes");
  EXPECT_EQ(hoopTimeout, status.code());
  EXPECT_NE(std::string::npos, status.message().find("a peer that never comes")) << status.message();
}

TEST(ShmWait, StopsWhenAborted) {
  std::atomic<uint64_t> counter{0};
  std::atomic<bool> abort{true};
  hoop::WaitLimits limits;
  limits.timeoutSeconds = 0;  // no deadline: only the abort flag ends this wait
  limits.aborted = &abort;
  hoop::Waiter waiter(limits);
  EXPECT_EQ(hoopInvalidUsage, hoop::waitAtLeast(counter, 1, waiter, "an aborted peer").code());
}

}  // namespace
