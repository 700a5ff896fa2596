#include "core/comm_cuda.h"

#include "core/log.h"
#include "transport/cuda/clique.h"

namespace hoop {

Status visibleCudaDevices(int* count) { return cudaDeviceCount(count); }

Status createCliqueComms(int ndev, const int* devlist, std::vector<std::unique_ptr<hoopComm>>* comms) {
  std::vector<int> devices(static_cast<size_t>(ndev));
  for (int i = 0; i < ndev; ++i) devices[i] = devlist != nullptr ? devlist[i] : i;
  CommConfig config;
  HOOP_RETURN_IF_ERROR(resolveConfig(nullptr, &config));
  std::shared_ptr<Clique> clique;
  HOOP_RETURN_IF_ERROR(Clique::create(devices, &clique));
  comms->clear();
  for (int r = 0; r < ndev; ++r) {
    auto comm = std::make_unique<hoopComm>();
    comm->rank = r;
    comm->nranks = ndev;
    comm->device = devices[r];
    comm->config = config;
    comm->executor = std::make_unique<CliqueExecutor>(clique, r);
    comms->push_back(std::move(comm));
  }
  HOOP_INFO(kLogInit, "single-process clique of %d rank(s) ready", ndev);
  return Status::ok();
}

}  // namespace hoop
