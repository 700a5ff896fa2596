/*
 * Creating hoop communicators from MPI. Include after (or instead of) mpi.h; C99.
 *
 * hoop needs MPI to be initialized (MPI_Init or MPI_Init_thread) before hoopCommInitMPI and
 * not finalized before hoopCommDestroy. The thread level MPI_THREAD_SINGLE is enough for the
 * blocking collectives. Asynchronous collectives (hoopAllReduceAsync) and hoop::Trainer run
 * a communication thread that calls MPI while the caller may too: they need MPI_THREAD_MULTIPLE
 * and report hoopInvalidUsage, naming the level, when MPI was initialized with less.
 */
#ifndef HOOP_HOOP_MPI_H_
#define HOOP_HOOP_MPI_H_

#include <mpi.h>

#include "hoop/hoop.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Creates a host-memory communicator over the processes of `mpiComm`, with the same ranks.
 * hoop duplicates `mpiComm`, so the caller's traffic on it never mixes with hoop's.
 * Collective over `mpiComm`. `config` may be NULL (all defaults). On failure *comm is NULL
 * and hoopGetLastError(NULL) says why.
 */
HOOP_EXPORT hoopResult_t hoopCommInitMPI(hoopComm_t* comm, MPI_Comm mpiComm,
                                         const hoopConfig_t* config);

/*
 * Creates a device communicator over the processes of `mpiComm`, one rank per process, this
 * process's rank on CUDA device `device`, with NCCL moving the data (rank 0 makes the NCCL
 * id and hoop broadcasts it over `mpiComm`). Collectives take device buffers and are
 * stream-ordered as hoop_cuda.h describes. hoop's algorithms run as grouped ncclSend/ncclRecv
 * plus hoop's reduce kernels; with HOOP_ALGO=nccl (or config->algorithm "nccl") each
 * collective is NCCL's own (ncclAllReduce), for comparing the two on the same GPUs; NCCL's
 * avg and reduction order then apply. Collective over `mpiComm`. A libhoop built without NCCL
 * returns hoopInvalidUsage. On failure *comm is NULL and hoopGetLastError(NULL) says why.
 */
HOOP_EXPORT hoopResult_t hoopCommInitNcclMPI(hoopComm_t* comm, MPI_Comm mpiComm, int device,
                                             const hoopConfig_t* config);

/*
 * Creates a device communicator over the processes of `mpiComm`, one rank per process, all
 * on one node, this process's rank on CUDA device `device`. Ranks may share a device (NCCL
 * refuses that; hoop does not), so several ranks can run on a one-GPU machine. Data moves
 * between the GPUs with CUDA IPC: each rank's kernels read its peers' buffers directly,
 * and MPI carries only small control messages. Collectives take device buffers and are
 * stream-ordered as hoop_cuda.h describes; the host waits for the peers' calls (as a
 * blocking MPI call does), never for the GPU.
 *
 * Buffers must come from cudaMalloc (CUDA IPC cannot share memory of cudaMallocAsync,
 * cudaMallocManaged or the host). Each rank keeps the peers' allocations it has read mapped
 * (at most 64, least recently used closed first), which keeps them allocated until the
 * mapping is closed or the communicator destroyed. Synchronize the streams used before
 * hoopCommDestroy. A call that fails (arguments that differ between ranks, a timeout,
 * hoopCommAbort) fails on every rank and leaves the communicator unusable: later calls
 * return hoopInvalidUsage, since peers may still be reading its buffers.
 *
 * Collective over `mpiComm`. A device out of range, a rank on another node, or a CUDA
 * failure on any rank fails every rank. A libhoop built without CUDA returns
 * hoopInvalidUsage. On failure *comm is NULL and hoopGetLastError(NULL) says why.
 */
HOOP_EXPORT hoopResult_t hoopCommInitCudaMPI(hoopComm_t* comm, MPI_Comm mpiComm, int device,
                                             const hoopConfig_t* config);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HOOP_HOOP_MPI_H_ */
