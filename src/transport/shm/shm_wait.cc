#include "transport/shm/shm_wait.h"

#include <sched.h>
#include <time.h>

#include <string>

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
  return check(what);
}

Status Waiter::check(const char* what) {
  auto callName = [this]() -> std::string {
    if (limits_.call == nullptr) return "a shared-memory collective";
    return format("%s #%llu", collectiveKindName(limits_.call->kind), static_cast<unsigned long long>(limits_.call->sequence));
  };
  if (limits_.aborted != nullptr && limits_.aborted->load(std::memory_order_relaxed)) {
    return Status(hoopInvalidUsage, format("%s interrupted on rank %d while waiting for %s: the communicator was aborted",
                                           callName().c_str(), limits_.rank, what));
  }
  Status remote;
  if (limits_.peers != nullptr && limits_.call != nullptr && limits_.peers->peerFailed(limits_.call->sequence, &remote)) {
    return remote;
  }
  if (limits_.timeoutSeconds <= 0) return Status::ok();
  const double now = monotonicSeconds();
  if (deadline_ == 0.0) {
    deadline_ = now + limits_.timeoutSeconds;
  } else if (now > deadline_) {
    return Status(hoopTimeout, format("%s timed out on rank %d after %g s (HOOP_TIMEOUT) over shared memory, waiting "
                                      "for %s",
                                      callName().c_str(), limits_.rank, limits_.timeoutSeconds, what));
  }
  return Status::ok();
}

}  // namespace hoop
