#include "transport/shm/shm_wait.h"

#include <sched.h>
#include <time.h>

namespace hoop {

namespace {

constexpr uint32_t kSpinsBeforeYield = 1024;
constexpr uint32_t kPausesPerCheck = 256;

double monotonicSeconds() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

}  // namespace

Status Waiter::pause(const char* what) {
  if (!limits_.oversubscribed && spins_ < kSpinsBeforeYield) {
    ++spins_;
    __builtin_ia32_pause();
  } else {
    sched_yield();
  }
  if (++sinceCheck_ < kPausesPerCheck) return Status::ok();
  sinceCheck_ = 0;
  if (limits_.aborted != nullptr && limits_.aborted->load(std::memory_order_relaxed)) {
    return Status(hoopInvalidUsage, format("shared-memory wait for %s: the communicator was aborted", what));
  }
  if (limits_.timeoutSeconds <= 0) return Status::ok();
  const double now = monotonicSeconds();
  if (deadline_ == 0.0) {
    deadline_ = now + limits_.timeoutSeconds;
  } else if (now > deadline_) {
    return Status(hoopTimeout, format("shared-memory wait for %s timed out after %g s (HOOP_TIMEOUT; a peer "
                                      "stopped or called another collective)", what, limits_.timeoutSeconds));
  }
  return Status::ok();
}

}  // namespace hoop
