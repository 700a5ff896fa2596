// A rank that dies (SIGKILL) in the middle of a collective must not leave the others
// hanging. Run under mpirun by tests/reliability/peer_death.sh, which expects the job to
// end promptly with an error.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <vector>

#include "hoop/hoop_mpi.h"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  hoopComm_t comm = nullptr;
  if (hoopCommInitMPI(&comm, MPI_COMM_WORLD, nullptr) != hoopSuccess) return 2;
  int rank = 0, nranks = 0;
  hoopCommRank(comm, &rank);
  hoopCommCount(comm, &nranks);
  std::vector<float> data(1 << 22, 1.0f);
  for (int iteration = 0; iteration < 1000; ++iteration) {
    if (iteration == 3 && rank == nranks - 1) raise(SIGKILL);
    const hoopResult_t rc = hoopAllReduce(data.data(), data.data(), data.size(), hoopFloat32, hoopAvg, comm, nullptr);
    if (rc != hoopSuccess) {
      fprintf(stderr, "rank %d: %s: %s\n", rank, hoopGetErrorString(rc), hoopGetLastError(comm));
      return 3;
    }
  }
  printf("rank %d: finished although a peer died\n", rank);
  MPI_Finalize();
  return 0;
}
