#include "core/comm.h"

#include "core/log.h"
#include "core/progress_engine.h"

hoopComm::hoopComm() = default;
hoopComm::~hoopComm() = default;

namespace hoop {

std::string& threadLastError() {
  static thread_local std::string message;
  return message;
}

hoopResult_t recordError(hoopComm* comm, const Status& status) {
  if (status.isOk()) return hoopSuccess;
  std::string& target = comm != nullptr ? comm->lastError : threadLastError();
  target = status.message();
  if (comm != nullptr) {
    HOOP_WARN("rank %d: %s", comm->rank, target.c_str());
  } else {
    HOOP_WARN("%s", target.c_str());
  }
  return status.code();
}

}  // namespace hoop
