#include "core/comm_registry.h"

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

}  // namespace

void registerComm(hoopComm* comm) {
  std::lock_guard<std::mutex> lock(registryMutex());
  registry().insert(comm);
}

void unregisterComm(hoopComm* comm) {
  std::lock_guard<std::mutex> lock(registryMutex());
  registry().erase(comm);
}

bool isLiveComm(const hoopComm* comm) {
  std::lock_guard<std::mutex> lock(registryMutex());
  return registry().count(comm) != 0;
}

}  // namespace hoop
