/*
 * hoop: collective communication for data-parallel training.
 *
 * The API follows NCCL's names and argument order with the "hoop" prefix. A communicator
 * (hoopComm_t) connects nranks ranks; every collective is called by all of them with
 * matching arguments. Host-memory communicators execute a call before returning; the
 * `stream` argument is then NULL (it carries a cudaStream_t for device communicators).
 *
 * Thread safety: different communicators may be used concurrently from different threads.
 * One communicator must not be used by two threads at the same time, except where a
 * function says otherwise. hoopGetErrorString and hoopGetVersion are always thread-safe.
 *
 * Errors: every function returns a hoopResult_t. On failure, hoopGetLastError(comm) gives
 * a message that names the function and says what was wrong, with the offending values
 * ("hoopAllReduce: sendbuff is NULL with count 8"). A failed argument check changes nothing,
 * involves no other rank and leaves the communicator usable. Bad arguments return
 * hoopInvalidArgument: a NULL or destroyed communicator, a NULL out-pointer, an unknown
 * datatype or op, a root outside 0..nranks-1, a NULL buffer with count > 0, buffers that
 * overlap other than in the call's in-place layout, a buffer of more than PTRDIFF_MAX bytes
 * (count times the element size, times nranks for a buffer of all ranks' blocks), a stream
 * on a host communicator, a bad hoopConfig_t. Calls that are wrong in context return
 * hoopInvalidUsage: any call but hoopCommAbort and hoopCommDestroy on an aborted
 * communicator, hoopGroupEnd without hoopGroupStart, a device communicator from a library
 * built without CUDA or NCCL.
 *
 * Collectives check each other: every call carries its arguments (collective, sequence
 * number, count, datatype, op, root) in its first message to each peer. When ranks
 * disagree, every rank's call returns hoopInvalidUsage and hoopGetLastError names the call,
 * the ranks and the differing values, e.g. "allreduce #17: rank 0 has count=1000, rank 1
 * has count=2000". A call that waits longer than the timeout (hoopConfig_t.timeoutSeconds,
 * HOOP_TIMEOUT, default 600 s) returns hoopTimeout naming the peers it is waiting for. When
 * one rank fails a call, the others fail it too (hoopRemoteError) instead of hanging. After
 * such an error the communicator remains usable for later calls.
 *
 * This header is C99.
 */
#ifndef HOOP_HOOP_H_
#define HOOP_HOOP_H_

#include <stddef.h>

#include "hoop/hoop_version.h"

#if defined(__GNUC__)
#define HOOP_EXPORT __attribute__((visibility("default")))
#else
#define HOOP_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque communicator handle. */
typedef struct hoopComm* hoopComm_t;

/* A stream: NULL for host communicators, a cudaStream_t (converted) for device ones. */
typedef void* hoopStream_t;

/* Opaque handle of an asynchronous collective (hoopAllReduceAsync); NULL once completed. */
typedef struct hoopRequest* hoopRequest_t;

typedef enum {
  hoopSuccess = 0,
  hoopUnhandledCudaError = 1, /* a CUDA call failed */
  hoopSystemError = 2,        /* a system call or the MPI library failed */
  hoopInternalError = 3,      /* a bug in hoop */
  hoopInvalidArgument = 4,    /* a bad argument: NULL pointer, unknown datatype or op, ... */
  hoopInvalidUsage = 5,       /* a call that is wrong in context: ranks disagree, ... */
  hoopRemoteError = 6,        /* another rank failed */
  hoopInProgress = 7,         /* an asynchronous operation has not completed yet */
  hoopTimeout = 8,            /* a wait ran past its timeout */
  hoopNumResults = 9
} hoopResult_t;

typedef enum {
  hoopInt8 = 0,
  hoopChar = 0,
  hoopUint8 = 1,
  hoopInt32 = 2,
  hoopInt = 2,
  hoopUint32 = 3,
  hoopInt64 = 4,
  hoopUint64 = 5,
  hoopFloat16 = 6,
  hoopHalf = 6,
  hoopFloat32 = 7,
  hoopFloat = 7,
  hoopFloat64 = 8,
  hoopDouble = 8,
  hoopBfloat16 = 9,
  hoopNumTypes = 10
} hoopDataType_t;

/*
 * Reduction operators. Integer sum and product wrap modulo 2^bits. hoopAvg is the sum
 * divided by the number of ranks; for integer types the quotient truncates toward zero, as
 * C division does. float16 and bfloat16 are reduced in float and rounded to nearest even.
 */
typedef enum {
  hoopSum = 0,
  hoopProd = 1,
  hoopMax = 2,
  hoopMin = 3,
  hoopAvg = 4,
  hoopNumOps = 5
} hoopRedOp_t;

