// Public entry points that create communicators from MPI (built with HOOP_WITH_MPI).
#include <new>

#include "api/argcheck.h"
#include "core/comm_mpi.h"
#include "core/comm_registry.h"
#include "hoop/hoop_mpi.h"
#if HOOP_HAVE_CUDA
#include "core/comm_cuda_ipc.h"
#endif
#if HOOP_HAVE_NCCL
#include "core/comm_nccl.h"
#endif

using hoop::recordError;

namespace {

// Runs a creator, turning out-of-memory into an error, and registers what it made.
template <typename Create>
hoopResult_t initComm(const char* function, hoopComm_t* comm, Create create) {
  std::unique_ptr<hoopComm> created;
  hoop::Status status;
  try {
    status = create(&created);
  } catch (const std::bad_alloc&) {
    status = hoop::Status(hoopSystemError, "out of memory");
  }
  if (!status.isOk()) return recordError(nullptr, hoop::Status(status.code(), std::string(function) + ": " + status.message()));
  hoop::registerComm(created.get());
  *comm = created.release();
  return hoopSuccess;
}

}  // namespace

extern "C" {

hoopResult_t hoopCommInitMPI(hoopComm_t* comm, MPI_Comm mpiComm, const hoopConfig_t* config) {
  HOOP_API_CHECK(nullptr, hoop::checkOutPointer("hoopCommInitMPI", "comm", comm));
  *comm = nullptr;
  return initComm("hoopCommInitMPI", comm, [&](std::unique_ptr<hoopComm>* created) {
    return hoop::createMpiComm(mpiComm, config, created);
  });
}

hoopResult_t hoopCommInitNcclMPI(hoopComm_t* comm, MPI_Comm mpiComm, int device, const hoopConfig_t* config) {
  static const char* const kName = "hoopCommInitNcclMPI";
  HOOP_API_CHECK(nullptr, hoop::checkOutPointer(kName, "comm", comm));
  *comm = nullptr;
#if HOOP_HAVE_NCCL
  return initComm(kName, comm, [&](std::unique_ptr<hoopComm>* created) {
    return hoop::createNcclComm(mpiComm, device, config, created);
  });
#else
  (void)mpiComm;
  (void)device;
  (void)config;
  return recordError(nullptr, hoop::Status(hoopInvalidUsage, std::string(kName) + ": this libhoop was built without "
                                                                                   "NCCL (configure with HOOP_WITH_NCCL=ON)"));
#endif
}

hoopResult_t hoopCommInitCudaMPI(hoopComm_t* comm, MPI_Comm mpiComm, int device, const hoopConfig_t* config) {
  static const char* const kName = "hoopCommInitCudaMPI";
  HOOP_API_CHECK(nullptr, hoop::checkOutPointer(kName, "comm", comm));
  *comm = nullptr;
#if HOOP_HAVE_CUDA
  return initComm(kName, comm, [&](std::unique_ptr<hoopComm>* created) {
    return hoop::createCudaIpcComm(mpiComm, device, config, created);
  });
#else
  (void)mpiComm;
  (void)device;
  (void)config;
  return recordError(nullptr, hoop::Status(hoopInvalidUsage, std::string(kName) + ": this libhoop was built without "
                                                                                   "CUDA (configure with HOOP_WITH_CUDA=ON)"));
#endif
}

}  // extern "C"
