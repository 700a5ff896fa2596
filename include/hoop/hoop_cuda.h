/*
 * Device communicators on CUDA GPUs. C99; needs no CUDA header: a cudaStream_t converts to
 * hoopStream_t (void*) as it is.
 *
 * A device communicator takes device memory (buffers on the communicator's device, or
 * memory that device can address) and is stream-ordered: a collective enqueues its work on
 * the caller's stream and returns without waiting for it; the results are ready when the
 * stream reaches that point (cudaStreamSynchronize, or later work on the same stream). A NULL
 * stream is CUDA's legacy default stream. Errors in the arguments or in enqueuing are
 * returned by the call; hoop checks nothing on the GPU while it runs.
 *
 * Every function is exported by every build of libhoop; in a build without CUDA the ones
 * that would create a device communicator return hoopInvalidUsage.
 */
#ifndef HOOP_HOOP_CUDA_H_
#define HOOP_HOOP_CUDA_H_

#include "hoop/hoop.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Creates ndev communicators of one process, ranks 0..ndev-1, rank i on CUDA device
 * devlist[i] (devices 0..ndev-1 when devlist is NULL). A device may appear several times:
 * those ranks share it, each with its own buffers, which is how several ranks are run on a
 * one-GPU machine. Peer access is enabled between the distinct devices that allow it; rank
 * i then reads its peers' buffers directly in the reduce kernels, and otherwise through
 * cudaMemcpyPeerAsync and a staging buffer. comms must hold ndev handles; on failure every
 * comms[i] is NULL and hoopGetLastError(NULL) says why. Destroy each with hoopCommDestroy.
 *
 * Calling collectives on such a clique: rank i's call reads buffers of other ranks, so work
 * is enqueued only when every rank has made the matching call. Two ways to call:
 *  - one thread per rank (or any threads): each call waits until all ranks of the clique
 *    have called, then returns with the work enqueued on its stream; a call that waits more
 *    than HOOP_TIMEOUT seconds (default 600; 0: forever) returns hoopTimeout and is withdrawn;
 *  - one thread driving several ranks: enclose the calls in hoopGroupStart/hoopGroupEnd, as
 *    NCCL requires for ncclCommInitAll communicators; without a group, the first call would
 *    wait for ranks that this thread has not called yet, until the timeout.
 */
HOOP_EXPORT hoopResult_t hoopCommInitAll(hoopComm_t* comms, int ndev, const int* devlist);

/*
 * The CUDA device of a device communicator, or -1 for a host communicator.
 */
HOOP_EXPORT hoopResult_t hoopCommCuDevice(hoopComm_t comm, int* device);

/*
 * Groups collective calls made by this thread. Between hoopGroupStart and the matching
 * hoopGroupEnd, a collective on a hoopCommInitAll communicator checks its arguments, queues
 * the call and returns hoopSuccess at once; hoopGroupEnd then waits until every rank of each
 * clique used in the group has made its calls (possibly from other threads' groups), by
 * which time all the queued work is enqueued on the callers' streams, and returns the first
 * error among them. Calls in a group are stream-ordered as if made at hoopGroupEnd. Groups
 * nest; only the outermost hoopGroupEnd does anything; hoopGroupEnd without a matching
 * hoopGroupStart in this thread returns hoopInvalidUsage. Host communicators and NCCL ones
 * execute calls at once, in a group or not. Thread-local: a group belongs to its thread.
 */
HOOP_EXPORT hoopResult_t hoopGroupStart(void);
HOOP_EXPORT hoopResult_t hoopGroupEnd(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HOOP_HOOP_CUDA_H_ */