/*
 * Communicator configuration. Always start from HOOP_CONFIG_INITIALIZER, then set fields;
 * the size/magic/version header lets the struct grow without breaking the ABI. A field left
 * at its initializer value takes the environment variable named beside it, or the built-in
 * default. Pass NULL instead of a config for all defaults. hoopCommInit* returns
 * hoopInvalidArgument for a config whose magic is not HOOP_CONFIG_MAGIC, whose size does not
 * cover size, magic and version, or whose version predates hoop 0.1.0, and for a field outside
 * its range. A larger size and version (a config from a newer header) is accepted; the fields
 * this library knows are read.
 */
typedef struct {
  size_t size;          /* sizeof(hoopConfig_t), set by the initializer */
  unsigned int magic;   /* HOOP_CONFIG_MAGIC, set by the initializer */
  unsigned int version; /* HOOP_VERSION_CODE, set by the initializer */
  const char* algorithm; /* NULL: HOOP_ALGO; syntax as HOOP_ALGO (README), e.g. "ring" */
  size_t segmentBytes;   /* pipeline segment size in bytes, 64..INT_MAX; 0: HOOP_SEGMENT_BYTES */
  int pipelineDepth;     /* segments in flight per peer, 1..64; 0: HOOP_PIPELINE_DEPTH */
  double timeoutSeconds; /* how long a collective waits for peers, at most 1e9 (not NaN);
                            < 0: HOOP_TIMEOUT; 0: forever */
} hoopConfig_t;

#define HOOP_CONFIG_MAGIC 0x686f6f70u /* "hoop" */
#define HOOP_CONFIG_INITIALIZER \
  { sizeof(hoopConfig_t), HOOP_CONFIG_MAGIC, HOOP_VERSION_CODE, NULL, 0, 0, -1.0 }

/* The name of a result code ("invalid argument", ...). Never NULL. Thread-safe. */
HOOP_EXPORT const char* hoopGetErrorString(hoopResult_t result);

/*
 * The message of the last failed call on `comm`, or of the last failed call that had no
 * usable communicator (comm == NULL, or hoopCommInit* failing). Empty when nothing failed.
 * A handle that is not a live communicator (destroyed) reads as NULL. The pointer stays
 * valid until the next call on the same communicator.
 */
HOOP_EXPORT const char* hoopGetLastError(hoopComm_t comm);

/* The library version as HOOP_VERSION_CODE computes it (major*10000 + minor*100 + patch). */
HOOP_EXPORT hoopResult_t hoopGetVersion(int* version);

/*
 * Frees the communicator. Peers must be done using it. When the communicator uses shared
 * memory between ranks of a node (HOOP_SHM), every rank of the node must call it: freeing
 * the shared segments synchronizes them. Valid on an aborted communicator. comm NULL returns
 * hoopSuccess and does nothing (as ncclCommDestroy); a handle already destroyed returns
 * hoopInvalidArgument.
 */
HOOP_EXPORT hoopResult_t hoopCommDestroy(hoopComm_t comm);

/*
 * Stops the communicator: a collective in progress on it, in any thread, returns an error
 * (hoopInvalidUsage, "aborted") within a second and tells its peers, which fail with
 * hoopRemoteError instead of waiting. Afterwards only hoopCommDestroy is valid on it: any
 * other call on it (collectives, hoopCommRank, ...) returns hoopInvalidUsage, while
 * hoopGetLastError still reads its messages and aborting again does nothing. comm NULL returns
 * hoopSuccess (as ncclCommAbort). Callable from any thread, also while another thread is
 * inside a collective.
 */
HOOP_EXPORT hoopResult_t hoopCommAbort(hoopComm_t comm);

/* This rank's index in the communicator, 0 <= rank < count. */
HOOP_EXPORT hoopResult_t hoopCommRank(hoopComm_t comm, int* rank);

/* The number of ranks in the communicator. */
HOOP_EXPORT hoopResult_t hoopCommCount(hoopComm_t comm, int* count);

/*
 * The collectives. Every rank of the communicator calls each one, in the same order, with
 * matching count, datatype, op and root; the call returns when this rank's part is done.
 * Every rank gets bitwise identical results, and the same call on the same data gives the
 * same bits every time (the algorithm is chosen by size and rank count only). Counts may
 * exceed INT_MAX. A buffer may be NULL only where it is not used (count 0, or as stated).
 * Unless a call is in place as described, its buffers must not overlap. The algorithm is
 * chosen by a cost model; HOOP_ALGO or hoopConfig_t.algorithm can force one.
 */

/*
 * recvbuff[i] = op over all ranks of sendbuff[i], for i < count, on every rank.
 * In place when sendbuff == recvbuff.
 */
