// The registry is a set under a mutex. The check on every collective call must cost next
// to nothing, so each thread remembers the last communicator it found live together with
// the registry's generation (bumped by every create and destroy): while neither changed,
// the answer stands without taking the lock.
#include "core/comm_registry.h"

#include <atomic>
#include <mutex>
#include <unordered_set>

namespace hoop {

namespace {

std::mutex& registryMutex() {
  static std::mutex mutex;
  return mutex;
}

std::unordered_set<const hoopComm*>& registry() {
  static std::unordered_set<const hoopComm*> comms;
  return comms;
}

std::atomic<uint64_t> generation{1};

struct LastLive {
  const hoopComm* comm = nullptr;
  uint64_t generation = 0;
};
thread_local LastLive lastLive;

}  // namespace

void registerComm(hoopComm* comm) {
  std::lock_guard<std::mutex> lock(registryMutex());
  registry().insert(comm);
  generation.fetch_add(1, std::memory_order_acq_rel);
}

void unregisterComm(hoopComm* comm) {
  std::lock_guard<std::mutex> lock(registryMutex());
  registry().erase(comm);
  generation.fetch_add(1, std::memory_order_acq_rel);
}

bool isLiveComm(const hoopComm* comm) {
  const uint64_t current = generation.load(std::memory_order_acquire);
  if (comm == lastLive.comm && current == lastLive.generation) return true;
  std::lock_guard<std::mutex> lock(registryMutex());
  if (registry().count(comm) == 0) return false;
  lastLive.comm = comm;
  lastLive.generation = generation.load(std::memory_order_relaxed);
  return true;
}

}  // namespace hoop