HOOP_EXPORT hoopResult_t hoopAllReduce(const void* sendbuff, void* recvbuff, size_t count,
                                       hoopDataType_t datatype, hoopRedOp_t op,
                                       hoopComm_t comm, hoopStream_t stream);

/*
 * Copies count elements of sendbuff on rank `root` into recvbuff on every rank (the root
 * included). sendbuff is used on the root only (NULL elsewhere is fine); in place when
 * sendbuff == recvbuff on the root. 0 <= root < number of ranks.
 */
HOOP_EXPORT hoopResult_t hoopBroadcast(const void* sendbuff, void* recvbuff, size_t count,
                                       hoopDataType_t datatype, int root, hoopComm_t comm,
                                       hoopStream_t stream);

/*
 * recvbuff[i] = op over all ranks of sendbuff[i], for i < count, on rank `root` only.
 * recvbuff is used on the root only (NULL elsewhere is fine); in place when sendbuff ==
 * recvbuff on the root. 0 <= root < number of ranks.
 */
HOOP_EXPORT hoopResult_t hoopReduce(const void* sendbuff, void* recvbuff, size_t count,
                                    hoopDataType_t datatype, hoopRedOp_t op, int root,
                                    hoopComm_t comm, hoopStream_t stream);

/*
 * Gathers sendcount elements from every rank: recvbuff[r * sendcount + i] = sendbuff[i] of
 * rank r, on every rank; recvbuff holds nranks * sendcount elements. In place when
 * sendbuff == recvbuff + rank * sendcount (elements), NCCL's rule.
 */
HOOP_EXPORT hoopResult_t hoopAllGather(const void* sendbuff, void* recvbuff, size_t sendcount,
                                       hoopDataType_t datatype, hoopComm_t comm,
                                       hoopStream_t stream);

/*
 * Reduces nranks * recvcount elements across ranks and leaves block r of the result on
 * rank r: recvbuff[i] = op over all ranks of sendbuff[rank * recvcount + i], i < recvcount.
 * In place when recvbuff == sendbuff + rank * recvcount (elements), NCCL's rule.
 */
HOOP_EXPORT hoopResult_t hoopReduceScatter(const void* sendbuff, void* recvbuff, size_t recvcount,
                                           hoopDataType_t datatype, hoopRedOp_t op,
                                           hoopComm_t comm, hoopStream_t stream);

/* Returns once every rank of the communicator has called it. */
HOOP_EXPORT hoopResult_t hoopBarrier(hoopComm_t comm);

/*
 * Asynchronous collectives.
 *
 * hoopAllReduceAsync starts the same collective as hoopAllReduce and returns at once with a
 * request; the buffers must stay untouched until the request completes. The communicator's
 * communication thread (started by its first asynchronous call) makes progress without the
 * caller polling. Collectives on one communicator, asynchronous or blocking, complete in the
 * order they were issued, on every rank: a blocking call issued while requests are in
 * flight waits for them first (with none in flight it runs at once on the calling thread).
 * Requests follow the communicator's thread rule: issue, test and wait from one thread at a
 * time. hoopCommDestroy completes requests still in flight; their handles become invalid.
 *
 * MPI communicators need MPI initialized at MPI_THREAD_MULTIPLE (MPI_Init_thread), since the
 * communication thread calls MPI while the caller may too; otherwise the first asynchronous
 * call returns hoopInvalidUsage and says so. The blocking calls need no particular level.
 * Host communicators only: on a device communicator, whose hoopAllReduce already enqueues on
 * a stream and returns, hoopAllReduceAsync returns hoopInvalidUsage.
 * On any failure *request is NULL (when request itself is not NULL).
 */
HOOP_EXPORT hoopResult_t hoopAllReduceAsync(const void* sendbuff, void* recvbuff, size_t count,
                                            hoopDataType_t datatype, hoopRedOp_t op,
                                            hoopComm_t comm, hoopRequest_t* request);

/*
 * Sets *done to 1 when the collective of *request has completed, 0 otherwise; never blocks.
 * On completion the request is freed, *request becomes NULL and the collective's result is
 * returned (its message in hoopGetLastError of the communicator). A NULL *request counts as
 * completed with hoopSuccess.
 */
HOOP_EXPORT hoopResult_t hoopTest(hoopRequest_t* request, int* done);

/*
 * Blocks until the collective of *request has completed, frees the request, sets *request
 * to NULL and returns the collective's result. A NULL *request returns hoopSuccess at once.
 */
HOOP_EXPORT hoopResult_t hoopWait(hoopRequest_t* request);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* HOOP_HOOP_H_ */
